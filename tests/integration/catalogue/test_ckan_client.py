"""The real `ckanapi` client from PyPI against a live server: its Python API and its command
line (`action`, `search datasets`, `dump datasets --all`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest

from interborough.catalogue.models import DatasetStatus
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db(transaction=True)

CKANAPI = str(Path(sys.executable).with_name("ckanapi"))


@pytest.fixture
def catalogue(organisation):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    datasets = []
    for n, title in enumerate(["Street trees", "Rough sleeping counts", "Libraries"]):
        dataset = DatasetFactory(
            publisher=organisation,
            title=title,
            slug=title.lower().replace(" ", "-"),
            status=DatasetStatus.PUBLISHED,
            description=f"{title}: dataset number {n}.",
        )
        ready_resource(by=publisher, dataset=dataset)
        datasets.append(dataset)
    DatasetFactory(publisher=organisation, slug="unpublished-draft")
    return datasets


def run_cli(*args: str) -> str:
    # `dump` starts its workers as `ckanapi` from PATH: put our venv's first.
    env = {**os.environ, "PATH": f"{Path(CKANAPI).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(  # noqa: S603 (fixed argv, our own venv's ckanapi)
        [CKANAPI, *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ckanapi_python_client_reads_the_catalogue(live_server, catalogue):
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="interborough-tests")

    names = remote.action.package_list()
    package = remote.action.package_show(id="street-trees")

    assert names == ["libraries", "rough-sleeping-counts", "street-trees"]
    assert package["resources"][0]["datastore_active"] is True


def test_ckanapi_python_client_raises_ckans_exceptions(live_server, catalogue):
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="interborough-tests")

    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="unpublished-draft")
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_list(limit="many")


def test_ckanapi_get_only_client_works_too(live_server, catalogue):
    remote = ckanapi.RemoteCKAN(live_server.url, get_only=True, user_agent="interborough-tests")

    assert remote.action.organization_list() == ["camden"]


def test_ckanapi_cli_action(live_server, catalogue):
    output = run_cli("action", "organization_show", "id=camden", "-r", live_server.url)

    assert json.loads(output)["name"] == "camden"


def test_ckanapi_cli_dump_datasets_all(live_server, catalogue, tmp_path):
    out = tmp_path / "datasets.jsonl"

    run_cli("dump", "datasets", "--all", "-q", "-O", str(out), "-r", live_server.url)

    names = sorted(json.loads(line)["name"] for line in out.read_text().splitlines())
    assert names == ["libraries", "rough-sleeping-counts", "street-trees"]


def test_ckanapi_cli_search_datasets(live_server, catalogue):
    output = run_cli("search", "datasets", "q=trees", "-r", live_server.url)

    assert [json.loads(line)["name"] for line in output.splitlines()] == ["street-trees"]


def test_ckanapi_python_client_reads_rows_with_datastore_search(live_server, catalogue):
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="interborough-tests")
    resource_id = remote.action.package_show(id="libraries")["resources"][0]["id"]

    result = remote.action.datastore_search(resource_id=resource_id, limit=2)

    assert result["total"] == 3
    assert len(result["records"]) == 2


def test_harvest_from_our_own_ckan_api_on_a_live_server(
    live_server, catalogue, other_organisation, settings
):
    """Another borough harvests this catalogue through its CKAN API, as it would any CKAN."""
    from django.test import TestCase

    from interborough.catalogue.models import Dataset, HarvestKind, HarvestStatus
    from interborough.catalogue.services import harvest

    settings.CATALOGUE_HARVEST_ALLOW_PRIVATE = True
    publisher = MembershipFactory(organisation=other_organisation, role="publisher").user
    source = harvest.harvest_source_create(
        by=publisher,
        organisation=other_organisation,
        data=harvest.HarvestSourceInput(name="Camden", kind=HarvestKind.CKAN, url=live_server.url),
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        run = harvest.harvest_run_start(by=publisher, source=source)
    run.refresh_from_db()

    assert run.status == HarvestStatus.SUCCEEDED, run.errors
    assert run.created == 3
    harvested = Dataset.objects.filter(harvest_source=source)
    assert sorted(harvested.values_list("title", flat=True)) == [
        "Libraries",
        "Rough sleeping counts",
        "Street trees",
    ]
    assert set(harvested.values_list("publisher", flat=True)) == {other_organisation.pk}
