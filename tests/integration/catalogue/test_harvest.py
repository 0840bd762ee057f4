"""Harvesting from a live local server: CKAN package_search pages, a paged DCAT catalogue, and
servers that hang, send too much, send junk or redirect somewhere odd."""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from interborough.catalogue import dcat_catalog
from interborough.catalogue.harvest_fetch import Limits
from interborough.catalogue.models import (
    Dataset,
    DatasetStatus,
    HarvestKind,
    HarvestRun,
    HarvestSource,
    HarvestStatus,
)
from interborough.catalogue.services import harvest
from interborough.core.errors import PermissionDeniedError
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db


def package(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"pkg-{n}",
        "name": f"dataset-{n}",
        "title": f"Remote dataset {n}",
        "notes": f"About dataset {n}.",
        "license_id": "uk-ogl",
        "maintainer": "Data team",
        "maintainer_email": "data@example.gov.uk",
        "tags": [{"name": "parks"}, {"name": "green space"}],
        "resources": [{"name": "Sites", "url": f"https://example.org/{n}.csv", "format": "CSV"}],
        **extra,
    }


DCAT_PAGE_1 = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<{base}/dcat/catalog.ttl?page=1> a hydra:PagedCollection ;
    hydra:nextPage <{base}/dcat/catalog.ttl?page=2> .
<https://remote.example/d/air> a dcat:Dataset ;
    dct:identifier "air-quality" ; dct:title "Air quality"@en ;
    dct:description "Hourly NO2."@en ; dcat:keyword "air", "no2" ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:spatial <http://statistics.data.gov.uk/id/statistical-geography/E09000007> ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY> ;
    dcat:landingPage <https://remote.example/air> ;
    dcat:contactPoint [ a vcard:Kind ; vcard:fn "Air team" ;
                        vcard:hasEmail <mailto:air@example.gov.uk> ] ;
    dcat:distribution [ a dcat:Distribution ; dct:title "Readings" ;
        dcat:accessURL <https://remote.example/air/readings> ;
        dcat:downloadURL <https://remote.example/air/readings.csv> ;
        dct:license <https://creativecommons.org/licenses/by/4.0/> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
"""
DCAT_PAGE_2 = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://remote.example/d/noise> a dcat:Dataset ;
    dct:title "Noise complaints" ; dct:description "Complaints by ward." .
<https://remote.example/d/untitled> a dcat:Dataset ; dct:description "No title." .
"""


class Remote:
    """What the fake remote catalogue serves; tests change it between runs."""

    def __init__(self) -> None:
        self.packages = [package(n) for n in range(1, 6)]
        self.release = threading.Event()
        self.base = ""
        self.files: dict[str, tuple[str, bytes]] = {}


def handler_for(remote: Remote) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def send(self, body: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path.startswith("/hang"):
                remote.release.wait(timeout=30)
                return self.send(b"{}", "application/json")
            if parts.path.startswith("/huge"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b" " * 65536)
                return None
            if parts.path.startswith("/junk"):
                return self.send(b"<html>not a catalogue</html>", "text/html")
            if parts.path.startswith("/to-ftp"):
                self.send_response(302)
                self.send_header("Location", "ftp://example.org/data")
                self.end_headers()
                return None
            if parts.path.endswith("/api/3/action/package_search"):
                rows, start = int(query["rows"][0]), int(query["start"][0])
                result = {"count": len(remote.packages), "results": remote.packages[start:][:rows]}
                body = {"help": "", "success": True, "result": result}
                return self.send(json.dumps(body).encode(), "application/json")
            if parts.path == "/dcat/catalog.ttl":
                page = DCAT_PAGE_1 if query.get("page", ["1"])[0] == "1" else DCAT_PAGE_2
                return self.send(page.replace("{base}", remote.base).encode(), "text/turtle")
            if parts.path in remote.files:
                content_type, body = remote.files[parts.path]
                return self.send(body, content_type)
            return self.send(b"not found", "text/plain", 404)

    return Handler


@pytest.fixture
def remote() -> Iterator[Remote]:
    state = Remote()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _test_limits(monkeypatch):
    """Loopback allowed, short timeouts, small pages and a 1 MB response limit."""
    limits = Limits(
        read_seconds=0.5, total_seconds=20, max_bytes=1024 * 1024, page_rows=2, allow_private=True
    )
    monkeypatch.setattr(harvest, "harvest_limits", lambda: limits)


def make_source(organisation, publisher, url: str, kind: str = HarvestKind.CKAN) -> HarvestSource:
    data = harvest.HarvestSourceInput(name="Remote", kind=kind, url=url)
    return harvest.harvest_source_create(by=publisher, organisation=organisation, data=data)


def run_now(source: HarvestSource, by) -> HarvestRun:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = harvest.harvest_run_start(by=by, source=source)
    run.refresh_from_db()
    return run


def test_harvest_ckan_pages_create_published_datasets(remote, organisation, publisher):
    source = make_source(organisation, publisher, remote.base + "/ckan/")

    run = run_now(source, publisher)

    assert run.status == HarvestStatus.SUCCEEDED, run.errors
    assert (run.found, run.created, run.updated, run.withdrawn) == (5, 5, 0, 0)
    dataset = Dataset.objects.get(harvest_source=source, harvest_identifier="pkg-3")
    assert dataset.status == DatasetStatus.PUBLISHED
    assert dataset.publisher == organisation
    assert dataset.licence == "OGL-UK-3.0"
    assert dataset.harvest_url == remote.base + "/ckan/dataset/dataset-3"
    assert "## Data from " + remote.base + "/ckan/dataset/dataset-3" in dataset.description
    assert "[Sites (CSV)](https://example.org/3.csv)" in dataset.description
    assert sorted(dataset.keywords.values_list("name", flat=True)) == ["green space", "parks"]
    assert dataset.contact_email == "data@example.gov.uk"


def test_harvest_again_updates_changes_and_withdraws_what_vanished(remote, organisation, publisher):
    source = make_source(organisation, publisher, remote.base + "/ckan")
    run_now(source, publisher)
    remote.packages = [package(1, title="Renamed"), package(2), package(3)]

    run = run_now(source, publisher)

    assert (run.found, run.created, run.updated, run.withdrawn) == (3, 0, 1, 2)
    assert Dataset.objects.get(harvest_identifier="pkg-1").title == "Renamed"
    assert Dataset.objects.get(harvest_identifier="pkg-5").status == DatasetStatus.WITHDRAWN
    remote.packages.append(package(5))
    third = run_now(source, publisher)
    assert third.updated == 1
    assert Dataset.objects.get(harvest_identifier="pkg-5").status == DatasetStatus.PUBLISHED


def test_harvest_dcat_follows_next_page_and_maps_the_standard_terms(
    remote, organisation, publisher
):
    source = make_source(organisation, publisher, remote.base + "/dcat/catalog.ttl", "dcat")

    run = run_now(source, publisher)

    assert run.status == HarvestStatus.SUCCEEDED
    assert (run.found, run.created) == (2, 2)
    assert run.errors == ["The dataset https://remote.example/d/untitled has no title."]
    air = Dataset.objects.get(harvest_identifier="air-quality")
    assert air.licence == "CC-BY-4.0"
    assert air.frequency == "DAILY"
    assert list(air.topics.values_list("data_theme", flat=True)) == ["ENVI"]
    assert list(air.boroughs.all()) == [organisation]  # E09000007
    assert air.contact_email == "air@example.gov.uk"
    assert air.harvest_url == "https://remote.example/air"
    noise = Dataset.objects.get(harvest_identifier="https://remote.example/d/noise")
    assert noise.licence == "restricted" and noise.access_level == "signed_in"


def test_harvest_dcat_reads_our_own_catalogue_export(remote, organisation, publisher):
    mine = DatasetFactory(publisher=organisation, status=DatasetStatus.PUBLISHED, title="Our trees")
    mine.boroughs.set([organisation])
    ready_resource(by=publisher, dataset=mine)  # the licence is on its distributions
    page = dcat_catalog.catalogue_page()
    url = "http://127.0.0.1/catalog.jsonld"
    graph = dcat_catalog.catalogue_graph(page, url=url, query={})
    remote.files["/ours.jsonld"] = ("application/ld+json", dcat_catalog.serialise(graph, "jsonld"))
    source = make_source(organisation, publisher, remote.base + "/ours.jsonld", "dcat")

    run = run_now(source, publisher)

    assert run.status == HarvestStatus.SUCCEEDED, run.errors
    copy = Dataset.objects.get(harvest_source=source)
    assert copy.title == "Our trees"
    assert copy.licence == mine.licence
    assert list(copy.boroughs.all()) == [organisation]


@pytest.mark.parametrize(
    "path, kind, message",
    [
        ("/hang", "ckan", "did not answer in time"),
        ("/huge", "ckan", "sent more than 1 MB"),
        ("/junk", "ckan", "did not answer with JSON"),
        ("/junk", "dcat", "is not a DCAT catalogue"),
        ("/to-ftp", "dcat", "Only http and https addresses"),
        ("/missing.ttl", "dcat", "answered HTTP 404"),
    ],
)
def test_harvest_a_bad_source_ends_failed_with_its_error(
    remote, organisation, publisher, path, kind, message
):
    source = make_source(organisation, publisher, remote.base + path, kind)

    run = run_now(source, publisher)

    assert run.status == HarvestStatus.FAILED
    assert message in run.errors[-1]
    assert run.finished_at is not None
    assert not Dataset.objects.filter(harvest_source=source).exists()


def test_harvest_a_crash_of_ours_ends_failed_not_running(
    remote, organisation, publisher, monkeypatch
):
    source = make_source(organisation, publisher, remote.base + "/ckan")
    monkeypatch.setattr(harvest, "_save_dataset", lambda **kwargs: 1 / 0)

    run = run_now(source, publisher)

    assert run.status == HarvestStatus.FAILED
    assert "unexpected error" in run.errors[-1]


def test_harvest_private_addresses_are_refused_by_default(organisation, publisher, monkeypatch):
    monkeypatch.setattr(harvest, "harvest_limits", lambda: Limits())
    source = make_source(organisation, publisher, "http://127.0.0.1:9/catalog.ttl", "dcat")

    run = run_now(source, publisher)

    assert run.status == HarvestStatus.FAILED
    assert "private network" in run.errors[-1]


def test_harvest_run_start_refuses_a_second_run_and_outsiders(organisation, publisher, member):
    source = make_source(organisation, publisher, "https://remote.example/catalog.ttl", "dcat")
    harvest.harvest_run_start(by=publisher, source=source)  # queued, not run (no commit)

    with pytest.raises(Exception, match="already being harvested"):
        harvest.harvest_run_start(by=publisher, source=source)
    with pytest.raises(PermissionDeniedError):
        harvest.harvest_run_start(by=member, source=source)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "javascript:alert(1)", "example.org/catalog", ""]
)
def test_harvest_source_create_refuses_non_http_addresses(organisation, publisher, url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        make_source(organisation, publisher, url)

    assert "url" in caught.value.message_dict


def test_catalogue_harvest_command_runs_due_sources_and_fails_stuck_runs(
    remote, organisation, publisher
):
    due = make_source(organisation, publisher, remote.base + "/ckan")
    later = make_source(organisation, publisher, remote.base + "/ckan/other")
    HarvestSource.objects.filter(pk=later.pk).update(
        next_run_at=timezone.now() + timedelta(hours=1)
    )
    stuck_source = make_source(organisation, publisher, remote.base + "/dcat/catalog.ttl", "dcat")
    stuck = HarvestRun.objects.create(
        source=stuck_source, status=HarvestStatus.RUNNING, started_at=timezone.now()
    )
    HarvestRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=3))
    HarvestRun.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - timedelta(hours=3))

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("catalogue_harvest", stdout=open("/dev/null", "w"))  # noqa: SIM115

    stuck.refresh_from_db()
    assert stuck.status == HarvestStatus.FAILED
    assert "did not finish" in stuck.errors[-1]
    assert due.runs.get().status == HarvestStatus.SUCCEEDED
    assert not later.runs.exists()
    assert stuck_source.runs.filter(status=HarvestStatus.SUCCEEDED).count() == 1
    due.refresh_from_db()
    assert due.next_run_at > timezone.now() + timedelta(hours=23)


# --- pages -----------------------------------------------------------------------------------


def test_harvest_pages_add_a_source_and_harvest_it_now(client_for, organisation, publisher):
    client = client_for(publisher)
    data = {"name": "Remote", "kind": "dcat", "url": "https://remote.example/catalog.ttl"}

    response = client.post(reverse("catalogue:harvest-source-create"), data | {"every_hours": 6})

    source = HarvestSource.objects.get()
    assert response.status_code == 302
    assert (source.organisation, source.every_hours, source.created_by) == (
        organisation,
        6,
        publisher,
    )
    client.post(reverse("catalogue:harvest-run", kwargs={"pk": source.pk}))
    assert source.runs.get().status == HarvestStatus.QUEUED  # the task runs after commit
    page = client.get(reverse("catalogue:harvest-source-detail", kwargs={"pk": source.pk}))
    assert b"Job history" in page.content and b"Queued" in page.content
    listing = client.get(reverse("catalogue:harvest-source-list"))
    assert b"Remote" in listing.content


def test_harvest_pages_show_form_errors_for_a_bad_address(client_for, publisher):
    data = {"name": "Remote", "kind": "ckan", "url": "ftp://x.example", "every_hours": 24}

    response = client_for(publisher).post(reverse("catalogue:harvest-source-create"), data)

    assert response.status_code == 200
    assert "starting http:// or https://" in response.content.decode()
    assert not HarvestSource.objects.exists()


def test_harvest_pages_hide_other_organisations_sources(
    client_for, organisation, publisher, other_organisation
):
    source = make_source(organisation, publisher, "https://remote.example/c.ttl", "dcat")
    outsider = MembershipFactory(organisation=other_organisation, role="org_admin").user
    client = client_for(outsider)

    detail = client.get(reverse("catalogue:harvest-source-detail", kwargs={"pk": source.pk}))
    listing = client.get(reverse("catalogue:harvest-source-list"))

    assert detail.status_code == 404
    assert b"remote.example" not in listing.content
    assert (
        client.post(reverse("catalogue:harvest-run", kwargs={"pk": source.pk})).status_code == 404
    )
    assert not source.runs.exists()
