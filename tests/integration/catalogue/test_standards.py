"""The DCAT-AP exports and the Frictionless Data Package routes, through the Django client."""

import hashlib
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from interborough.catalogue import dcat, dcat_catalog
from interborough.catalogue.dcat_vocab import HYDRA
from interborough.catalogue.models import (
    AccessLevel,
    Dataset,
    DatasetStatus,
    DatasetUsage,
    Keyword,
    UsageKind,
)
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.unit.catalogue.test_dcat import mandatory_problems

pytestmark = pytest.mark.django_db

RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}
CONTENT_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def parsed(response, fmt: str) -> Graph:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    return Graph().parse(data=response.content, format=RDFLIB_FORMATS[fmt])


@pytest.fixture
def published(organisation, publisher):
    dataset = DatasetFactory(
        publisher=organisation,
        title="Street trees",
        status=DatasetStatus.PUBLISHED,
        published_at=timezone.now(),
        contact_email="trees@camden.gov.uk",
    )
    ready_resource(by=publisher, dataset=dataset)
    return dataset


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdf"])
def test_catalog_each_serialisation_parses_with_mandatory_properties(client, published, fmt):
    restricted = DatasetFactory(
        publisher=published.publisher,
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    draft = DatasetFactory(publisher=published.publisher)

    graph = parsed(client.get(reverse("catalogue:catalog", kwargs={"fmt": fmt})), fmt)

    assert mandatory_problems(graph) == []
    catalogue = graph.value(None, RDF.type, DCAT.Catalog, any=False)
    listed = set(graph.objects(catalogue, DCAT.dataset))
    assert listed == {dcat.dataset_iri(published), dcat.dataset_iri(restricted)}
    assert dcat.dataset_iri(draft) not in set(graph.subjects())
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == 2


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdf"])
def test_dataset_dcat_each_serialisation_parses_with_mandatory_properties(client, published, fmt):
    url = reverse("catalogue:dataset-dcat", kwargs={"slug": published.slug, "fmt": fmt})

    graph = parsed(client.get(url), fmt)

    assert mandatory_problems(graph) == []
    node = dcat.dataset_iri(published)
    assert str(graph.value(node, DCTERMS.title)) == "Street trees"
    assert len(list(graph.objects(node, DCAT.distribution))) == 2


@pytest.mark.parametrize("name", ["catalogue:catalog", "catalogue:dataset-dcat"])
def test_dcat_unknown_format_is_404(client, published, name):
    kwargs = {"fmt": "xml"} | ({"slug": published.slug} if "dataset" in name else {})

    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_dataset_dcat_of_a_draft_is_404_to_outsiders(client, client_for, organisation, member):
    draft = DatasetFactory(publisher=organisation, slug="camden-draft")
    url = reverse("catalogue:dataset-dcat", kwargs={"slug": draft.slug, "fmt": "ttl"})

    assert client.get(url).status_code == 404
    assert client_for(member).get(url).status_code == 200


def test_catalog_pages_link_with_hydra_and_together_list_every_dataset(
    client, organisation, monkeypatch
):
    monkeypatch.setattr(dcat_catalog, "PER_PAGE", 2)
    made = DatasetFactory.create_batch(5, publisher=organisation, status=DatasetStatus.PUBLISHED)
    url = reverse("catalogue:catalog", kwargs={"fmt": "ttl"})
    seen: list[URIRef] = []
    page_url: str | None = dcat.absolute(url) + "?page=1"
    pages = 0
    while page_url:
        graph = parsed(client.get(page_url.removeprefix(dcat.absolute(""))), "ttl")
        seen += list(graph.objects(None, DCAT.dataset))
        paging = URIRef(page_url)
        assert graph.value(paging, HYDRA.totalItems).toPython() == 5
        next_page = graph.value(paging, HYDRA.nextPage)
        page_url = str(next_page) if next_page else None
        pages += 1

    assert pages == 3
    assert sorted(seen) == sorted(dcat.dataset_iri(d) for d in made)


def test_catalog_page_past_the_last_is_404(client, published):
    url = reverse("catalogue:catalog", kwargs={"fmt": "ttl"})

    assert client.get(url, {"page": 2}).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5"])
def test_catalog_bad_page_is_400_with_a_message(client, published, page):
    response = client.get(reverse("catalogue:catalog", kwargs={"fmt": "ttl"}), {"page": page})

    assert response.status_code == 400
    assert b"page must be a whole number" in response.content


def test_catalog_modified_since_keeps_recent_changes_and_keeps_it_in_links(
    client, organisation, monkeypatch
):
    monkeypatch.setattr(dcat_catalog, "PER_PAGE", 1)
    old, recent, newer = DatasetFactory.create_batch(
        3, publisher=organisation, status=DatasetStatus.PUBLISHED
    )
    long_ago = timezone.now() - timedelta(days=30)
    Dataset.objects.filter(pk=old.pk).update(updated_at=long_ago)
    Dataset.objects.filter(pk=recent.pk).update(updated_at=long_ago, last_version_at=timezone.now())
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    url = reverse("catalogue:catalog", kwargs={"fmt": "ttl"})

    graph = parsed(client.get(url, {"modified_since": since}), "ttl")

    assert set(graph.objects(None, DCAT.dataset)) == {dcat.dataset_iri(recent)}
    next_page = str(next(graph.objects(None, HYDRA.nextPage)))
    assert f"modified_since={since}" in next_page
    second = parsed(client.get(next_page.removeprefix(dcat.absolute(""))), "ttl")
    assert set(second.objects(None, DCAT.dataset)) == {dcat.dataset_iri(newer)}


@pytest.mark.parametrize("value", ["last week", "2025-31-01", "1700000000"])
def test_catalog_bad_modified_since_is_400_with_a_message(client, value):
    url = reverse("catalogue:catalog", kwargs={"fmt": "jsonld"})

    response = client.get(url, {"modified_since": value})

    assert response.status_code == 400
    assert "modified_since must be an ISO 8601 date" in response.content.decode()


def test_catalog_of_an_empty_store_is_a_valid_catalogue(client):
    graph = parsed(client.get(reverse("catalogue:catalog", kwargs={"fmt": "ttl"})), "ttl")

    assert mandatory_problems(graph) == [
        f"{dcat.catalogue_iri()} ({DCAT.Catalog}) has no {DCTERMS.modified}"
    ]
    assert list(graph.objects(None, DCAT.dataset)) == []


# --- Frictionless Data Packages ------------------------------------------------------------

MIXED = (
    b"id,name,opened,active,score,recorded,code\n"
    b'1,=HYPERLINK("x"),01/02/2024,yes,"3,5",2024-01-02T10:00:00Z,-A\n'
    b"2,Library,15/03/2024,no,,2024-01-03 11:30,B\n"
    b"3,,31/12/2024,yes,12,,B\n"
)
MIXED_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "name", "type": "string"},
        {
            "name": "opened",
            "type": "date",
            "format": "%d/%m/%Y",
            "constraints": {"minimum": "01/01/2020"},
        },
        {"name": "active", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        {"name": "score", "type": "number", "decimalChar": ","},
        {"name": "recorded", "type": "datetime"},
        {
            "name": "code",
            "type": "string",
            "constraints": {"enum": ["-A", "B"], "pattern": "[-A-Z]+"},
        },
    ],
    "primaryKey": ["id"],
    "missingValues": [""],
}


@pytest.fixture
def packaged(organisation, publisher):
    dataset = DatasetFactory(
        publisher=organisation,
        slug="libraries",
        title="Libraries",
        status=DatasetStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    dataset.keywords.set([Keyword.objects.create(name="libraries")])
    ready_resource(
        by=publisher, dataset=dataset, content=MIXED, filename="libraries.csv",
        name="Library sites", schema=MIXED_SCHEMA,
    )  # fmt: skip
    ready_resource(by=publisher, dataset=dataset, name="Counts by ward")
    return dataset


def unzip(response, tmp_path: Path) -> Path:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="libraries-datapackage.zip"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        archive.extractall(tmp_path)
    return tmp_path / "datapackage.json"


def test_datapackage_zip_passes_frictionless_validate(client, packaged, tmp_path):
    url = reverse("catalogue:dataset-datapackage-zip", kwargs={"slug": packaged.slug})

    descriptor_path = unzip(client.get(url), tmp_path)

    report = frictionless.validate(str(descriptor_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(descriptor_path.read_text())
    assert descriptor["name"] == "libraries"
    assert descriptor["keywords"] == ["libraries"]
    assert descriptor["licenses"][0]["name"] == "OGL-UK-3.0"
    assert [r["name"] for r in descriptor["resources"]] == ["library-sites", "counts-by-ward"]
    sites = descriptor["resources"][0]
    data = (tmp_path / sites["path"]).read_bytes()
    assert sites["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert sites["bytes"] == len(data)


def test_datapackage_zip_csv_values_match_their_schema_types(client, packaged, tmp_path):
    url = reverse("catalogue:dataset-datapackage-zip", kwargs={"slug": packaged.slug})
    descriptor_path = unzip(client.get(url), tmp_path)

    package = frictionless.Package(str(descriptor_path))
    rows = package.get_resource("library-sites").read_rows()

    first, second, third = rows
    assert first["opened"] == date(2024, 2, 1)
    assert first["active"] is True and second["active"] is False
    assert first["score"] == Decimal("3.5") and second["score"] is None
    assert first["recorded"] == datetime(2024, 1, 2, 10, 0)
    assert first["name"] == '\'=HYPERLINK("x")'  # a spreadsheet will not run it
    assert first["code"] == "'-A" and third["name"] is None
    types = {f.name: f.type for f in package.get_resource("library-sites").schema.fields}
    assert types == {
        "id": "integer", "name": "string", "opened": "date", "active": "boolean",
        "score": "number", "recorded": "datetime", "code": "string",
    }  # fmt: skip


def test_datapackage_zip_records_the_download(client, packaged, tmp_path):
    url = reverse("catalogue:dataset-datapackage-zip", kwargs={"slug": packaged.slug})

    unzip(client.get(url), tmp_path)

    usage = DatasetUsage.objects.get(dataset=packaged)
    assert (usage.kind, usage.count) == (UsageKind.DOWNLOAD, 1)


def test_datapackage_zip_of_restricted_data_needs_access(
    client, client_for, organisation, publisher, other_organisation
):
    restricted = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level=AccessLevel.RESTRICTED
    )
    ready_resource(by=publisher, dataset=restricted)
    outsider = MembershipFactory(organisation=other_organisation).user
    url = reverse("catalogue:dataset-datapackage-zip", kwargs={"slug": restricted.slug})

    assert client.get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(publisher).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="dataset.data_read").count() == 1
    assert not DatasetUsage.objects.filter(dataset=restricted, count__gt=1).exists()


def test_datapackage_routes_of_a_draft_are_404_to_outsiders(client, organisation):
    draft = DatasetFactory(publisher=organisation, slug="a-draft")

    for name in ("catalogue:dataset-datapackage", "catalogue:dataset-datapackage-zip"):
        assert client.get(reverse(name, kwargs={"slug": draft.slug})).status_code == 404


def test_datapackage_json_points_at_each_latest_upload_exactly(client, packaged):
    url = reverse("catalogue:dataset-datapackage", kwargs={"slug": packaged.slug})

    descriptor = client.get(url).json()

    sites = next(r for r in descriptor["resources"] if r["name"] == "library-sites")
    version = packaged.resources.get(name="Library sites").latest
    assert sites["hash"] == f"sha256:{version.sha256}"
    assert sites["bytes"] == len(MIXED)
    assert sites["schema"] == MIXED_SCHEMA
    assert sites["path"].startswith("http") and sites["path"].endswith("/versions/1/source")
    assert frictionless.Package.metadata_validate(descriptor) is not None
    assert not list(frictionless.Package.metadata_validate(descriptor))
