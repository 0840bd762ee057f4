"""No row of a restricted dataset can be read without a grant, through any route.

Every route in the project whose URL can be pointed at a dataset, a resource or a version
(pages, downloads in every format, API v1, the CKAN Action API, data packages, previews) is
called as each kind of outsider, and no response may carry a sentinel value that exists only in
the restricted rows, not even inside a zip, a workbook or a Parquet file.
"""

import io
import re
import zipfile
from datetime import timedelta
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.utils import timezone

from interborough.catalogue.models import AccessGrant, AccessLevel, DatasetStatus
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.integration.test_authorisation import discover

pytestmark = pytest.mark.django_db

SENTINEL = "SECRET-HOUSEHOLD-7F3A"
ROWS = (
    "household,borough_code,latitude,longitude,people\n"
    f"{SENTINEL},E09000007,51.55,-0.14,4\n"
    "H-0002,E09000012,51.54,-0.05,2\n"
).encode()
FORMATS = ("csv", "xlsx", "json", "geojson", "parquet", "ttl", "jsonld", "rdf")
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")
CKAN_DATA_ACTIONS = ("datastore_search", "datastore_info", "package_show", "resource_show")


@pytest.fixture
def restricted(organisation, publisher):
    dataset = DatasetFactory(
        publisher=organisation,
        slug="placements",
        title="Temporary accommodation placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    return ready_resource(by=publisher, dataset=dataset, content=ROWS, filename="placements.csv")


def _urls(resource) -> list[str]:
    """Every GET URL that can be pointed at the restricted dataset, resource or version."""
    values = {"slug": "placements", "resource_id": str(resource.pk), "number": "1"}
    urls: list[str] = []
    for found in discover().values():
        if found.is_api and found.method != "GET":
            continue
        names = [a or b for a, b in PARAMETER.findall(found.pattern)]
        if not names or not set(names) <= {*values, "fmt", "name"}:
            continue
        if "name" in names:  # the CKAN Action API: its data-bearing actions
            base = PARAMETER.sub("{name}", "/" + found.pattern.lstrip("^/"))
            for action in CKAN_DATA_ACTIONS:
                key = "resource_id" if action == "datastore_search" else "id"
                ident = "placements" if action == "package_show" else str(resource.pk)
                urls.append(base.replace("{name}", action) + f"?{key}={ident}")
            continue
        for fmt in FORMATS if "fmt" in names else ("",):
            path = PARAMETER.sub(
                lambda m, fmt=fmt: fmt if (m[1] or m[2]) == "fmt" else values[m[1] or m[2]],
                "/" + found.pattern.lstrip("^/"),
            )
            urls.append(path.replace("//", "/"))
    return sorted(set(urls))


def _texts(content: bytes) -> list[bytes]:
    """The response and anything packed inside it (zip members, Parquet cells)."""
    texts = [content]
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                texts.extend(_texts(archive.read(name)))
    if content.startswith(b"PAR1"):
        table = pq.read_table(io.BytesIO(content))
        texts.append(str(table.to_pylist()).encode())
    return texts


def _leaks(client: Client, url: str) -> bool:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(SENTINEL.encode() in text for text in _texts(body))


def _outsiders(restricted, organisation, other_organisation) -> list[tuple[str, Any]]:
    dataset = restricted.dataset
    other_dataset = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level="restricted"
    )
    now = timezone.now()

    def grant_holder(name: str, **grant: Any) -> Client:
        user = UserFactory(email=f"{name}@example.london")
        AccessGrant.objects.create(grantee=user, starts_at=now - timedelta(days=30), **grant)
        return verified_client(user)

    return [
        ("anonymous", Client()),
        ("signed in, no organisation", verified_client(UserFactory())),
        (
            "member of another organisation",
            verified_client(MembershipFactory(organisation=other_organisation).user),
        ),
        ("expired grant", grant_holder("expired", dataset=dataset, expires_at=now)),
        (
            "revoked grant",
            grant_holder(
                "revoked",
                dataset=dataset,
                expires_at=now + timedelta(days=30),
                revoked_at=now - timedelta(days=1),
            ),
        ),
        (
            "grant for another dataset",
            grant_holder("elsewhere", dataset=other_dataset, expires_at=now + timedelta(days=30)),
        ),
    ]


def test_restricted_rows_never_reach_anyone_without_a_grant(
    restricted, organisation, other_organisation
):
    urls = _urls(restricted)
    assert len(urls) > 20, urls  # the walk found the data routes

    leaks = [
        f"{who}: {url}"
        for who, client in _outsiders(restricted, organisation, other_organisation)
        for url in urls
        if _leaks(client, url)
    ]

    assert leaks == []


def test_restricted_rows_reach_the_publisher_so_the_sweep_can_fail(restricted, publisher):
    client = verified_client(publisher)
    urls = _urls(restricted)

    leaking = [url for url in urls if _leaks(client, url)]

    assert any("download.csv" in url for url in leaking)
    assert any("download.parquet" in url for url in leaking)
    assert any("datastore_search" in url for url in leaking)
    assert any(url.startswith("/api/v1/resources/") for url in leaking)


def test_restricted_rows_reach_a_current_grant_holder(restricted):
    holder = UserFactory()
    AccessGrant.objects.create(
        dataset=restricted.dataset,
        grantee=holder,
        starts_at=timezone.now() - timedelta(days=1),
        expires_at=timezone.now() + timedelta(days=30),
    )

    client = verified_client(holder)

    assert _leaks(client, f"/api/v1/resources/{restricted.pk}/records")
    assert _leaks(client, f"/datasets/placements/resources/{restricted.pk}/download.csv")
