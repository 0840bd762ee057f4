"""Writes for resources and their versions: add a resource, upload a version, check and
convert it (a background task) into an immutable, queryable Parquet version, and confirm an
inferred schema.

Nothing is left half-done: the upload is written to its own version folder and removed if the
upload fails; the Parquet file is written beside its final name and renamed into place; a
version becomes `latest` only once it is ready.
"""

import hashlib
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from interborough.accounts.models import User
from interborough.catalogue import downloads, ingest, permissions, storage
from interborough.catalogue.models import Dataset, Resource, ResourceVersion, VersionStatus
from interborough.catalogue.models.resources import VERSION_TRANSITIONS
from interborough.catalogue.services.following import dataset_followers_notify
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_line, clean_text
from interborough.core.workflow import move_status

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 500 * 1024 * 1024
CHECK_FAILED = (
    "The platform could not finish checking this file. Nothing was published; upload it again, "
    "and tell the platform team if it happens twice."
)
ALLOWED_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".json", ".geojson", ".parquet"})
# The Frictionless Table Schema field types a publisher may choose for a column.
FIELD_TYPES = (
    "string", "integer", "number", "boolean", "date", "datetime", "year", "yearmonth", "time",
    "duration", "geopoint", "geojson", "object", "array", "any",
)  # fmt: skip


@transaction.atomic
def resource_create(*, by: User, dataset: Dataset, name: str, description: str = "") -> Resource:
    """Add a resource (a file or table) to a dataset; its id and URL never change."""
    if not permissions.can_edit_dataset(by, dataset):
        raise PermissionDeniedError("Only publishers and admins of the publisher add resources.")
    name = clean_line(name, field="name", label="resource name", max_length=200, required=True)
    description = clean_text(description, field="description", label="description", max_length=5000)
    position = dataset.resources.count()
    resource = Resource.objects.create(
        dataset=dataset, name=name, description=description, position=position
    )
    audit_record(
        by=by,
        action="resource.create",
        obj=resource,
        organisation=dataset.publisher,
        after={"dataset": dataset.slug, "name": name},
    )
    return resource


def _clean_filename(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    name = clean_line(name, field="file", label="file name", max_length=255, required=True)
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(ALLOWED_SUFFIXES))
        raise ApplicationError(f"Upload a file of one of these types: {allowed}.", field="file")
    return name


def _store(chunks: Iterable[bytes], dest: Path) -> tuple[int, str]:
    """Write the upload, refusing it past the limit; returns its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise ApplicationError(
                    f"The file is larger than the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit.",
                    field="file",
                )
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise ApplicationError("The file is empty.", field="file")
    return size, digest.hexdigest()


def resource_version_upload(
    *,
    by: User,
    resource: Resource,
    filename: str,
    chunks: Iterable[bytes],
    schema: dict[str, Any] | None = None,
) -> ResourceVersion:
    """Store an upload as the resource's next version and queue its check and conversion.

    `schema` is the publisher's Frictionless Table Schema; without one, a schema is inferred
    and shown for the publisher to confirm.
    """
    dataset = resource.dataset
    if not permissions.can_edit_dataset(by, dataset):
        raise PermissionDeniedError("Only publishers and admins of the publisher upload data.")
    filename = _clean_filename(filename)
    with transaction.atomic():
        Resource.objects.select_for_update().get(pk=resource.pk)
        latest = resource.versions.aggregate(n=Max("number"))["n"] or 0
        version = ResourceVersion(
            resource=resource,
            number=latest + 1,
            filename=filename,
            uploaded_by=by,
            schema=schema or {},
            schema_confirmed=schema is not None,
        )
        folder = storage.version_dir(version)
        try:
            version.size, version.sha256 = _store(chunks, storage.source_path(version))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        try:
            version.save()
            audit_record(
                by=by,
                action="resource_version.upload",
                obj=version,
                organisation=dataset.publisher,
                after={"filename": filename, "size": version.size, "sha256": version.sha256},
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        from interborough.catalogue.tasks import check_version

        version_id = version.pk
        transaction.on_commit(lambda: check_version.enqueue(version_id))
    return version


def _move(version: ResourceVersion, to: str, **fields: Any) -> None:
    refusal = (
        f"This version is {version.get_status_display().lower()}, so it cannot be "
        f"{VersionStatus(to).label.lower()}."
    )
    move_status(version, to, VERSION_TRANSITIONS, refusal=refusal, **fields)


def _previous_ready(version: ResourceVersion) -> ResourceVersion | None:
    return (
        ResourceVersion.objects.filter(
            resource_id=version.resource_id, status=VersionStatus.READY, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )


def resource_version_check(*, version_id: int) -> ResourceVersion:
    """Check an uploaded version, convert it to Parquet and make it the latest (a task).

    The slow part runs outside any transaction; the outcome is written in one.
    """
    with transaction.atomic():
        version = (
            ResourceVersion.objects.select_for_update(of=("self",))
            .select_related("resource__dataset__publisher")
            .get(pk=version_id)
        )
        if version.status != VersionStatus.UPLOADED:
            return version  # checked already (a task delivered twice, or the demo checking at once)
        _move(version, VersionStatus.CHECKING)
    source = storage.source_path(version)
    try:
        inspected = ingest.read_upload(
            source,
            version.filename,
            max_bytes=MAX_UPLOAD_BYTES,
            schema=version.schema if version.schema_confirmed else None,
        )
        if inspected.problem_count:
            return _finish_invalid(version, inspected.problems, inspected.problem_count, inspected)
        previous = _previous_ready(version)
        written = ingest.write_parquet(
            source, version.filename, inspected, storage.parquet_path(version)
        )
        changes = ingest.version_changes(
            storage.parquet_path(previous) if previous else None,
            written.path,
            previous.schema if previous else None,
            inspected.schema,
        )
        _query_copy(written)
    except ingest.IngestError as exc:
        problem = ingest.Problem(row=0, column="", message=exc.message)
        return _finish_invalid(version, [problem], 1, None)
    except Exception:  # a fault of ours, not the file's: recorded, and the version not stuck
        logger.exception("Checking resource version %s failed", version.pk)
        problem = ingest.Problem(row=0, column="", message=CHECK_FAILED)
        return _finish_invalid(version, [problem], 1, None)
    return _finish_ready(version, inspected, written, changes)


def _query_copy(written: ingest.Written) -> None:
    """A large version's query copy makes its pages several times faster (ADR 0008); without
    one, queries read the Parquet file, so a failure here is logged, never fatal."""
    try:
        downloads.query_copy_build(written.path, rows=written.rows)
    except Exception:
        logger.exception("Could not build the query copy of %s", written.path)


def _problem_json(problems: Iterable[ingest.Problem]) -> list[dict[str, Any]]:
    return [{"row": p.row, "column": p.column, "message": p.message} for p in problems]


@transaction.atomic
def _finish_invalid(
    version: ResourceVersion,
    problems: list[ingest.Problem],
    count: int,
    inspected: ingest.Inspected | None,
) -> ResourceVersion:
    fields: dict[str, Any] = {"problems": _problem_json(problems), "problem_count": count}
    if inspected is not None:
        fields |= {"format": inspected.format, "encoding": inspected.encoding}
        if not version.schema_confirmed:
            fields["schema"] = inspected.schema
    _move(version, VersionStatus.INVALID, **fields)
    audit_record(
        by=None,
        action="resource_version.invalid",
        obj=version,
        organisation=version.resource.dataset.publisher,
        after={"problems": count},
        system="catalogue",
    )
    return version


@transaction.atomic
def _finish_ready(
    version: ResourceVersion,
    inspected: ingest.Inspected,
    written: ingest.Written,
    changes: ingest.Changes,
) -> ResourceVersion:
    now = timezone.now()
    _move(
        version,
        VersionStatus.READY,
        format=inspected.format,
        encoding=inspected.encoding,
        rows=written.rows,
        schema=inspected.schema,
        changes={
            "rows_added": changes.rows_added,
            "rows_removed": changes.rows_removed,
            "columns_added": changes.columns_added,
            "columns_removed": changes.columns_removed,
            "columns_retyped": [list(c) for c in changes.columns_retyped],
        },
        problems=[],
        problem_count=0,
        ready_at=now,
    )
    Resource.objects.filter(pk=version.resource_id).update(latest=version)
    Dataset.objects.filter(pk=version.resource.dataset_id).update(last_version_at=now)
    audit_record(
        by=None,
        action="resource_version.ready",
        obj=version,
        organisation=version.resource.dataset.publisher,
        after={"rows": written.rows, "sha256": version.sha256},
        system="catalogue",
    )
    dataset_followers_notify(version_id=version.pk)
    return version
