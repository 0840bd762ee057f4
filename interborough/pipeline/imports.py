"""Reading uploaded CSV files of projects and contract records (no database).

`parse` turns the uploaded bytes into rows of typed values, one per spreadsheet row, ready to
build a `ProjectInput` or `ContractInput`. It works out the encoding (a byte order mark, then
UTF-8, then the Western single-byte encodings Excel uses, told apart by charset-normalizer) and
the delimiter (csv.Sniffer, checked against the known column names, falling back to a comma),
maps headers whatever their case and spacing, keeps to the size and row limits, and reports:

- problems with the file as a whole (unreadable, too big, missing required columns) by raising
  `ImportFileError`: nothing in such a file can be imported;
- problems with the header that do not stop the import (extra columns) on line 1;
- problems with a value (a date or a yes/no that cannot be read, a repeated row) on its line.

Line numbers are the row numbers a person sees when they open the file in a spreadsheet: the
header is line 1, and a cell with line breaks inside it does not move the rows after it.
The columns themselves and how each cell is read live in `import_columns`. Checking the values
(lengths, themes, web addresses) is the services' job.
"""

import codecs
import contextlib
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer

from interborough.pipeline.import_columns import (
    Schema,
    convert_cell,
    identity_key,
    normalise_header,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELL = 100_000  # characters in one cell; far above any field's limit
DELIMITERS = ",;\t|"
# Encodings Excel and LibreOffice save "CSV" in when it is not UTF-8 (Windows, then Mac).
WESTERN_ENCODINGS = ["cp1252", "iso8859_15", "latin_1", "mac_roman"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: it starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_EXCEL_SEP_LINE = re.compile(r"sep=(.)\s*")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `problems` say why (each with its line)."""

    def __init__(self, problems: list["Problem"]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    """One thing to fix: line 0 is the whole file, line 1 the header."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    headers: dict[str, str]  # column name -> the header as written in the file
    rows: list[ParsedRow]
    problems: list[Problem]  # about the header; they do not stop the import


# --- reading the file ----------------------------------------------------------------------


def _file_error(message: str, line: int = 0, column: str = "") -> ImportFileError:
    return ImportFileError([Problem(line, column, message)])


SAVE_AS_CSV = "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and upload that."


def decode(content: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if content.startswith(b"PK\x03\x04") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS_CSV}")
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError:
                raise _file_error(
                    f"The file starts as {encoding.upper()} text but is not. {SAVE_AS_CSV}"
                ) from None
    if b"\x00" in content:
        raise _file_error(
            f"The file contains NUL bytes, so it is not a CSV text file. {SAVE_AS_CSV}"
        )
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content, cp_isolation=WESTERN_ENCODINGS).best()
    if best is None:
        raise _file_error(f"The file is not text we can read. {SAVE_AS_CSV}")
    return str(best), best.encoding


# A cell this long is a quote left open, not a value (csv's own default limit).
CELL_MAX_LENGTH = 131_072


def _check_text(text: str) -> None:
    """Binary junk decodes (as latin-1, say) into control characters: refuse it plainly."""
    if "\x00" in text:
        raise _file_error(f"The file contains NUL characters, so it is not CSV text. {SAVE_AS_CSV}")
    sample = text[:65536]
    controls = sum(
        1 for c in sample if c not in "\t\r\n" and unicodedata.category(c) in ("Cc", "Cs")
    )
    if controls > max(10, len(sample) // 100):
        raise _file_error(f"The file does not look like CSV text. {SAVE_AS_CSV}")


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    line = 0
    try:
        for line, record in enumerate(reader, start=1):
            # Checked here, not left to csv.field_size_limit: that is process-wide, and other
            # libraries (frictionless) raise it.
            if any(len(cell) > CELL_MAX_LENGTH for cell in record):
                raise _file_error(
                    f"Line {line} has a cell longer than {CELL_MAX_LENGTH:,} characters: a quote "
                    "is probably not closed. Check its quotes.",
                    line,
                )
            yield record
    except csv.Error as exc:
        raise _file_error(
            f"Line {line + 1} cannot be read as CSV ({exc}). Check its quotes.", line + 1
        ) from None


def _header_score(header: list[str], schema: Schema) -> int:
    known = set(schema.names) | schema.ignored
    return sum(1 for h in header if normalise_header(h) in known)


def sniff_delimiter(text: str, schema: Schema) -> str:
    """The delimiter the header splits best on: the sniffed one, else a comma."""
    first_lines = "\n".join(text[:65536].splitlines()[:20])
    candidates = []
    with contextlib.suppress(csv.Error):
        candidates.append(csv.Sniffer().sniff(first_lines, delimiters=DELIMITERS).delimiter)
    candidates += [d for d in ",;\t|" if d not in candidates]
    header_line = text.split("\n", 1)[0]
    best, best_score = ",", 0
    for delimiter in candidates:
        try:
            header = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = _header_score(header, schema)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _map_header(
    header: list[str], schema: Schema, line: int
) -> tuple[list[str | None], dict[str, str], list[Problem]]:
    """Each position's column name (None: ignored), the headers as written, header problems."""
    known = set(schema.names)
    positions: list[str | None] = []
    written: dict[str, str] = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    fatal: list[Problem] = []
    for index, raw in enumerate(header, start=1):
        name = normalise_header(raw)
        label = raw.strip()[:100]
        if name in known:
            if name in seen:
                fatal.append(
                    Problem(
                        line,
                        label,
                        f"The column “{label}” appears twice (columns {seen[name]} and {index}): "
                        "keep one.",
                    )
                )
            seen[name] = index
            positions.append(name)
            written[name] = label
        elif not name or name in schema.ignored:
            positions.append(None)
        else:
            positions.append(None)
            problems.append(
                Problem(
                    line,
                    label,
                    f"There is no column called “{label}”, so it is ignored. The columns are "
                    "in the template.",
                )
            )
    missing = [c for c in schema.required if c not in seen]
    if missing:
        fatal.append(
            Problem(
                line,
                ", ".join(missing),
                "The file must have "
                + ("a column" if len(missing) == 1 else "columns")
                + " called "
                + " and ".join(f"“{m}”" for m in missing)
                + " in its first line. Start from the template.",
            )
        )
    if fatal:
        raise ImportFileError(fatal)
    return positions, written, problems


def parse(
    content: bytes, schema: Schema, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> ParsedFile:
    """Read an uploaded CSV file into typed rows; raise ImportFileError if it cannot be used."""
    if not content.strip():
        raise _file_error("The file is empty. Start from the template.")
    if len(content) > max_bytes:
        raise _file_error(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB: split it into smaller files."
        )
    text, encoding = decode(content)
    _check_text(text)
    first_line = 1
    delimiter = None
    if match := _EXCEL_SEP_LINE.fullmatch(text.split("\n", 1)[0]):
        # Excel's "sep=;" first line names the delimiter; the header comes after it.
        delimiter = match.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first_line = 2
    if delimiter is None:
        delimiter = sniff_delimiter(text, schema)
    records = _records(text, delimiter)
    header = next(records, None)
    if not header or not any(cell.strip() for cell in header):
        raise _file_error("The first line must name the columns, like the template.", first_line)
    positions, written, problems = _map_header(header, schema, first_line)
    columns = {c.name: c for c in schema.columns}
    lookups = {c.name: c.choice_lookup() for c in schema.columns if c.kind == "choice"}
    rows: list[ParsedRow] = []
    first_seen: dict[tuple[str, ...], int] = {}
    unnamed_with_data: set[int] = set()
    for line, record in enumerate(records, start=first_line + 1):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are skipped, but still counted
        if len(rows) >= max_rows:
            raise _file_error(
                f"The file has more than {max_rows:,} rows: split it into smaller files."
            )
        row = ParsedRow(line=line, values={})
        for index, raw in enumerate(record):
            name = positions[index] if index < len(positions) else None
            if name is None:
                if raw.strip() and index >= len(positions):
                    row.problems.append(
                        Problem(
                            line,
                            "",
                            f"This line has more cells ({len(record)}) than the header has "
                            f"columns ({len(header)}). Check for a stray delimiter, or put "
                            "quotes around values with commas in them.",
                        )
                    )
                    break
                if raw.strip() and not normalise_header(header[index]):
                    unnamed_with_data.add(index + 1)
                continue
            if len(raw) > MAX_CELL:
                row.problems.append(
                    Problem(
                        line, written[name], f"This value is longer than {MAX_CELL:,} characters."
                    )
                )
                continue
            try:
                value = convert_cell(columns[name], raw, lookups.get(name, {}))
            except ValueError as exc:
                row.problems.append(Problem(line, written[name], str(exc)))
                continue
            if value is not None:
                row.values[name] = value
        key = tuple(identity_key(str(row.values.get(n, ""))) for n in schema.identity)
        if any(key):
            if key in first_seen:
                row.problems.append(
                    Problem(
                        line,
                        written.get(schema.identity[0], schema.identity[0]),
                        f"This repeats line {first_seen[key]} (the same {schema.identity_label}). "
                        "Remove one of them.",
                    )
                )
            else:
                first_seen[key] = line
        rows.append(row)
    for index in sorted(unnamed_with_data):
        problems.append(
            Problem(
                first_line,
                f"column {index}",
                f"Column {index} has no name in the first line, so its values are ignored.",
            )
        )
    if not rows:
        raise _file_error("The file has a header but no rows to import.", first_line)
    return ParsedFile(
        encoding=encoding, delimiter=delimiter, headers=written, rows=rows, problems=problems
    )
