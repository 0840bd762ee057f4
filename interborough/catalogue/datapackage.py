"""Frictionless Data Packages of a dataset.

Two forms:
- `remote_descriptor`: datapackage.json on its own. Each resource's path is the URL of its
  latest version as uploaded, with that file's exact bytes, SHA-256 and its Table Schema (the
  schema the upload was checked against).
- `write_zip`: a self-contained package. Each resource's latest data is written from its Parquet
  copy as UTF-8 CSV (ISO dates, `true`/`false`, `.` decimals, empty for missing), described by
  the stored schema rewritten for that CSV (`csv_schema`), with the bytes and hash of the CSV
  written. Text that a spreadsheet would run as a formula gets a leading apostrophe (as every
  CSV export of the platform does); the schema's enum and pattern constraints allow for it.
"""

import hashlib
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.urls import reverse
from django.utils.text import slugify

from interborough.catalogue import storage
from interborough.catalogue.dcat import absolute, landing_page
from interborough.catalogue.dcat_vocab import FORMATS
from interborough.catalogue.ingest_schema import connect, literal
from interborough.catalogue.licences import licence_info
from interborough.catalogue.models import Dataset, Resource, ResourceVersion
from interborough.core.csv_export import FORMULA_PREFIXES

PROFILE = "data-package"
DATA_FOLDER = "data"
# Properties of a Table Schema field that describe it rather than how its text is written.
DESCRIPTIVE = ("name", "title", "description", "example", "rdfType")
# Per type, the properties that say how the source wrote its values; the CSV writes defaults.
REPRESENTATION = {
    "integer": ("bareNumber", "groupChar"),
    "number": ("bareNumber", "groupChar", "decimalChar"),
    "boolean": ("trueValues", "falseValues"),
    "date": ("format",),
    "datetime": ("format",),
}
TEXT = "string"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class PackagedResource:
    resource: Resource
    version: ResourceVersion
    name: str  # the Data Package resource name: lower case, unique in the package


def packaged_resources(dataset: Dataset) -> list[PackagedResource]:
    """The dataset's resources that have a ready version, each with a unique package name."""
    packaged, used = [], set()
    for resource in dataset.resources.all():
        if resource.latest is None:
            continue
        base = slugify(resource.name)[:60] or "resource"
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        packaged.append(PackagedResource(resource, resource.latest, name))
    return packaged


def _package(dataset: Dataset) -> dict[str, Any]:
    licence = licence_info(dataset.licence)
    descriptor: dict[str, Any] = {
        "profile": PROFILE,
        "name": dataset.slug,
        "id": landing_page(dataset),
        "title": dataset.title,
        "description": dataset.description,
        "homepage": landing_page(dataset),
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "contributors": [{"title": dataset.publisher.name, "role": "publisher"}],
    }
    if licence.url:
        descriptor["licenses"] = [{"name": licence.id, "path": licence.url, "title": licence.title}]
    if dataset.updated_at:
        descriptor["created"] = dataset.updated_at.replace(microsecond=0).isoformat()
    return descriptor


def _version_url(dataset: Dataset, item: PackagedResource) -> str:
    kwargs = {"slug": dataset.slug, "resource_id": item.resource.pk, "number": item.version.number}
    return absolute(reverse("catalogue:version-source", kwargs=kwargs))


def remote_descriptor(dataset: Dataset) -> dict[str, Any]:
    """datapackage.json pointing at each resource's latest version as uploaded."""
    descriptor = _package(dataset)
    resources = []
    for item in packaged_resources(dataset):
        version = item.version
        fmt = version.format or Path(version.filename).suffix.lstrip(".").lower()
        entry: dict[str, Any] = {
            "name": item.name,
            "title": item.resource.name,
            "path": _version_url(dataset, item),
            "format": fmt,
            "bytes": version.size,
            "hash": f"sha256:{version.sha256}",
        }
        if fmt in FORMATS:
            entry["mediatype"] = FORMATS[fmt][1]
        if version.encoding:
            entry["encoding"] = version.encoding.lower()
        if item.resource.description:
            entry["description"] = item.resource.description
        if version.schema:
            entry["schema"] = version.schema
        resources.append(entry)
    descriptor["resources"] = resources
    return descriptor


# --- the self-contained zip ------------------------------------------------------------------


def _escaped_enum(values: list[Any]) -> list[Any]:
    return ["'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v for v in values]


def csv_field(field: dict[str, Any] | None, name: str) -> dict[str, Any]:
    """A stored schema field rewritten for the CSV the package writes."""
    field = field or {"name": name, "type": TEXT}
    kind = str(field["type"]) if isinstance(field.get("type"), str) else "any"
    out: dict[str, Any] = {k: field[k] for k in DESCRIPTIVE if k in field}
    out["name"] = name
    out["type"] = kind
    representation = REPRESENTATION.get(kind, ())
    rewritten = any(
        key in field and not (key == "format" and field[key] in ("default", "any"))
        for key in representation
    )
    if "format" in field and "format" not in representation:
        out["format"] = field["format"]  # e.g. string formats (email, uri) stay as they were
    constraints: dict[str, Any] = field.get("constraints") or {}
    if not isinstance(constraints, dict):
        constraints = {}
    kept: dict[str, Any] = {}
    for key, value in constraints.items():
        if key in ("required", "unique", "minLength", "maxLength"):
            kept[key] = value
        elif kind == TEXT and key == "enum" and isinstance(value, list):
            kept[key] = _escaped_enum(value)
        elif kind == TEXT and key == "pattern" and isinstance(value, str):
            kept[key] = f"'?(?:{value})"  # a value may have gained the formula apostrophe
        elif not rewritten and kind != TEXT:
            kept[key] = value  # the same text as the source wrote it (ISO dates, plain numbers)
    if kept:
        out["constraints"] = kept
    return out


def csv_schema(schema: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """The stored Table Schema rewritten for the package's CSV of the Parquet `columns`."""
    stored: list[Any] = schema.get("fields") or []
    if not isinstance(stored, list):
        stored = []
    by_name = {str(f.get("name")): f for f in stored if isinstance(f, dict)}
    out: dict[str, Any] = {
        "fields": [csv_field(by_name.get(name), name) for name in columns],
        "missingValues": [""],
    }
    key = schema.get("primaryKey")
    if key:
        out["primaryKey"] = key
    return out


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(field: dict[str, Any], duck_type: str) -> str:
    column = _identifier(field["name"])
    if field["type"] == TEXT or duck_type == "VARCHAR":
        prefixes = ", ".join(literal(p) for p in FORMULA_PREFIXES)
        return (
            f"CASE WHEN left(CAST({column} AS VARCHAR), 1) IN ({prefixes}) "
            f"THEN '''' || CAST({column} AS VARCHAR) ELSE CAST({column} AS VARCHAR) END"
        )
    if duck_type.startswith("TIMESTAMP"):
        return f"strftime({column}, {literal(TIMESTAMP_FORMAT)})"
    return column


def write_csv(version: ResourceVersion, schema: dict[str, Any] | None, dest: Path) -> dict:
    """Write the version's data to dest as CSV; returns the CSV's Table Schema."""
    parquet = storage.parquet_path(version)
    with tempfile.TemporaryDirectory(prefix="datapackage-") as scratch:
        connection = connect(Path(scratch))
        try:
            source = f"read_parquet({literal(parquet)})"
            described = connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608
            columns = [str(row[0]) for row in described]
            table_schema = csv_schema(schema or {}, columns)
            selects = [
                f"{_select(field, str(row[1]).upper())} AS {_identifier(field['name'])}"
                for field, row in zip(table_schema["fields"], described, strict=True)
            ]
            connection.execute(
                f"COPY (SELECT {', '.join(selects)} FROM {source}) TO {literal(dest)} "  # noqa: S608
                "(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', NULLSTR '', "
                "DATEFORMAT '%Y-%m-%d')"
            )
        finally:
            connection.close()
    return table_schema


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def write_zip(dataset: Dataset, out: IO[bytes]) -> dict[str, Any]:
    """Write the dataset's package (datapackage.json and data/*.csv) as a zip to `out`;
    returns the descriptor."""
    descriptor = _package(dataset)
    resources: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="datapackage-") as scratch,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for item in packaged_resources(dataset):
            csv_path = Path(scratch) / f"{item.name}.csv"
            table_schema = write_csv(item.version, item.version.schema, csv_path)
            inside = f"{DATA_FOLDER}/{item.name}.csv"
            entry: dict[str, Any] = {
                "name": item.name,
                "title": item.resource.name,
                "path": inside,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_path.stat().st_size,
                "hash": f"sha256:{_digest(csv_path)}",
                "schema": table_schema,
            }
            if item.resource.description:
                entry["description"] = item.resource.description
            resources.append(entry)
            archive.write(csv_path, inside)
            csv_path.unlink()
        descriptor["resources"] = resources
        archive.writestr("datapackage.json", _json(descriptor))
    return descriptor


def _json(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False)


def zip_name(dataset: Dataset) -> str:
    return re.sub(r"[^a-z0-9-]", "", dataset.slug)[:80] + "-datapackage.zip"
