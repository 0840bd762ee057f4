"""The staging file every upload is read into, and the header rules all formats share.

The staging file is Parquet with a column ROW_COLUMN (the row a person sees in a spreadsheet,
header = 1) and one text column per data column, named c0, c1, ... so that no header, however
odd, ever reaches SQL. Rows are written in batches, so memory stays bounded.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from interborough.catalogue.ingest_problems import IngestError, ProblemLog

ROW_COLUMN = "__row"
BATCH_ROWS = 20_000
MAX_COLUMNS = 2_000
MAX_HEADER_LENGTH = 200


@dataclass
class Staged:
    """An upload read into the staging file, with what was learnt on the way."""

    format: str
    path: Path
    columns: list[str]
    rows: int = 0
    encoding: str = ""
    delimiter: str = ""
    geometry_column: str = ""
    log: ProblemLog = field(default_factory=ProblemLog)
    # Frictionless types the file itself declares (Parquet); inference fills the rest.
    declared_types: dict[str, str] = field(default_factory=dict)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


# Excel's limit: a longer cell cannot be opened in a spreadsheet, and is almost always a
# broken quote swallowing the rest of the file. (frictionless raises csv.field_size_limit for
# the whole process, so the csv module no longer stops it.)
MAX_CELL_LENGTH = 32_767


class StagingWriter:
    """Writes rows of text values to the staging Parquet file in batches."""

    def __init__(self, staging: Path, columns: list[str]) -> None:
        width = len(columns)
        self.columns = columns
        names = [ROW_COLUMN] + [f"c{i}" for i in range(width)]
        types = [pa.int64()] + [pa.string()] * width
        self.schema = pa.schema([pa.field(n, t) for n, t in zip(names, types, strict=True)])
        self.writer = pq.ParquetWriter(str(staging), self.schema, compression="zstd")
        self.width = width
        self.row_numbers: list[int] = []
        self.values: list[list[str | None]] = [[] for _ in range(width)]
        self.rows = 0

    def add(self, row_number: int, values: list[str | None]) -> None:
        self.row_numbers.append(row_number)
        for i in range(self.width):
            value = values[i]
            if value is not None and len(value) > MAX_CELL_LENGTH:
                raise IngestError(
                    f'Row {row_number}, column "{self.columns[i]}" holds {len(value):,} '
                    f"characters; a cell may hold at most {MAX_CELL_LENGTH:,} (as in Excel)."
                )
            self.values[i].append(value)
        self.rows += 1
        if len(self.row_numbers) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        arrays = [pa.array(self.row_numbers, pa.int64())]
        arrays += [pa.array(column, pa.string()) for column in self.values]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.row_numbers = []
        self.values = [[] for _ in range(self.width)]

    def close(self) -> None:
        self.flush()
        self.writer.close()


def clean_header(raw: Iterable[Any]) -> list[str]:
    """Header labels, trimmed; blank, over-long or duplicate labels refuse the file."""
    labels = ["" if label is None else " ".join(str(label).split()) for label in raw]
    if not labels or all(not label for label in labels):
        raise IngestError("The first row must hold the column names, but it is blank.")
    if len(labels) > MAX_COLUMNS:
        raise IngestError(f"The file has {len(labels)} columns; the limit is {MAX_COLUMNS}.")
    seen: dict[str, int] = {}
    for position, label in enumerate(labels, start=1):
        if not label:
            raise IngestError(f"Column {position} has no name in the header row. Name it.")
        if len(label) > MAX_HEADER_LENGTH:
            raise IngestError(
                f"The name of column {position} is over {MAX_HEADER_LENGTH} characters."
            )
        key = label.casefold()
        if key in seen:
            raise IngestError(
                f'Columns {seen[key]} and {position} are both called "{label}". '
                "Each column needs its own name (names are compared ignoring case)."
            )
        seen[key] = position
    return labels


def short_error(error: Exception) -> str:
    return (str(error) or type(error).__name__)[:200]
