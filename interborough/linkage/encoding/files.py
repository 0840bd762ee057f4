"""Read borough extracts (CSV, XLSX, Parquet) in batches and write the encoded Parquet file.

CSV and XLSX cells are read as text so identifiers keep their leading zeros (NHS numbers,
UPRNs); the encoder does its own parsing. Reading in batches keeps memory flat for files of
millions of rows and lets the command line show progress.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from interborough.linkage.encoding.errors import EncoderInputError

DEFAULT_BATCH_ROWS = 200_000


@dataclass(frozen=True)
class Source:
    """An input file opened for batch reading; ``total_rows`` is None when unknown (CSV)."""

    batches: Iterator[pa.Table]
    total_rows: int | None


def open_source(path: Path, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Source:
    """Open a CSV, XLSX or Parquet file by its extension."""
    if not path.is_file():
        raise EncoderInputError("input_missing", f"There is no file at {path}.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Source(_csv_batches(path, batch_rows), None)
    if suffix == ".parquet":
        parquet = pq.ParquetFile(path)
        batches = (pa.Table.from_batches([b]) for b in parquet.iter_batches(batch_rows))
        return Source(batches, parquet.metadata.num_rows)
    if suffix == ".xlsx":
        table = _read_xlsx(path)
        return Source(_slices(table, batch_rows), table.num_rows)
    raise EncoderInputError(
        "input_format", f"{path.name}: the encoder reads .csv, .xlsx and .parquet files only."
    )


def _slices(table: pa.Table, rows: int) -> Iterator[pa.Table]:
    for start in range(0, table.num_rows, rows):
        yield table.slice(start, rows)


def _csv_batches(path: Path, batch_rows: int) -> Iterator[pa.Table]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise EncoderInputError("input_empty", f"{path.name} has no header row.")
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=max(1 << 20, batch_rows * 64)),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=True,
        ),
    )
    for batch in reader:
        yield pa.Table.from_batches([batch])


def _read_xlsx(path: Path) -> pa.Table:
    try:
        import openpyxl  # only needed for spreadsheets, so imported late
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise EncoderInputError(
            "input_format", "Reading .xlsx needs openpyxl; save the sheet as CSV instead."
        ) from error
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = book.active.iter_rows(values_only=True) if book.active else iter(())
    header = next(rows, None)
    if not header:
        raise EncoderInputError("input_empty", f"{path.name} has no header row.")
    names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    columns: list[list[str | None]] = [[] for _ in names]
    for row in rows:
        for i, column in enumerate(columns):
            cell = row[i] if i < len(row) else None
            column.append(None if cell is None else _cell_text(cell))
    return pa.table(dict(zip(names, columns, strict=True)))


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


class ParquetOutput:
    """Writes encoded batches to one Parquet file, created on the first batch."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        """Append one encoded batch."""
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self._writer.write_table(table.cast(self._writer.schema))

    def close(self) -> None:
        """Finish the file."""
        if self._writer is not None:
            self._writer.close()
