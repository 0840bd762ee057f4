"""Resource, upload and version pages: adding a resource with its first file, new versions,
upload limits, the status page and its JSON, the validation report and confirming a schema
(views/resources.py, views/versions.py, services/version_schema.resource_version_confirm_schema)."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from interborough.catalogue.models import Resource, ResourceVersion, VersionStatus
from interborough.catalogue.services import version_schema
from interborough.catalogue.services import versions as services
from interborough.catalogue.views import resources as resource_views
from interborough.catalogue.views import versions as version_views
from interborough.core.errors import ApplicationError
from tests.factories.catalogue import WARD_COUNTS, DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

BROKEN = b"ward,count\nE05000001,12\nE05000002,7,extra\nE05000003,4,more,cells\n"
SCHEMA = {"fields": [{"name": "ward", "type": "string"}, {"name": "count", "type": "integer"}]}


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def csv_file(content: bytes = WARD_COUNTS, name: str = "counts.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def json_file(value, name: str = "schema.json") -> SimpleUploadedFile:
    body = value if isinstance(value, bytes) else json.dumps(value).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def version_url(version: ResourceVersion, name: str = "version-detail") -> str:
    resource = version.resource
    return reverse(
        f"catalogue:{name}",
        kwargs={
            "slug": resource.dataset.slug,
            "resource_id": resource.pk,
            "number": version.number,
        },
    )


def upload_url(resource: Resource) -> str:
    return reverse("catalogue:version-upload", args=[resource.dataset.slug, resource.pk])


@pytest.fixture
def dataset(organisation):
    return DatasetFactory(publisher=organisation, status="published")


@pytest.fixture
def resource(publisher, dataset):
    return ready_resource(by=publisher, dataset=dataset)


# --- adding a resource ------------------------------------------------------------------------


def test_resource_create_uploads_the_first_file_and_checks_it(client_for, publisher, dataset):
    url = reverse("catalogue:resource-create", args=[dataset.slug])

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(publisher).post(
            url, {"name": "Counts by ward", "description": "Quarterly.", "file": csv_file()}
        )

    resource = Resource.objects.get(dataset=dataset)
    version = resource.versions.get()
    assert response.status_code == 302 and response["Location"] == version_url(version)
    assert (resource.name, version.status, version.rows) == ("Counts by ward", "ready", 3)
    assert resource.latest_id == version.pk


def test_resource_create_with_a_wrong_file_type_leaves_no_resource(client_for, publisher, dataset):
    url = reverse("catalogue:resource-create", args=[dataset.slug])

    response = client_for(publisher).post(
        url, {"name": "Counts", "file": csv_file(b"MZ\x90\x00", "tool.exe")}
    )

    assert "Upload a file of one of these types" in error_summary(response)
    assert 'href="#id_file"' in error_summary(response)
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()


def test_resource_create_needs_a_name_and_a_file(client_for, publisher, dataset):
    url = reverse("catalogue:resource-create", args=[dataset.slug])

    response = client_for(publisher).post(url, {"name": ""})

    summary = error_summary(response)
    assert "Enter the resource name." in summary and "Choose the file to upload." in summary
    assert not Resource.objects.exists()


def test_resource_create_refuses_a_schema_that_is_not_a_table_schema(
    client_for, publisher, dataset
):
    url = reverse("catalogue:resource-create", args=[dataset.slug])
    client = client_for(publisher)

    not_json = client.post(url, {"name": "A", "file": csv_file(), "schema": json_file(b"{nope")})
    not_schema = client.post(
        url, {"name": "A", "file": csv_file(), "schema": json_file({"fields": "x"})}
    )

    assert "The schema file is not JSON" in error_summary(not_json)
    assert "not a valid Table Schema" in error_summary(not_schema)
    assert not Resource.objects.exists()


def test_resource_create_is_403_to_a_member(client_for, member, dataset):
    url = reverse("catalogue:resource-create", args=[dataset.slug])

    response = client_for(member).post(url, {"name": "A", "file": csv_file()})

    assert response.status_code == 403 and not Resource.objects.exists()


# --- the resource's record --------------------------------------------------------------------


def test_resource_detail_lists_versions_and_the_data_dictionary(client, publisher, resource):
    ready = resource.latest
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.resource_version_upload(
            by=publisher, resource=resource, filename="bad.csv", chunks=[BROKEN]
        )
    url = reverse("catalogue:resource-detail", args=[resource.dataset.slug, resource.pk])

    public = html(client.get(url))

    assert "Data dictionary" in public and "<code>borough_code</code>" in public
    assert ready.sha256[:12] in public
    assert version_url(ready) in public
    assert "Has problems" not in public  # only the publisher sees versions that failed


def test_resource_detail_shows_editors_every_version_and_what_changed(
    client_for, publisher, resource
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.resource_version_upload(
            by=publisher,
            resource=resource,
            filename="counts.csv",
            chunks=[WARD_COUNTS + b"E09000012,Dalston,3,51.54,-0.07\n"],
        )
        services.resource_version_upload(
            by=publisher, resource=resource, filename="bad.csv", chunks=[BROKEN]
        )
    url = reverse("catalogue:resource-detail", args=[resource.dataset.slug, resource.pk])

    page = html(client_for(publisher).get(url))

    assert "Has problems" in page and "Upload a new version" in page
    assert "1 row added, 0 removed" in page


# --- uploading a version ----------------------------------------------------------------------


def test_version_upload_round_trip_to_a_ready_version(client_for, publisher, resource):
    client = client_for(publisher)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            upload_url(resource), {"file": csv_file(), "schema": json_file(SCHEMA_OF_COUNTS)}
        )
    version = resource.versions.get(number=2)
    page = client.get(response["Location"])

    assert version.status == VersionStatus.READY and version.schema_confirmed
    assert "Version 2" in html(page) and "Confirm the schema" not in html(page)
    assert "has been uploaded as version 2" in html(page)


def test_version_upload_from_javascript_names_the_status_page(client_for, publisher, resource):
    response = client_for(publisher).post(
        upload_url(resource), {"file": csv_file()}, headers={"X-Requested-With": "XMLHttpRequest"}
    )

    assert response.json() == {"next": version_url(resource.versions.get(number=2))}


def test_version_upload_refuses_a_body_declared_too_large_before_reading_it(
    client_for, publisher, resource, monkeypatch
):
    monkeypatch.setattr(resource_views, "MAX_REQUEST_BYTES", 100)

    response = client_for(publisher).post(upload_url(resource), {"file": csv_file()})

    assert "larger than the 500 MB limit" in error_summary(response)
    assert resource.versions.count() == 1


def test_version_upload_stops_reading_a_file_past_its_limit(
    client_for, publisher, resource, monkeypatch
):
    monkeypatch.setitem(resource_views.FILE_LIMITS, "file", (10, "Too big for the test."))

    response = client_for(publisher).post(upload_url(resource), {"file": csv_file()})

    assert "Too big for the test." in error_summary(response)
    assert resource.versions.count() == 1


def test_version_upload_refuses_an_empty_file(client_for, publisher, resource):
    response = client_for(publisher).post(upload_url(resource), {"file": csv_file(b"")})

    assert "The file is empty." in error_summary(response)
    assert resource.versions.count() == 1


# --- the version's status page ----------------------------------------------------------------


def test_version_detail_while_checking_polls_its_status(client_for, publisher, resource):
    version = services.resource_version_upload(
        by=publisher, resource=resource, filename="counts.csv", chunks=[WARD_COUNTS]
    )  # its check is never run: it stays uploaded
    client = client_for(publisher)

    page = html(client.get(version_url(version)))
    status = client.get(version_url(version, "version-status")).json()

    assert "Checking your file" in page and "Refresh this page" in page
    assert version_url(version, "version-status") in page
    assert status["status"] == "uploaded" and status["finished"] is False
    assert status["next"] == version_url(version)


def test_version_detail_reports_each_problem_with_its_row_and_column(
    client_for, client, publisher, resource, monkeypatch
):
    monkeypatch.setattr(version_views, "PROBLEMS_SHOWN", 1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        version = services.resource_version_upload(
            by=publisher,
            resource=resource,
            filename="counts.csv",
            chunks=[b"ward,count\nE05000001,twelve\nE05000002,=1+1\n"],
            schema=SCHEMA,
        )
    editor = client_for(publisher)

    page = html(editor.get(version_url(version)))
    download = editor.get(version_url(version) + "?format=csv")
    rows = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()

    assert "The file has 2 problems" in page and "The first 1 of 2 problems" in page
    assert re.search(r">2</td>\s*<td[^>]*>count</td>", page)
    assert rows[0] == "row,column,problem" and len(rows) == 3
    assert client.get(version_url(version)).status_code == 404  # not for the public
    assert editor.get(version_url(version, "version-status")).json()["problem_count"] == 2


def test_version_detail_of_a_ready_version_is_public(client, resource):
    version = resource.latest

    page = html(client.get(version_url(version)))

    assert "<code>count</code>" in page and "integer" in page
    assert "Confirm the schema" not in page  # only editors confirm it


# --- confirming the schema --------------------------------------------------------------------

SCHEMA_OF_COUNTS = {
    "fields": [
        {"name": "borough_code", "type": "string"},
        {"name": "ward", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "latitude", "type": "number"},
        {"name": "longitude", "type": "number"},
    ]
}


def schema_form(version: ResourceVersion, **changes) -> dict:
    data = {}
    for i, field in enumerate(version.schema["fields"]):
        data[f"fields-{i}-type"] = field["type"]
        data[f"fields-{i}-title"] = ""
        data[f"fields-{i}-description"] = ""
    return data | changes


def test_version_schema_with_titles_only_confirms_this_version(client_for, publisher, resource):
    version = resource.latest
    client = client_for(publisher)

    offered = html(client.get(version_url(version)))
    response = client.post(
        version_url(version, "version-schema"),
        schema_form(version, **{"fields-2-title": "People", "fields-2-description": "Counted"}),
    )

    version.refresh_from_db()
    assert "Confirm the schema" in offered
    assert response["Location"] == version_url(version)
    assert version.schema_confirmed and resource.versions.count() == 1
    assert version.schema["fields"][2] == {
        "name": "count",
        "type": "integer",
        "title": "People",
        "description": "Counted",
    }


def test_version_schema_with_a_new_type_checks_a_new_version(client_for, publisher, resource):
    version = resource.latest

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(publisher).post(
            version_url(version, "version-schema"),
            schema_form(version, **{"fields-2-type": "string", "fields-0-required": "on"}),
        )

    version.refresh_from_db()
    second = resource.versions.get(number=2)
    assert response["Location"] == version_url(second)
    assert not version.schema_confirmed and version.schema["fields"][2]["type"] == "integer"
    assert second.status == VersionStatus.READY and second.schema_confirmed
    assert second.schema["fields"][2]["type"] == "string"
    assert second.schema["fields"][0]["constraints"] == {"required": True}
    assert second.sha256 == version.sha256
    assert second.changes["columns_retyped"] == [["count", "integer", "string"]]


def test_version_schema_rerenders_with_errors(client_for, publisher, resource):
    version = resource.latest

    response = client_for(publisher).post(
        version_url(version, "version-schema"),
        schema_form(version, **{"fields-1-type": "banana", "fields-0-title": "x" * 300}),
    )

    summary = error_summary(response)
    assert "Choose the type of “ward” from the list." in summary
    version.refresh_from_db()
    assert not version.schema_confirmed


def test_version_schema_reports_service_errors_on_their_field(client_for, publisher, resource):
    version = resource.latest

    response = client_for(publisher).post(
        version_url(version, "version-schema"),
        schema_form(version, **{"fields-0-title": "x" * 300}),
    )

    assert 'href="#id_fields-0-title"' in error_summary(response)
    assert "200 characters or fewer" in error_summary(response)


def test_version_schema_once_confirmed_is_refused(publisher, resource):
    version = resource.latest
    fields = [version_schema.SchemaFieldInput(name=f["name"]) for f in version.schema["fields"]]
    version_schema.resource_version_confirm_schema(by=publisher, version=version, fields=fields)

    with pytest.raises(ApplicationError, match="already confirmed"):
        version_schema.resource_version_confirm_schema(by=publisher, version=version, fields=fields)


def test_version_schema_refuses_columns_that_are_not_the_versions(publisher, resource):
    fields = [version_schema.SchemaFieldInput(name="something_else")]

    with pytest.raises(ApplicationError, match="not this version's columns"):
        version_schema.resource_version_confirm_schema(
            by=publisher, version=resource.latest, fields=fields
        )


def test_version_schema_is_403_to_a_member(client_for, member, resource):
    version = resource.latest

    response = client_for(member).post(version_url(version, "version-schema"), {})

    assert response.status_code == 403
