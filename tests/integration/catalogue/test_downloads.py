"""Filtered downloads (CSV, XLSX, JSON, GeoJSON, Parquet) and the original uploaded file."""

import csv
import io
import json

import openpyxl
import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.urls import reverse

from interborough.catalogue import query
from interborough.catalogue.models import AccessLevel, DatasetStatus, DatasetUsage, UsageKind
from interborough.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

ROWS = (
    b"id,ward,count,note,latitude,longitude\n"
    b'1,Kentish Town,12,=HYPERLINK("http://evil"),51.5503,-0.1406\n'
    b"2,Camden Town,7,ok,51.5390,-0.1426\n"
    b"3,Hackney Central,30,+SUM(A1),51.5465,-0.0553\n"
)
GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Camden Town Hall"},
                "geometry": {"type": "Point", "coordinates": [-0.1257, 51.5300]},
            },
            {
                "type": "Feature",
                "properties": {"name": "Hackney Town Hall"},
                "geometry": {"type": "Point", "coordinates": [-0.0553, 51.5450]},
            },
        ],
    }
).encode()


@pytest.fixture
def publisher(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


def _resource(publisher, organisation, *, access=AccessLevel.OPEN, content=ROWS, name="w.csv"):
    dataset = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level=access
    )
    return ready_resource(by=publisher, dataset=dataset, content=content, filename=name)


@pytest.fixture
def resource(publisher, organisation):
    return _resource(publisher, organisation)


def url(resource, fmt, number=None):
    args = {"slug": resource.dataset.slug, "resource_id": resource.pk, "fmt": fmt}
    if number is None:
        return reverse("catalogue:resource-download", kwargs=args)
    return reverse("catalogue:version-download", kwargs={**args, "number": number})


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_csv_download_filters_sorts_and_is_formula_safe(resource):
    response = Client().get(url(resource, "csv") + "?count__gte=10&sort=-count&fields=id,note")

    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows == [["id", "note"], ["3", "'+SUM(A1)"], ["1", '\'=HYPERLINK("http://evil")']]
    assert 'filename="' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('-v1.csv"')


def test_json_download_parses_back(resource):
    response = Client().get(url(resource, "json", number=1) + "?ward__contains=town")

    data = json.loads(body(response))
    assert [row["id"] for row in data] == [1, 2]
    assert data[0]["note"] == '=HYPERLINK("http://evil")'


def test_xlsx_download_opens_with_numbers_and_safe_text(resource, tmp_path):
    response = Client().get(url(resource, "xlsx"))

    path = tmp_path / "d.xlsx"
    path.write_bytes(body(response))
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("id", "ward", "count", "note", "latitude", "longitude")
    assert values[1][:4] == (1, "Kentish Town", 12, '\'=HYPERLINK("http://evil")')
    assert len(values) == 4


def test_parquet_download_reads_back_with_pyarrow(resource, tmp_path):
    response = Client().get(url(resource, "parquet") + "?id__in=1,3&fields=id,count")

    path = tmp_path / "d.parquet"
    path.write_bytes(body(response))
    table = pq.read_table(path)
    assert table.column_names == ["id", "count"]
    assert table.to_pylist() == [{"id": 1, "count": 12}, {"id": 3, "count": 30}]


def test_geojson_download_from_latitude_and_longitude(resource):
    response = Client().get(url(resource, "geojson") + "?fields=ward&id=2")

    data = json.loads(body(response))
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    assert data["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-0.1426, 51.539]},
            "properties": {"ward": "Camden Town"},
        }
    ]


def test_geojson_download_of_a_geojson_upload(publisher, organisation):
    resource = _resource(publisher, organisation, content=GEOJSON, name="halls.geojson")

    data = json.loads(body(Client().get(url(resource, "geojson") + "?q=hackney")))

    assert [f["properties"]["name"] for f in data["features"]] == ["Hackney Town Hall"]
    assert data["features"][0]["geometry"]["coordinates"] == [-0.0553, 51.545]


def test_geojson_of_a_table_without_places_is_404(publisher, organisation):
    resource = _resource(publisher, organisation, content=b"a,b\n1,2\n")

    assert Client().get(url(resource, "geojson")).status_code == 404


def test_unknown_format_is_404(resource):
    assert Client().get(url(resource, "exe")).status_code == 404


def test_bad_parameters_are_a_400_naming_them(resource):
    response = Client().get(url(resource, "csv") + "?sort=1;select&nope=1")

    text = response.content.decode()
    assert response.status_code == 400
    assert "sort:" in text
    assert "nope:" in text


def test_download_times_out_with_a_503(resource, monkeypatch):
    def too_slow(*args, **kwargs):
        raise query.QueryTimeout(60)

    monkeypatch.setattr(query, "open_rows", too_slow)

    response = Client().get(url(resource, "csv"))

    assert response.status_code == 503
    assert "Narrow it" in response.content.decode()


def test_download_is_counted(resource):
    body(Client().get(url(resource, "csv")))

    assert DatasetUsage.objects.get(dataset=resource.dataset, kind=UsageKind.DOWNLOAD).count == 1


def test_source_is_the_file_as_uploaded(resource):
    path = reverse(
        "catalogue:version-source",
        kwargs={"slug": resource.dataset.slug, "resource_id": resource.pk, "number": 1},
    )

    response = Client().get(path)

    assert response.status_code == 200
    assert body(response) == ROWS
    assert response["Content-Type"] == "application/octet-stream"


def test_wrong_dataset_slug_is_404(resource, publisher, organisation):
    other = DatasetFactory(publisher=organisation, status=DatasetStatus.PUBLISHED)
    path = reverse(
        "catalogue:resource-download",
        kwargs={"slug": other.slug, "resource_id": resource.pk, "fmt": "csv"},
    )

    assert Client().get(path).status_code == 404


def test_draft_dataset_downloads_are_hidden(publisher, organisation, other_organisation):
    dataset = DatasetFactory(publisher=organisation)
    resource = ready_resource(by=publisher, dataset=dataset, content=ROWS)
    outsider = MembershipFactory(organisation=other_organisation, role="member").user

    assert verified_client(outsider).get(url(resource, "csv")).status_code == 404
    assert Client().get(url(resource, "csv")).status_code == 404


SOURCES = ["csv", "xlsx", "json", "geojson", "parquet", "source"]


def _every_route(resource):
    kwargs = {"slug": resource.dataset.slug, "resource_id": resource.pk}
    for fmt in SOURCES[:-1]:
        yield url(resource, fmt)
        yield url(resource, fmt, number=1)
    yield reverse("catalogue:version-source", kwargs={**kwargs, "number": 1})


def test_restricted_data_refused_through_every_download_route(
    publisher, organisation, other_organisation
):
    resource = _resource(publisher, organisation, access=AccessLevel.RESTRICTED)
    outsider = verified_client(MembershipFactory(organisation=other_organisation).user)
    anonymous = Client()

    for path in _every_route(resource):
        refused = outsider.get(path)
        asked = anonymous.get(path)
        assert refused.status_code == 403, path
        assert b"Kentish" not in refused.content
        assert asked.status_code == 302 and "/sign-in" in asked["Location"], path
    assert not DatasetUsage.objects.exists()
    assert not AuditEvent.objects.filter(action="dataset.data_read").exists()


def test_restricted_data_read_by_the_publisher_through_every_route(publisher, organisation, member):
    resource = _resource(publisher, organisation, access=AccessLevel.RESTRICTED)
    client = verified_client(member)

    for path in _every_route(resource):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store"
        body(response)
    assert AuditEvent.objects.filter(action="dataset.data_read").count() == 11
