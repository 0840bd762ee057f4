"""Reading a Parquet upload with pyarrow, batch by batch, keeping the types it declares."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from interborough.catalogue.ingest_problems import IngestError
from interborough.catalogue.ingest_staging import (
    BATCH_ROWS,
    Staged,
    StagingWriter,
    clean_header,
    short_error,
)

ARROW_TYPES = (
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_integer, "integer"),
    (pa.types.is_floating, "number"),
    (pa.types.is_decimal, "number"),
    (pa.types.is_date, "date"),
    (pa.types.is_timestamp, "datetime"),
)


def stage_parquet(path: Path, staging: Path, fmt: str, workdir: Path) -> Staged:
    try:
        parquet = pq.ParquetFile(str(path))
        schema = parquet.schema_arrow
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError... on a damaged file
        raise IngestError(f"This Parquet file could not be read: {short_error(error)}.") from None
    staged = Staged(format=fmt, path=staging, columns=clean_header(schema.names))
    for name, arrow_field in zip(staged.columns, schema, strict=True):
        staged.declared_types[name] = next(
            (kind for test, kind in ARROW_TYPES if test(arrow_field.type)), "string"
        )
    writer = StagingWriter(staging, staged.columns)
    row_number = 1
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            columns = [_arrow_text(batch.column(i)) for i in range(batch.num_columns)]
            for values in zip(*columns, strict=True):
                row_number += 1
                writer.add(row_number, list(values))
    except IngestError:
        raise
    except Exception as error:
        raise IngestError(f"This Parquet file could not be read: {short_error(error)}.") from None
    finally:
        writer.close()
    staged.rows = writer.rows
    return staged


def _arrow_text(column: pa.Array) -> list[str | None]:
    kind = column.type
    if pa.types.is_boolean(kind):
        return [None if v is None else ("true" if v else "false") for v in column.to_pylist()]
    if pa.types.is_timestamp(kind):
        return [None if v is None else _iso(v) for v in column.to_pylist()]
    if pa.types.is_nested(kind):
        return [None if v is None else json.dumps(v, default=str) for v in column.to_pylist()]
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return [None if v is None else v.hex() for v in column.to_pylist()]
    return [None if v is None else str(v) for v in column.to_pylist()]


def _iso(value: Any) -> str:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
