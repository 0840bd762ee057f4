"""Reading a CSV upload: its encoding (BOM, strict UTF-8, then charset-normalizer), its
delimiter, and its rows, streamed into the staging file with ragged rows reported."""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from interborough.catalogue.ingest_problems import IngestError
from interborough.catalogue.ingest_staging import (
    Staged,
    StagingWriter,
    clean_header,
)

SNIFF_BYTES = 64 * 1024
ENCODING_SAMPLE_BYTES = 512 * 1024
DELIMITERS = (",", ";", "\t", "|")


def stage_csv(path: Path, staging: Path, fmt: str, workdir: Path) -> Staged:
    encoding = detect_encoding(path)
    text_path = path
    if encoding not in {"utf-8", "utf-8-sig"}:
        text_path = workdir / "source-utf8.csv"
        _transcode(path, encoding, text_path)
        read_encoding = "utf-8"
    else:
        read_encoding = encoding
    with text_path.open("r", encoding=read_encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    if "\x00" in sample:
        raise IngestError("The file holds binary data (NUL bytes), so it is not a CSV file.")
    delimiter = sniff_delimiter(sample)
    staged = Staged(
        format=fmt,
        path=staging,
        columns=[],
        encoding=_encoding_label(encoding),
        delimiter=delimiter,
    )
    with text_path.open("r", encoding=read_encoding, newline="") as handle:
        reader = csv.reader(_no_nul(handle), delimiter=delimiter, strict=False)
        _read_csv_rows(reader, staged)
    return staged


def _no_nul(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if "\x00" in line:
            raise IngestError("The file holds binary data (NUL bytes), so it is not a CSV file.")
        yield line


def _read_csv_rows(reader: Iterator[list[str]], staged: Staged) -> None:
    row_number = 1
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            row_number += 1
            header = next(reader, None)
        if header is None:
            raise IngestError("The file has no header row: it holds only blank lines.")
        staged.columns = clean_header(header)
        width = len(staged.columns)
        writer = StagingWriter(staged.path, staged.columns)
        for record in reader:
            row_number += 1
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line is not a data row
            if len(record) != width:
                staged.log.add(
                    row_number,
                    "",
                    f"Row {row_number} has {_count(len(record), 'value')} but the header has "
                    f"{_count(width, 'column')}.",
                )
                record = (record + [""] * width)[:width]
            writer.add(row_number, [value if value != "" else None for value in record])
        writer.close()
        staged.rows = writer.rows
    except csv.Error as error:
        raise IngestError(f"Row {row_number + 1} could not be read as CSV: {error}.") from None
    except UnicodeDecodeError:
        raise IngestError(
            f"Row {row_number + 1} is not valid text in the {staged.encoding} encoding. "
            "Save the file as UTF-8 and upload it again."
        ) from None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def detect_encoding(path: Path) -> str:
    """The text encoding: a byte-order mark wins, then strict UTF-8, then charset-normalizer."""
    with path.open("rb") as handle:
        head = handle.read(ENCODING_SAMPLE_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" not in head and _decodes_whole(path, "utf-8"):
        return "utf-8"
    matches = list(charset_normalizer.from_bytes(head))
    candidates = [match.encoding for match in matches]
    if not candidates:
        raise IngestError(
            "The file does not look like text, so it cannot be read as CSV. "
            "Save it as CSV (UTF-8) and upload it again."
        )
    if b"\x00" in head and not candidates[0].startswith(("utf_16", "utf_32")):
        raise IngestError("The file holds binary data (NUL bytes), so it is not a CSV file.")
    # London data: when Windows "Western" is a plausible reading, it is the likely one.
    same_reading = {name for match in matches for name in match.could_be_from_charset}
    encoding = "cp1252" if "cp1252" in same_reading else candidates[0]
    if not _decodes_whole(path, encoding):
        raise IngestError(
            "The file's text encoding could not be worked out. Save it as CSV (UTF-8) and "
            "upload it again."
        )
    return encoding


def _decodes_whole(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _transcode(path: Path, encoding: str, target: Path) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(1024 * 1024):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))


def _encoding_label(encoding: str) -> str:
    return {"utf-8-sig": "utf-8", "utf_16": "utf-16"}.get(encoding, encoding.replace("_", "-"))


def sniff_delimiter(sample: str) -> str:
    """The delimiter among DELIMITERS that splits the sample's lines most consistently."""
    lines = sample.splitlines()
    if len(sample) >= SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short
    lines = [line for line in lines if line.strip()][:100]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(1 for row in rows if len(row) == width) / len(rows)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
