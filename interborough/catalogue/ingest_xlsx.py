"""Reading an XLSX upload: the zip is checked (bombs, encryption, macros) before openpyxl
opens it; the first sheet's values are read, formulas reported and never evaluated."""

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from interborough.catalogue.ingest_problems import IngestError
from interborough.catalogue.ingest_staging import (
    Staged,
    StagingWriter,
    clean_header,
    megabytes,
    short_error,
)

# XLSX is a zip: refuse one whose entries would expand past these before opening it.
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR = 1024 * 1024  # small entries may compress well without harm
XLSX_MAX_ENTRIES = 10_000


def check_xlsx_container(path: Path) -> None:
    """Refuse zip bombs, encrypted and macro-enabled workbooks before anything opens them."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise IngestError(
            "This file is not a readable Excel workbook (the zip is damaged)."
        ) from None
    if len(entries) > XLSX_MAX_ENTRIES:
        raise IngestError("This workbook has too many parts to be a normal spreadsheet.")
    names = {entry.filename for entry in entries}
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise IngestError("This workbook is encrypted. Remove the password and save it again.")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise IngestError(
            "This workbook contains macros. Save it as a plain .xlsx workbook or as CSV."
        )
    if "xl/workbook.xml" not in names:
        raise IngestError("This file is a zip archive but not an Excel workbook.")
    total = sum(entry.file_size for entry in entries)
    if total > XLSX_MAX_UNCOMPRESSED:
        raise IngestError(
            f"This workbook would expand to {megabytes(total)}, over the limit of "
            f"{megabytes(XLSX_MAX_UNCOMPRESSED)}. Split it or save it as CSV."
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO:
            raise IngestError(
                "This workbook is compressed suspiciously well (a possible zip bomb), so it "
                "was not opened. Save the sheet as CSV and upload that."
            )


def stage_xlsx(path: Path, staging: Path, fmt: str, workdir: Path) -> Staged:
    check_xlsx_container(path)
    import openpyxl  # imported here: only XLSX uploads need it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise IngestError(f"This workbook could not be opened: {short_error(error)}.") from None
    try:
        if not workbook.worksheets:
            raise IngestError("This workbook has no sheets.")
        sheet = workbook.worksheets[0]
        staged = Staged(format=fmt, path=staging, columns=[])
        _read_sheet(sheet.iter_rows(), staged)
        return staged
    except IngestError:
        raise
    except Exception as error:  # damaged sheet XML
        raise IngestError(f"The first sheet could not be read: {short_error(error)}.") from None
    finally:
        workbook.close()


def _read_sheet(rows: Iterator[tuple[Any, ...]], staged: Staged) -> None:
    header_cells = next(rows, None)
    while header_cells is not None and all(_cell_text(c) is None for c in header_cells):
        header_cells = next(rows, None)
    if header_cells is None:
        raise IngestError("The first sheet of this workbook is empty.")
    labels = [_cell_text(cell) for cell in header_cells]
    while labels and labels[-1] is None:
        labels.pop()  # formatted but empty cells after the last column
    staged.columns = clean_header(labels)
    width = len(staged.columns)
    writer = StagingWriter(staged.path, staged.columns)
    for cells in rows:
        values: list[str | None] = []
        row_number = 0
        for position, cell in enumerate(cells):
            row_number = getattr(cell, "row", None) or row_number
            text = _cell_text(cell)
            if getattr(cell, "data_type", "") == "f":
                column = staged.columns[position] if position < width else ""
                staged.log.add(
                    row_number,
                    column,
                    "This cell holds a formula; formulas are not calculated. "
                    "Replace it with its value.",
                )
                text = None
            if position < width:
                values.append(text)
            elif text is not None:
                staged.log.add(row_number, "", "A value sits in a column with no header.")
        if all(value is None for value in values):
            continue
        values += [None] * (width - len(values))
        writer.add(row_number, values)
    writer.close()
    staged.rows = writer.rows


def _cell_text(cell: Any) -> str | None:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = str(value)
    return text if text.strip() else None
