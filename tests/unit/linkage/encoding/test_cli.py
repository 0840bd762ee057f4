import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from interborough.linkage.encoding import keys
from interborough.linkage.encoding.cli import main
from interborough.linkage.encoding.errors import EncoderInputError
from interborough.linkage.encoding.files import open_source

CSV = (
    "id,first,last,born,gender,postcode,nhs,borough,notes\n"
    "a1,Jo,Smith,01/02/1980,F,nw12ab,0123456789,Camden,secret\n"
    "a2,Al,Khan,31/02/1980,M,E1 6AN,,Hackney,secret\n"
    "a3,Bo,Lee,,x,,,Camden,secret\n"
)
MAPS = ["forename=first", "surname=last", "dob=born", "sex=gender", "postcode=postcode"]


def _console() -> Console:
    return Console(record=True, width=120, force_terminal=False)


def _args(tmp_path: Path, source: Path, key_file: Path) -> list[str]:
    args = [str(source), "--out", str(tmp_path / "out.parquet"), "--agreement", "DSA-7"]
    args += ["--key-file", str(key_file), "--report", str(tmp_path / "report.json")]
    args += [a for m in [*MAPS, "nhs_number=nhs", "record_id=id"] for a in ("--map", m)]
    return [*args, "--attribute", "borough"]


def test_keygen_then_encode_csv(tmp_path: Path) -> None:
    key_file = tmp_path / "agreement.key"
    console = _console()
    assert main(["keygen", "--out", str(key_file)], console=console) == 0
    key = key_file.read_text().strip()
    assert keys.fingerprint(key) in console.export_text()
    assert key_file.stat().st_mode & 0o077 == 0
    source = tmp_path / "people.csv"
    source.write_text(CSV, encoding="utf-8")

    assert main(_args(tmp_path, source, key_file), console=console) == 0

    table = pq.read_table(tmp_path / "out.parquet")
    assert table["record_id"].to_pylist() == ["a1", "a3"]
    assert "notes" not in table.column_names and "borough" in table.column_names
    assert table.schema.metadata[b"interborough.key_fingerprint"].decode() == keys.fingerprint(key)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["rows"] == 3 and report["rows_rejected"] == 1
    assert report["rejected"] == {"dob_impossible": [2]}
    assert report["completeness"]["dob"] == 0.5
    assert "dob_impossible" in console.export_text()


def test_keygen_refuses_to_overwrite(tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text("existing")
    assert main(["keygen", "--out", str(key_file)], console=_console()) == 2
    assert key_file.read_text() == "existing"


def test_encode_reports_bad_mapping_and_missing_key(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(CSV, encoding="utf-8")
    console = _console()
    args = [str(source), "--out", str(tmp_path / "o.parquet"), "--agreement", "D"]
    assert main([*args, "--map", "forename=first"], console=console) == 2
    assert "surname" in console.export_text()
    maps = [a for m in MAPS for a in ("--map", m)]
    assert main([*args, *maps, "--key-file", str(tmp_path / "nope")], console=console) == 2
    assert not (tmp_path / "o.parquet").exists()


def test_open_source_reads_xlsx_and_parquet_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["first", "nhs"])
    sheet.append(["Jo", 123.0])
    book.save(tmp_path / "p.xlsx")
    xlsx = open_source(tmp_path / "p.xlsx")
    assert xlsx.total_rows == 1
    assert next(xlsx.batches).to_pylist() == [{"first": "Jo", "nhs": "123"}]
    pq.write_table(pa.table({"first": ["Jo", "Al", "Bo"]}), tmp_path / "p.parquet")
    parquet = open_source(tmp_path / "p.parquet", batch_rows=2)
    assert parquet.total_rows == 3
    assert [b.num_rows for b in parquet.batches] == [2, 1]


def test_open_source_refuses_unknown_format(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("x")
    with pytest.raises(EncoderInputError, match="csv"):
        open_source(tmp_path / "p.txt")
