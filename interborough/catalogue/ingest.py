"""Turning an uploaded file into a validated Parquet file (pure: no Django here).

read_upload inspects an upload (format, encoding, delimiter, columns, rows, a Frictionless
Table Schema inferred or checked, row-level problems); write_parquet writes a valid upload as
typed Parquet, atomically; version_changes summarises what changed between two versions.
Reading lives in ingest_read (one module per format: ingest_csv, ingest_xlsx, ingest_json,
ingest_parquet, over ingest_staging); Table Schemas in ingest_schema.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from interborough.catalogue.ingest_problems import MAX_PROBLEMS, IngestError, Problem
from interborough.catalogue.ingest_read import make_workdir, stage_upload
from interborough.catalogue.ingest_schema import (
    check_descriptor,
    connect,
    infer_schema,
    literal,
    missing_values,
    open_staging,
    raw_value,
    typed_sql,
    validate,
)
from interborough.catalogue.ingest_staging import ROW_COLUMN

__all__ = [
    "Changes",
    "IngestError",
    "Inspected",
    "Problem",
    "Written",
    "read_upload",
    "version_changes",
    "write_parquet",
]


@dataclass(frozen=True)
class Inspected:
    """What read_upload found."""

    format: str  # "csv" | "xlsx" | "json" | "geojson" | "parquet"
    encoding: str  # "" when not text
    delimiter: str  # "" when not csv
    columns: list[str]
    rows: int
    schema: dict[str, Any]  # a Frictionless Table Schema descriptor
    problems: list[Problem]  # the first MAX_PROBLEMS, ordered by row
    problem_count: int
    geometry_column: str  # "" unless GeoJSON (geometry kept as GeoJSON text)


@dataclass(frozen=True)
class Written:
    """A Parquet file written from an upload: sha256 and size are the source file's."""

    path: Path
    rows: int
    size: int
    sha256: str


@dataclass(frozen=True)
class Changes:
    """What changed from one version to the next."""

    rows_added: int
    rows_removed: int
    columns_added: list[str]
    columns_removed: list[str]
    columns_retyped: list[tuple[str, str, str]]  # (name, old type, new type)


def read_upload(
    path: Path, filename: str, *, max_bytes: int, schema: dict[str, Any] | None = None
) -> Inspected:
    """Inspect an upload; raises IngestError for a whole-file problem, lists row problems."""
    if schema is not None:
        check_descriptor(schema)
    with make_workdir() as scratch:
        workdir = Path(scratch)
        staged = stage_upload(path, filename, max_bytes=max_bytes, workdir=workdir)
        connection = connect(workdir)
        try:
            open_staging(connection, staged)
            if schema is None:
                schema = infer_schema(connection, staged)
            checked = validate(connection, staged, schema)
        except duckdb.Error as error:
            raise IngestError(f"The data could not be checked: {str(error)[:200]}") from None
        finally:
            connection.close()
    problems = sorted(
        staged.log.problems + checked.problems,
        key=lambda p: (p.row, _position(staged.columns, p.column)),
    )[:MAX_PROBLEMS]
    return Inspected(
        format=staged.format,
        encoding=staged.encoding,
        delimiter=staged.delimiter,
        columns=list(staged.columns),
        rows=staged.rows,
        schema=schema,
        problems=problems,
        problem_count=staged.log.count + checked.count,
        geometry_column=staged.geometry_column,
    )


def _position(columns: list[str], column: str) -> int:
    return columns.index(column) if column in columns else -1


def write_parquet(path: Path, filename: str, inspected: Inspected, dest: Path) -> Written:
    """Write a valid upload to dest as typed Parquet, atomically (via dest.tmp)."""
    if inspected.problem_count:
        raise IngestError(
            f"The file has {inspected.problem_count} problems. Fix them and upload it again."
        )
    size = path.stat().st_size
    digest = _sha256(path)
    temporary = dest.with_name(dest.name + ".tmp")
    with make_workdir(dest) as scratch:
        workdir = Path(scratch)
        staged = stage_upload(path, filename, max_bytes=size, workdir=workdir)
        if staged.columns != inspected.columns or staged.rows != inspected.rows:
            raise IngestError("The file changed after it was checked. Upload it again.")
        fields = {str(f.get("name")): f for f in check_descriptor(inspected.schema)}
        missing = missing_values(inspected.schema)
        selects = [
            f"{_typed_column(index, fields.get(name), missing)} AS {_identifier(name)}"
            for index, name in enumerate(staged.columns)
        ]
        connection = connect(workdir)
        try:
            open_staging(connection, staged)
            connection.execute(
                f"COPY (SELECT {', '.join(selects)} FROM staging ORDER BY {ROW_COLUMN}) "  # noqa: S608
                f"TO {literal(temporary)} (FORMAT parquet, COMPRESSION zstd)"
            )
            os.replace(temporary, dest)
        except duckdb.Error as error:
            raise IngestError(
                f"The data does not match its schema, so it was not stored: {str(error)[:200]}"
            ) from None
        finally:
            connection.close()
            temporary.unlink(missing_ok=True)
    return Written(path=dest, rows=staged.rows, size=size, sha256=digest)


def _typed_column(index: int, field: dict[str, Any] | None, missing: list[str]) -> str:
    field = field or {"type": "string"}
    return typed_sql(field, raw_value(index, field, missing), strict=True)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def version_changes(
    old: Path | None, new: Path, old_schema: dict[str, Any] | None, new_schema: dict[str, Any]
) -> Changes:
    """Rows added and removed (whole rows over the shared columns, EXCEPT ALL in DuckDB) and
    columns added, removed or retyped. With no old version, everything is added."""
    old_types = _types(old_schema or {})
    new_types = _types(new_schema)
    added = [name for name in new_types if name not in old_types]
    removed = [name for name in old_types if name not in new_types]
    shared = [name for name in new_types if name in old_types]
    retyped = [
        (name, old_types[name], new_types[name])
        for name in shared
        if old_types[name] != new_types[name]
    ]
    connection = duckdb.connect(":memory:")
    try:
        connection.read_parquet(str(new)).create_view("new_version")
        new_rows = _count(connection, "SELECT count(*) FROM new_version")
        if old is None:
            return Changes(new_rows, 0, added, removed, retyped)
        connection.read_parquet(str(old)).create_view("old_version")
        old_rows = _count(connection, "SELECT count(*) FROM old_version")
        if not shared:
            return Changes(new_rows, old_rows, added, removed, retyped)
        retyped_names = {name for name, _, _ in retyped}
        columns = ", ".join(
            f"CAST({_identifier(n)} AS VARCHAR)" if n in retyped_names else _identifier(n)
            for n in shared
        )
        rows_added = _count(
            connection,
            f"SELECT count(*) FROM (SELECT {columns} FROM new_version "  # noqa: S608
            f"EXCEPT ALL SELECT {columns} FROM old_version)",
        )
        rows_removed = _count(
            connection,
            f"SELECT count(*) FROM (SELECT {columns} FROM old_version "  # noqa: S608
            f"EXCEPT ALL SELECT {columns} FROM new_version)",
        )
    finally:
        connection.close()
    return Changes(rows_added, rows_removed, added, removed, retyped)


def _types(schema: dict[str, Any]) -> dict[str, str]:
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        return {}
    return {str(f.get("name")): str(f.get("type") or "any") for f in fields if isinstance(f, dict)}


def _count(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    rows = connection.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0
