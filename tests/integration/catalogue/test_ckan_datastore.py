"""CKAN's DataStore actions over the query engine, and restricted data through them."""

import json

import pytest

from interborough.catalogue.models import AccessLevel, DatasetStatus
from tests.conftest import verified_client
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

TREES = (
    b"borough_code,species,height,planted\n"
    b"E09000007,Oak,12.5,2001-03-04\n"
    b"E09000007,Plane,20.0,1990-05-06\n"
    b"E09000012,Oak,8.0,2015-01-02\n"
)


@pytest.fixture
def trees(organisation, publisher):
    dataset = DatasetFactory(
        publisher=organisation, slug="street-trees", status=DatasetStatus.PUBLISHED
    )
    return ready_resource(by=publisher, dataset=dataset, content=TREES)


@pytest.fixture
def secret(organisation, publisher):
    dataset = DatasetFactory(
        publisher=organisation,
        slug="placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    return ready_resource(
        by=publisher, dataset=dataset, content=b"household,borough\nSECRET-ROW-7F3A,E09000007\n"
    )


def search(client, **data):
    return client.post(
        "/api/3/action/datastore_search", json.dumps(data), content_type="application/json"
    )


def test_datastore_search_returns_records_fields_and_total(client, trees):
    result = search(client, resource_id=str(trees.pk)).json()["result"]

    assert result["total"] == 3
    assert [f["id"] for f in result["fields"]] == ["borough_code", "species", "height", "planted"]
    assert result["fields"][2]["type"] == "numeric"
    assert result["records"][0]["species"] == "Oak"


def test_datastore_search_filters_sorts_and_limits(client, trees):
    result = search(
        client,
        resource_id=str(trees.pk),
        filters={"species": "Oak"},
        sort="height desc",
        fields=["species", "height"],
        limit=1,
    ).json()["result"]

    assert result["total"] == 2
    assert result["records"] == [{"species": "Oak", "height": 12.5}]
    assert "offset=1" in result["_links"]["next"]


def test_datastore_search_by_get_with_json_filters(client, trees):
    response = client.get(
        "/api/3/action/datastore_search",
        {"resource_id": str(trees.pk), "filters": json.dumps({"borough_code": "E09000012"})},
    )

    assert response.json()["result"]["total"] == 1


def test_datastore_search_lists_and_csv_formats(client, trees):
    lists = search(client, resource_id=str(trees.pk), records_format="lists", limit=1)
    csv_text = search(client, resource_id=str(trees.pk), records_format="csv", limit=1)

    assert lists.json()["result"]["records"] == [["E09000007", "Oak", 12.5, "2001-03-04"]]
    assert csv_text.json()["result"]["records"] == "E09000007,Oak,12.5,2001-03-04\r\n"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"filters": {"nope": "x"}}, "nope"),
        ({"sort": "height; drop table x"}, "sort"),
        ({"limit": 1001}, "limit"),
        ({"records_format": "xml"}, "records_format"),
        ({"filters": {"height": "tall"}}, "height"),
    ],
)
def test_datastore_search_bad_parameters_are_validation_errors(client, trees, data, field):
    response = search(client, resource_id=str(trees.pk), **data)

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert any(field in key for key in error), error


def test_datastore_search_unknown_resource_is_not_found(client):
    for resource_id in ("8d3c7c4e-0b55-4d6f-9a39-1b7f0b0b4a11", "junk"):
        response = search(client, resource_id=resource_id)
        assert response.status_code == 404
        assert response.json()["error"]["__type"] == "Not Found Error"


def test_datastore_restricted_rows_are_refused_to_outsiders(client, secret, other_organisation):
    from tests.factories.accounts import MembershipFactory

    outsider = MembershipFactory(organisation=other_organisation, role="member").user
    for caller in (client, verified_client(outsider)):
        response = search(caller, resource_id=str(secret.pk))
        assert response.status_code == 403
        assert response.json()["error"]["__type"] == "Authorization Error"
        assert b"SECRET-ROW-7F3A" not in response.content


def test_datastore_restricted_rows_are_read_by_the_publisher(secret, publisher):
    response = search(verified_client(publisher), resource_id=str(secret.pk))

    assert response.json()["result"]["records"][0]["household"] == "SECRET-ROW-7F3A"


def test_datastore_info_describes_columns(client, trees):
    result = client.get("/api/3/action/datastore_info", {"id": str(trees.pk)}).json()["result"]

    assert result["meta"]["count"] == 3
    assert [f["id"] for f in result["fields"]][:2] == ["borough_code", "species"]
