"""schema.org Dataset JSON-LD (catalogue/jsonld.py): what it says, and that it cannot be
broken out of when written into a page."""

import json
import re
from datetime import date

import pytest

from interborough.catalogue import jsonld
from interborough.catalogue.models import AccessLevel, Licence
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ResourceFactory, ready_resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _download_path(monkeypatch):
    """The download route is views/data.py's; these tests are about the JSON-LD itself."""
    monkeypatch.setattr(jsonld, "download_path", lambda d, r: f"/d/{d.slug}/{r.pk}.csv")


def absolute(path: str) -> str:
    return f"https://data.example.london{path}"


def test_jsonld_describes_the_dataset(organisation):
    dataset = DatasetFactory(
        publisher=organisation,
        title="Street trees",
        temporal_start=date(2025, 1, 1),
        temporal_end=date(2025, 12, 31),
        access_level=AccessLevel.RESTRICTED,
    )
    dataset.boroughs.set([organisation])

    data = jsonld.dataset_jsonld(dataset, [], absolute=absolute)

    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] == "Street trees"
    assert (
        data["url"] == data["identifier"] == f"https://data.example.london/datasets/{dataset.slug}/"
    )
    assert data["creator"]["@type"] == "Organization"
    assert data["publisher"]["name"] == organisation.name
    assert data["temporalCoverage"] == "2025-01-01/2025-12-31"
    assert data["spatialCoverage"] == [
        {"@type": "Place", "name": organisation.name, "identifier": "E09000007"}
    ]
    assert data["license"].startswith("https://www.nationalarchives.gov.uk/")
    assert "request access" in data["conditionsOfAccess"]
    assert data["distribution"] == []


def test_jsonld_open_ended_period_and_no_licence_url(organisation):
    dataset = DatasetFactory(
        publisher=organisation, temporal_start=date(2024, 4, 1), licence=Licence.RESTRICTED
    )

    data = jsonld.dataset_jsonld(dataset, [], absolute=absolute)

    assert data["temporalCoverage"] == "2024-04-01/.."
    assert "license" not in data and "conditionsOfAccess" not in data


def test_jsonld_lists_only_resources_with_a_ready_version(organisation):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    dataset = DatasetFactory(publisher=organisation)
    ready = ready_resource(by=publisher, dataset=dataset)
    empty = ResourceFactory(dataset=dataset)

    data = jsonld.dataset_jsonld(dataset, [ready, empty], absolute=absolute)

    assert data["distribution"] == [
        {
            "@type": "DataDownload",
            "name": ready.name,
            "encodingFormat": "text/csv",
            "contentUrl": f"https://data.example.london/d/{dataset.slug}/{ready.pk}.csv",
        }
    ]


@pytest.mark.parametrize(
    "title",
    ["</script><script>alert(1)</script>", "<!-- x", "a & b <b>", "</SCRIPT >"],
)
def test_jsonld_script_cannot_be_broken_out_of(title):
    script = jsonld.jsonld_script({"name": title})

    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', script, re.S)
    assert body is not None
    assert "<" not in body.group(1) and ">" not in body.group(1) and "&" not in body.group(1)
    assert json.loads(body.group(1)) == {"name": title}
