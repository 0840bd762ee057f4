"""Where a resource version's files live: the uploaded source and its Parquet copy, under
MEDIA_ROOT/catalogue/<resource id>/v<number>/ (ADR 0006). Paths are derived, never stored, so
the storage folder can move."""

from pathlib import Path

from django.conf import settings

from interborough.catalogue.models import ResourceVersion

SOURCE_STEM = "source"
PARQUET_NAME = "data.parquet"


def version_dir(version: ResourceVersion) -> Path:
    return Path(settings.MEDIA_ROOT) / "catalogue" / str(version.resource_id) / f"v{version.number}"


def source_path(version: ResourceVersion) -> Path:
    """The uploaded file, kept as it came (with its extension, lower case)."""
    suffix = Path(version.filename).suffix.lower()[:10]
    return version_dir(version) / f"{SOURCE_STEM}{suffix}"


def parquet_path(version: ResourceVersion) -> Path:
    return version_dir(version) / PARQUET_NAME
