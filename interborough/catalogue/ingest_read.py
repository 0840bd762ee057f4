"""Reading an upload, whatever its format, into the staging file (see ingest_staging).

The format comes from the extension and must agree with the content's first bytes. Each
format has its own module; JSON is parsed whole (within the upload size limit), everything
else streams.
"""

import tempfile
from pathlib import Path

from interborough.catalogue.ingest_csv import stage_csv
from interborough.catalogue.ingest_json import stage_json
from interborough.catalogue.ingest_parquet import stage_parquet
from interborough.catalogue.ingest_problems import IngestError
from interborough.catalogue.ingest_staging import (
    Staged,
    megabytes,
)
from interborough.catalogue.ingest_xlsx import stage_xlsx

SNIFF_BYTES = 64 * 1024
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".geojson": "geojson",
    ".parquet": "parquet",
}
ACCEPTED = "CSV, XLSX, JSON, GeoJSON or Parquet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARQUET_MAGIC = b"PAR1"


def stage_upload(path: Path, filename: str, *, max_bytes: int, workdir: Path) -> Staged:
    """Check the file's size and type, then read it into workdir/staging.parquet."""
    size = path.stat().st_size
    if size == 0:
        raise IngestError("The file is empty.")
    if size > max_bytes:
        raise IngestError(
            f"The file is {megabytes(size)}, over the upload limit of {megabytes(max_bytes)}."
        )
    fmt = detect_format(path, filename)
    staging = workdir / "staging.parquet"
    readers = {
        "csv": stage_csv,
        "xlsx": stage_xlsx,
        "json": stage_json,
        "geojson": stage_json,
        "parquet": stage_parquet,
    }
    staged = readers[fmt](path, staging, fmt, workdir)
    if staged.rows == 0:
        raise IngestError(
            "The file has column names but no rows of data. Add the data and upload it again."
        )
    return staged


def detect_format(path: Path, filename: str) -> str:
    """The format from the extension, confirmed by the first bytes of the content."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsm", ".xltm", ".xlsb"}:
        raise IngestError(
            "Macro-enabled workbooks are not accepted. Save the sheet as .xlsx or CSV."
        )
    if suffix == ".xls":
        raise IngestError(
            "Old Excel (.xls) files are not accepted. Save the sheet as .xlsx or CSV."
        )
    fmt = EXTENSIONS.get(suffix)
    if fmt is None:
        raise IngestError(f"Files of this type are not accepted. Upload {ACCEPTED}.")
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(OLE_MAGIC):
        if fmt == "xlsx":
            raise IngestError(
                "This workbook is password-protected or in an old format. Remove the password "
                "and save it as .xlsx."
            )
        raise IngestError(f"This file is an old Office document, not {fmt.upper()}.")
    content = _content_kind(head)
    if fmt == "xlsx":
        if content != "zip":
            raise IngestError("This file is not an Excel workbook, although it is called .xlsx.")
        return fmt
    if fmt == "parquet":
        if content != "parquet":
            raise IngestError("This file is not a Parquet file, although it is called .parquet.")
        return fmt
    if content in {"zip", "parquet"}:
        label = "a zip or Excel file" if content == "zip" else "a Parquet file"
        raise IngestError(f"This file is {label}, not {fmt.upper()}. Check its name.")
    if fmt == "json":
        # A .json file holding a FeatureCollection is GeoJSON; stage_json decides.
        return "json"
    return fmt


def _content_kind(head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    return "text"


def make_workdir(dest_hint: Path | None = None) -> tempfile.TemporaryDirectory[str]:
    """A private scratch folder (next to dest when given, so renames stay on one disk)."""
    parent = dest_hint.parent if dest_hint is not None else None
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix="ingest-", dir=parent)
