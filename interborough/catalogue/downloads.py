"""Reading a version's data for a person: finding it, the access check, and the responses of
filtered downloads (pages and API share this; the writers are in downloads_formats.py).

Not viewable (a draft, or no such resource) is a 404 so drafts do not leak; viewable but not
readable is `SignInRequired` for an anonymous visitor and a 403 for anyone signed in.
"""

import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from interborough.accounts.models import User
from interborough.catalogue import downloads_formats as formats
from interborough.catalogue import permissions, query, storage
from interborough.catalogue.models import (
    AccessLevel,
    Dataset,
    Resource,
    ResourceVersion,
    UsageKind,
    VersionStatus,
)
from interborough.catalogue.services.usage import data_read_record
from interborough.core.errors import PermissionDeniedError

FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
NOT_READABLE = (
    "This dataset's data is restricted: you need access to read it. "
    "Ask the publisher for access from the dataset's page."
)


class SignInRequired(Exception):
    """The data may be readable once the visitor signs in."""


@dataclass(frozen=True)
class Readable:
    """A version someone may read, with its dataset and resource."""

    dataset: Dataset
    resource: Resource
    version: ResourceVersion

    @property
    def parquet(self) -> Path:
        return storage.parquet_path(self.version)

    @property
    def scope(self) -> str:
        return f"{self.resource.pk}/v{self.version.number}"


def query_limits(*, download: bool = False) -> query.Limits:
    """The engine's limits from settings (CATALOGUE_QUERY_*), with safe defaults."""
    seconds = getattr(settings, "CATALOGUE_QUERY_TIMEOUT_SECONDS", 5)
    if download:
        seconds = getattr(settings, "CATALOGUE_DOWNLOAD_TIMEOUT_SECONDS", 60)
    return query.Limits(
        seconds=float(seconds),
        memory=str(getattr(settings, "CATALOGUE_QUERY_MEMORY_LIMIT", "512MB")),
        threads=int(getattr(settings, "CATALOGUE_QUERY_THREADS", 2)),
        temp_directory=str(Path(tempfile.gettempdir()) / "interborough-query"),
    )


def readable_version(
    *,
    viewer: Any,
    resource_id: uuid.UUID,
    slug: str | None = None,
    number: int | None = None,
) -> Readable:
    """The version (latest ready one without `number`) if `viewer` may read its data.

    Raises Http404 when the dataset is not viewable or there is no such ready version,
    SignInRequired for an anonymous visitor and PermissionDeniedError for anyone else who
    may see the dataset but not its data.
    """
    resource = (
        Resource.objects.select_related("dataset__publisher", "latest")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None or (slug is not None and resource.dataset.slug != slug):
        raise Http404
    dataset = resource.dataset
    if not permissions.can_view_dataset(viewer, dataset):
        raise Http404
    if not permissions.can_read_data(viewer, dataset):
        if not permissions.is_signed_in(viewer):
            raise SignInRequired
        raise PermissionDeniedError(NOT_READABLE)
    version = resource.latest if number is None else resource.versions.filter(number=number).first()
    if version is None or version.status != VersionStatus.READY:
        raise Http404
    return Readable(dataset=dataset, resource=resource, version=version)


def query_copy_build(parquet: Path, *, rows: int) -> None:
    """Give a large version its query copy (query.build_query_copy) once its Parquet file is
    written: its pages are then several times faster. Small ones are fast from Parquet alone."""
    if rows >= int(getattr(settings, "CATALOGUE_QUERY_COPY_MIN_ROWS", 500_000)):
        query.build_query_copy(parquet, query_limits(download=True))


def record_read(*, viewer: Any, readable: Readable, how: str, kind: str) -> None:
    """Count (and for restricted data audit) a read that passed the access check."""
    data_read_record(
        by=viewer if isinstance(viewer, User) else None,
        dataset=readable.dataset,
        resource=readable.resource,
        how=how,
        kind=kind,
    )


def download_name(readable: Readable, extension: str) -> str:
    """A safe file name: the dataset and resource slugged, the version and extension."""
    stem = slugify(f"{readable.dataset.slug} {readable.resource.name}")[:120] or "data"
    return f"{stem}-v{readable.version.number}.{extension}"


def _attachment(response: Any, filename: str, dataset: Dataset) -> Any:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    if dataset.access_level != AccessLevel.OPEN:
        response["Cache-Control"] = "private, no-store"
    return response


def data_download(
    *, viewer: Any, readable: Readable, fmt: str, params: list[tuple[str, str]]
) -> Any:
    """A filtered download in `fmt`: QueryError for bad parameters, QueryTimeout if too slow.

    Raises Http404 for an unknown format (or GeoJSON of a table without places).
    """
    if fmt not in FORMATS:
        raise Http404
    version = readable.version
    parsed = query.parse_query(
        params, version.schema, scope=readable.scope, max_limit=None, ignore=frozenset({"after"})
    )
    geometry = None
    if fmt == "geojson":
        geometry = formats.geometry_of(parsed.columns)
        if geometry is None:
            raise Http404("This table has no geometry or latitude and longitude columns.")
        parsed = _with_geometry(parsed, geometry)
    limits = query_limits(download=True)
    if fmt == "xlsx" and _too_many_for_xlsx(readable, parsed, limits):
        raise query.QueryError(
            [("format", "XLSX holds at most 1,048,575 rows: filter the rows or use CSV.")]
        )
    record_read(viewer=viewer, readable=readable, how=f"download {fmt}", kind=UsageKind.DOWNLOAD)
    filename = download_name(readable, fmt)
    if fmt in {"parquet", "xlsx"}:
        return _attachment(
            _file_download(readable, parsed, limits, fmt), filename, readable.dataset
        )
    rows = query.open_rows(readable.parquet, parsed, limits)
    chunks: Iterator[str]
    if fmt == "csv":
        chunks = formats.csv_chunks(rows.fields, rows)
    elif fmt == "json":
        chunks = formats.json_chunks(rows.fields, rows)
    elif geometry is not None:
        chunks = formats.geojson_chunks(rows.fields, rows, geometry)
    else:
        raise Http404
    response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
    return _attachment(response, filename, readable.dataset)


def _with_geometry(parsed: query.RecordQuery, geometry: formats.Geometry) -> query.RecordQuery:
    needed = [c for c in (geometry.geojson, geometry.latitude, geometry.longitude) if c]
    fields = parsed.fields + tuple(c for c in needed if c not in parsed.fields)
    return replace(parsed, fields=fields)


def _too_many_for_xlsx(readable: Readable, parsed: query.RecordQuery, limits: query.Limits) -> bool:
    total = query.count_rows(readable.parquet, parsed, limits) - parsed.offset
    if parsed.limit is not None:
        total = min(total, parsed.limit)
    return total > formats.XLSX_MAX_ROWS


def _file_download(
    readable: Readable, parsed: query.RecordQuery, limits: query.Limits, fmt: str
) -> FileResponse:
    """Parquet and XLSX are written to a temporary file first, then streamed from it."""
    with tempfile.TemporaryDirectory(prefix="interborough-download-") as folder:
        dest = Path(folder) / f"download.{fmt}"
        if fmt == "parquet":
            query.copy_parquet(readable.parquet, parsed, limits, dest)
        else:
            rows = query.open_rows(readable.parquet, parsed, limits)
            formats.write_xlsx(rows.fields, rows, dest, readable.resource.name)
        handle = dest.open("rb")  # stays readable once the folder is removed (POSIX)
    return FileResponse(handle, content_type=FORMATS[fmt])


def source_download(*, viewer: Any, readable: Readable) -> FileResponse:
    """The version's file as it was uploaded."""
    path = storage.source_path(readable.version)
    if not path.exists():
        raise Http404
    record_read(viewer=viewer, readable=readable, how="download source", kind=UsageKind.DOWNLOAD)
    suffix = path.suffix.lstrip(".") or "bin"
    response = FileResponse(path.open("rb"), content_type="application/octet-stream")
    return _attachment(response, download_name(readable, suffix), readable.dataset)
