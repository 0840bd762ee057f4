from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from interborough.catalogue import storage
from interborough.catalogue.models import Resource, ResourceVersion, VersionStatus
from interborough.catalogue.services import versions
from interborough.catalogue.services.versions import resource_create, resource_version_upload
from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from tests.factories.catalogue import DatasetFactory

pytestmark = pytest.mark.django_db

FIRST = b"ward,count\nE05000001,12\nE05000002,7\n"
SECOND = b"ward,count,year\nE05000001,12,2026\nE05000003,4,2026\nE05000004,9,2026\n"


@pytest.fixture
def resource(publisher, organisation):
    dataset = DatasetFactory(publisher=organisation)
    return resource_create(by=publisher, dataset=dataset, name="Counts by ward")


def upload(by, resource, content: bytes, filename: str = "counts.csv", **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        version = resource_version_upload(
            by=by, resource=resource, filename=filename, chunks=[content], **kwargs
        )
    version.refresh_from_db()
    return version


def test_an_upload_becomes_a_ready_version_and_the_latest(publisher, resource):
    version = upload(publisher, resource, FIRST)

    assert version.status == VersionStatus.READY
    assert (version.number, version.rows, version.format) == (1, 2, "csv")
    assert [f["name"] for f in version.schema["fields"]] == ["ward", "count"]
    assert storage.parquet_path(version).exists()
    assert storage.source_path(version).read_bytes() == FIRST
    assert Resource.objects.get(pk=resource.pk).latest == version
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"resource_version.upload", "resource_version.ready"} <= actions


def test_a_new_version_summarises_what_changed(publisher, resource):
    upload(publisher, resource, FIRST)
    second = upload(publisher, resource, SECOND)

    assert second.number == 2
    assert second.changes["columns_added"] == ["year"]
    assert second.changes["rows_added"] >= 2
    assert Resource.objects.get(pk=resource.pk).latest == second
    assert storage.parquet_path(ResourceVersion.objects.get(number=1)).exists()


def test_a_broken_upload_is_invalid_and_never_the_latest(publisher, resource):
    good = upload(publisher, resource, FIRST)
    broken = upload(publisher, resource, b"ward,count\nE05000001,12,extra,cells\n\x00\x00")

    assert broken.status == VersionStatus.INVALID
    assert broken.problem_count >= 1 and broken.problems[0]["message"]
    assert not storage.parquet_path(broken).exists()
    assert Resource.objects.get(pk=resource.pk).latest == good


def test_an_attached_schema_is_enforced_with_rows_and_columns(publisher, resource):
    schema = {"fields": [{"name": "ward", "type": "string"}, {"name": "count", "type": "integer"}]}
    version = upload(publisher, resource, b"ward,count\nE05000001,twelve\n", schema=schema)

    assert version.status == VersionStatus.INVALID
    assert {"row": 2, "column": "count"}.items() <= version.problems[0].items()


def test_uploads_over_the_limit_leave_nothing_behind(publisher, resource, monkeypatch):
    monkeypatch.setattr(versions, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ApplicationError):
        resource_version_upload(
            by=publisher, resource=resource, filename="counts.csv", chunks=[FIRST]
        )

    assert not ResourceVersion.objects.exists()
    folder = Path(storage.version_dir(ResourceVersion(resource=resource, number=1)))
    assert not folder.exists()


@pytest.mark.parametrize("filename", ["counts.exe", "../../etc/passwd", "", "x.csv\u202e"])
def test_unexpected_file_names_are_refused(publisher, resource, filename):
    with pytest.raises(ApplicationError):
        resource_version_upload(by=publisher, resource=resource, filename=filename, chunks=[FIRST])
    assert not ResourceVersion.objects.exists()


def test_only_the_publisher_uploads(member, resource):
    with pytest.raises(PermissionDenied):
        resource_version_upload(by=member, resource=resource, filename="a.csv", chunks=[FIRST])
