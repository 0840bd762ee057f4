"""The query API: GET /api/v1/resources/{id}, .../records and .../versions/{n}/records."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from interborough.catalogue import query
from interborough.catalogue.models import (
    AccessGrant,
    AccessLevel,
    DatasetStatus,
    DatasetUsage,
    UsageKind,
)
from interborough.catalogue.services.versions import resource_version_upload
from interborough.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

ROWS = (
    b"id,borough_code,ward,count,rate,opened,latitude,longitude\n"
    b"1,E09000007,Kentish Town,12,1.5,2024-01-03,51.5503,-0.1406\n"
    b"2,E09000007,Camden Town,7,2.25,2024-02-01,51.5390,-0.1426\n"
    b"3,E09000012,Hackney Central,30,0.5,2023-12-30,51.5465,-0.0553\n"
    b"4,E09000012,Dalston,30,,2024-03-15,51.5460,-0.0750\n"
    b"5,E09000030,Bow West,1,9.75,2024-01-20,51.5290,-0.0240\n"
)


@pytest.fixture
def publisher(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def open_resource(publisher, organisation):
    dataset = DatasetFactory(publisher=organisation, status=DatasetStatus.PUBLISHED)
    return ready_resource(by=publisher, dataset=dataset, content=ROWS, filename="wards.csv")


@pytest.fixture
def restricted_resource(publisher, organisation):
    dataset = DatasetFactory(
        publisher=organisation,
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    return ready_resource(by=publisher, dataset=dataset, content=ROWS, filename="wards.csv")


def records(client, resource, query="", number=None):
    path = f"/api/v1/resources/{resource.pk}"
    path += f"/versions/{number}/records" if number else "/records"
    return client.get(path + (f"?{query}" if query else ""))


def test_records_first_page_has_fields_records_and_total(open_resource):
    response = records(Client(), open_resource)

    body = response.json()
    assert response.status_code == 200
    assert body["resource"] == str(open_resource.pk)
    assert body["version"] == 1
    assert [f["name"] for f in body["fields"]][:3] == ["id", "borough_code", "ward"]
    assert body["total"] == 5
    assert body["records"][0] == {
        "id": 1,
        "borough_code": "E09000007",
        "ward": "Kentish Town",
        "count": 12,
        "rate": 1.5,
        "opened": "2024-01-03",
        "latitude": 51.5503,
        "longitude": -0.1406,
    }
    assert body["next"] is None


def test_records_filters_repeated_values_and_comparisons(open_resource):
    query = "borough_code=E09000007&borough_code=E09000030&count__gte=7"

    body = records(Client(), open_resource, query).json()

    assert [r["id"] for r in body["records"]] == [1, 2]
    assert body["total"] == 2


def test_records_in_contains_ne_and_q(open_resource):
    client = Client()

    assert records(client, open_resource, "id__in=2,4").json()["total"] == 2
    assert [
        r["id"] for r in records(client, open_resource, "ward__contains=TOWN").json()["records"]
    ] == [1, 2]
    assert records(client, open_resource, "count__ne=30").json()["total"] == 3
    assert [r["id"] for r in records(client, open_resource, "q=dalston").json()["records"]] == [4]
    assert records(client, open_resource, "opened__lt=2024-01-04").json()["total"] == 2


def test_records_sort_descending_with_nulls_last_and_projection(open_resource):
    body = records(Client(), open_resource, "sort=-rate&fields=id,rate").json()

    assert body["records"] == [
        {"id": 5, "rate": 9.75},
        {"id": 2, "rate": 2.25},
        {"id": 1, "rate": 1.5},
        {"id": 3, "rate": 0.5},
        {"id": 4, "rate": None},
    ]
    assert [f["name"] for f in body["fields"]] == ["id", "rate"]


def test_records_keyset_paging_walks_every_row_once(open_resource):
    client = Client()
    seen = []
    body = records(client, open_resource, "sort=-count&limit=2").json()
    while True:
        seen += [r["id"] for r in body["records"]]
        if not body["next"]:
            break
        body = client.get(body["links"]["next"]).json()

    assert seen == [3, 4, 1, 2, 5]


def test_records_offset_and_limit(open_resource):
    body = records(Client(), open_resource, "limit=2&offset=2").json()

    assert [r["id"] for r in body["records"]] == [3, 4]
    assert (body["limit"], body["offset"], body["total"]) == (2, 2, 5)


def test_records_as_lists_and_csv(open_resource):
    client = Client()

    lists = records(client, open_resource, "format=lists&fields=id,ward&limit=1").json()
    text = records(client, open_resource, "format=csv&fields=id,ward&limit=2").json()

    assert lists["records"] == [[1, "Kentish Town"]]
    assert list(csv.reader(io.StringIO(text["records"]))) == [
        ["1", "Kentish Town"],
        ["2", "Camden Town"],
    ]


def test_records_of_an_older_version(open_resource, publisher):
    with TestCase.captureOnCommitCallbacks(execute=True):
        resource_version_upload(
            by=publisher,
            resource=open_resource,
            filename="wards.csv",
            chunks=[b"id,ward\n9,Bloomsbury\n"],
        )
    client = Client()

    latest = records(client, open_resource).json()
    first = records(client, open_resource, number=1).json()

    assert (latest["version"], latest["total"]) == (2, 1)
    assert (first["version"], first["total"]) == (1, 5)
    assert records(client, open_resource, number=7).status_code == 404


def test_resource_detail_lists_versions(open_resource):
    body = Client().get(f"/api/v1/resources/{open_resource.pk}").json()

    assert body["latest"] == 1
    assert body["versions"][0]["number"] == 1
    assert body["versions"][0]["rows"] == 5
    assert len(body["versions"][0]["sha256"]) == 64


def test_records_count_an_api_call(open_resource):
    records(Client(), open_resource)

    usage = DatasetUsage.objects.get(dataset=open_resource.dataset, kind=UsageKind.API_CALL)
    assert usage.count == 1


def test_draft_dataset_records_are_hidden(organisation, publisher, other_organisation):
    dataset = DatasetFactory(publisher=organisation)
    resource = ready_resource(by=publisher, dataset=dataset, content=ROWS)
    outsider = MembershipFactory(organisation=other_organisation, role="member").user

    assert records(verified_client(outsider), resource).status_code == 404
    assert Client().get(f"/api/v1/resources/{resource.pk}").status_code == 404
    assert records(verified_client(publisher), resource).status_code == 200


def test_restricted_records_refused_without_a_grant(restricted_resource, other_organisation):
    outsider = MembershipFactory(organisation=other_organisation, role="member").user

    anonymous = records(Client(), restricted_resource)
    signed_in = records(verified_client(outsider), restricted_resource)

    assert anonymous.status_code == 401
    assert signed_in.status_code == 403
    assert "records" not in signed_in.json()
    assert not AuditEvent.objects.filter(action="dataset.data_read").exists()


def test_restricted_records_read_by_the_publisher_and_audited(restricted_resource, member):
    response = records(verified_client(member), restricted_resource)

    assert response.status_code == 200
    assert response.json()["total"] == 5
    assert AuditEvent.objects.filter(action="dataset.data_read").count() == 1


def test_restricted_records_read_with_a_grant(restricted_resource, other_organisation):
    outsider = MembershipFactory(organisation=other_organisation, role="member").user
    now = timezone.now()
    AccessGrant.objects.create(
        dataset=restricted_resource.dataset,
        grantee=outsider,
        starts_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=30),
    )

    assert records(verified_client(outsider), restricted_resource).status_code == 200


HOSTILE = [
    ("name'; DROP TABLE records; --=1", "name'; DROP TABLE records; --"),
    ("ward'%20OR%20'1'='1=x", "ward' OR '1'"),
    ("sort=1;select", "sort"),
    ("sort=ward;DROP TABLE x", "sort"),
    ("fields=*", "fields"),
    ("limit=1000000000000", "limit"),
    ("limit=1001", "limit"),
    ("limit=-1", "limit"),
    ("offset=abc", "offset"),
    ("count=1 OR 1=1", "count"),
    ("count__gt=1e999", "count__gt"),
    ("opened__gte=2024-13-45", "opened__gte"),
    ("ward__gt2=x", "ward__gt2"),
    ("id__contains=1", "id__contains"),
    ("after=not-a-cursor", "after"),
    ("format=xml", "format"),
    ("%E2%80%AE%F0%9F%92%A5=1", "?\U0001f4a5"),  # a bidi override is shown as ?
]


@pytest.mark.parametrize("query, param", HOSTILE)
def test_records_hostile_parameters_are_a_clear_400(open_resource, query, param):
    response = records(Client(), open_resource, query)

    body = response.json()
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid_query"
    assert body["error"]["fields"][0]["field"] == param


def test_records_very_long_value_is_a_clear_400(open_resource):
    response = records(Client(), open_resource, "ward=" + "x" * 5000)

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "ward"


def test_records_too_many_filters_is_a_clear_400(open_resource):
    query = "&".join(f"ward=w{i}" for i in range(10_000))

    response = records(Client(), open_resource, query)

    assert response.status_code == 400
    assert response.json().keys() == {"error"}


def test_records_tampered_cursor_is_refused(open_resource):
    client = Client()
    cursor = records(client, open_resource, "limit=2").json()["next"]
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")

    response = records(client, open_resource, f"limit=2&after={tampered}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "after"


def test_records_timeout_is_a_503(open_resource, monkeypatch):
    def too_slow(*args, **kwargs):
        raise query.QueryTimeout(5)

    monkeypatch.setattr(query, "records_page", too_slow)

    response = records(Client(), open_resource, "q=town")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "query_timeout"
