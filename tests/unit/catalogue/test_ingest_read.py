"""read_upload on each format, and on hostile and broken files (fixtures built in tmp_path)."""

import codecs
import json
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interborough.catalogue.ingest import IngestError, Problem, read_upload

LIMIT = 10 * 1024 * 1024
CSV_TEXT = "name,borough,score\nCafé Nero,Camden,3\nCrème brûlée,Hackney,4\n"


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def types(inspected) -> dict[str, str]:
    return {f["name"]: f["type"] for f in inspected.schema["fields"]}


# --- CSV encodings and delimiters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"), "utf-8"),
        (CSV_TEXT.encode("cp1252"), "cp1252"),
        (CSV_TEXT.encode("utf-16"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16"],
)
def test_read_upload_csv_encodings(tmp_path, content, encoding):
    inspected = read_upload(write(tmp_path, "cafes.csv", content), "cafes.csv", max_bytes=LIMIT)

    assert inspected.encoding == encoding
    assert inspected.columns == ["name", "borough", "score"]  # no BOM left in the first name
    assert inspected.rows == 2
    assert types(inspected)["score"] == "integer"
    assert inspected.problem_count == 0


def test_read_upload_cp1252_values_survive_to_parquet(tmp_path):
    from interborough.catalogue.ingest import write_parquet

    path = write(tmp_path, "cafes.csv", "name,price\nCafé,£5\n".encode("cp1252"))
    inspected = read_upload(path, "cafes.csv", max_bytes=LIMIT)

    written = write_parquet(path, "cafes.csv", inspected, tmp_path / "out.parquet")

    assert pq.read_table(written.path).to_pylist() == [{"name": "Café", "price": "£5"}]


@pytest.mark.parametrize(("delimiter", "name"), [(";", "a.csv"), ("\t", "a.tsv"), ("|", "a.csv")])
def test_read_upload_sniffs_delimiter(tmp_path, delimiter, name):
    text = delimiter.join(["code", "name", "count"]) + "\n"
    text += delimiter.join(["E09000007", "Camden, north", "12"]) + "\n"
    path = write(tmp_path, name, text.encode())

    inspected = read_upload(path, name, max_bytes=LIMIT)

    assert inspected.delimiter == delimiter
    assert inspected.columns == ["code", "name", "count"]
    assert types(inspected) == {"code": "string", "name": "string", "count": "integer"}


def test_read_upload_semicolon_csv_with_decimal_commas(tmp_path):
    path = write(tmp_path, "a.csv", b"area;rate\nCamden;3,5\nBrent;4\n")

    inspected = read_upload(path, "a.csv", max_bytes=LIMIT)

    assert inspected.schema["fields"][1] == {"name": "rate", "type": "number", "decimalChar": ","}


def test_read_upload_infers_types_and_keeps_leading_zero_codes(tmp_path):
    text = (
        "id,ratio,flag,day,uk_day,at,phone\n"
        "1,0.5,true,2024-01-31,31/01/2024,2024-01-31T10:00:00Z,0207\n"
        "2,,false,2024-02-01,01/02/2024,2024-02-01 11:30,0208\n"
    )
    inspected = read_upload(write(tmp_path, "t.csv", text.encode()), "t.csv", max_bytes=LIMIT)

    assert types(inspected) == {
        "id": "integer",
        "ratio": "number",
        "flag": "boolean",
        "day": "date",
        "uk_day": "date",
        "at": "datetime",
        "phone": "string",
    }
    assert inspected.schema["fields"][4]["format"] == "%d/%m/%Y"


def test_read_upload_reports_ragged_rows_with_their_row(tmp_path):
    text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
    inspected = read_upload(write(tmp_path, "r.csv", text.encode()), "r.csv", max_bytes=LIMIT)

    assert inspected.problem_count == 2
    assert [p.row for p in inspected.problems] == [3, 4]
    assert inspected.problems[0].message == "Row 3 has 2 values but the header has 3 columns."
    assert "4 values" in inspected.problems[1].message
    assert inspected.problems[0].column == ""


def test_read_upload_counts_problems_beyond_the_cap(tmp_path):
    text = "a,b\n" + "1\n" * 1500
    inspected = read_upload(write(tmp_path, "r.csv", text.encode()), "r.csv", max_bytes=LIMIT)

    assert inspected.problem_count == 1500
    assert len(inspected.problems) == 1000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,name\n1,2\n", "both called"),
        (b"Name,NAME\n1,2\n", "both called"),
        (b"a,,c\n1,2,3\n", "Column 2 has no name"),
        (b"a,b\n1,\x002\n", "NUL"),
        (b"\n\n\n", "blank"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "NUL|not look like text"),
    ],
    ids=["duplicate", "duplicate-case", "blank-header", "nul", "blank-lines", "binary"],
)
def test_read_upload_refuses_broken_csv(tmp_path, content, message):
    with pytest.raises(IngestError, match=message):
        read_upload(write(tmp_path, "bad.csv", content), "bad.csv", max_bytes=LIMIT)


def test_read_upload_refuses_empty_file(tmp_path):
    with pytest.raises(IngestError, match="empty"):
        read_upload(write(tmp_path, "e.csv", b""), "e.csv", max_bytes=LIMIT)


def test_read_upload_refuses_oversized_file_before_reading(tmp_path):
    path = write(tmp_path, "big.csv", b"a\n" + b"1\n" * 600)

    with pytest.raises(IngestError, match="over the upload limit"):
        read_upload(path, "big.csv", max_bytes=1000)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ", "not accepted"),
        ("a.xlsm", b"PK\x03\x04", "Macro-enabled"),
        ("a.xls", b"x", "Old Excel"),
        ("a.csv", b"PK\x03\x04rest", "zip or Excel"),
        ("a.parquet", b"a,b\n1,2\n", "not a Parquet file"),
        ("a.xlsx", b"a,b\n1,2\n", "not an Excel workbook"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
    ],
)
def test_read_upload_checks_extension_against_content(tmp_path, name, content, message):
    with pytest.raises(IngestError, match=message):
        read_upload(write(tmp_path, name, content), name, max_bytes=LIMIT)


# --- XLSX ---------------------------------------------------------------------------------------


def test_read_upload_refuses_zip_bomb_disguised_as_xlsx(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(100):
                entry.write(block)
    assert path.stat().st_size < 1024 * 1024  # 100 MB of zeros compressed small

    with pytest.raises(IngestError, match="zip bomb"):
        read_upload(path, "bomb.xlsx", max_bytes=LIMIT)


def test_read_upload_refuses_workbook_with_macros(tmp_path):
    path = tmp_path / "macro.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\x00\x01")

    with pytest.raises(IngestError, match="macros"):
        read_upload(path, "macro.xlsx", max_bytes=LIMIT)


def make_workbook(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_read_upload_xlsx_values_dates_and_formula_problem(tmp_path):
    import datetime as dt

    path = make_workbook(
        tmp_path / "book.xlsx",
        [
            ["borough", "opened", "total"],
            ["Camden", dt.datetime(2024, 3, 1), 5],
            ["Brent", dt.datetime(2024, 3, 2), "=SUM(C2:C2)"],
        ],
    )

    inspected = read_upload(path, "book.xlsx", max_bytes=LIMIT)

    assert inspected.format == "xlsx"
    assert inspected.encoding == ""
    assert inspected.columns == ["borough", "opened", "total"]
    assert inspected.rows == 2
    assert types(inspected)["opened"] == "date"
    assert inspected.problems == [
        Problem(
            row=3,
            column="total",
            message="This cell holds a formula; formulas are not calculated. "
            "Replace it with its value.",
        )
    ]


def test_read_upload_refuses_damaged_workbook(tmp_path):
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")

    with pytest.raises(IngestError, match=r"could not be (opened|read)"):
        read_upload(path, "damaged.xlsx", max_bytes=LIMIT)


def test_read_upload_xlsx_datetime_with_time_and_empty_rows(tmp_path):
    import datetime as dt

    path = make_workbook(
        tmp_path / "book.xlsx",
        [["at", "n"], [dt.datetime(2024, 3, 1, 9, 30), 1.5], [None, None], [None, 2]],
    )

    inspected = read_upload(path, "book.xlsx", max_bytes=LIMIT)

    assert inspected.rows == 2  # the empty row is skipped
    assert types(inspected) == {"at": "datetime", "n": "number"}


def test_read_upload_xlsx_duplicate_headers(tmp_path):
    path = make_workbook(tmp_path / "dup.xlsx", [["a", "a"], [1, 2]])

    with pytest.raises(IngestError, match="both called"):
        read_upload(path, "dup.xlsx", max_bytes=LIMIT)


# --- JSON, GeoJSON, Parquet ----------------------------------------------------------------------


def test_read_upload_json_list_of_objects(tmp_path):
    rows = [{"site": "Marylebone Road", "no2": 41.5}, {"site": "Oxford Street", "pm25": 12}]
    path = write(tmp_path, "air.json", json.dumps(rows).encode())

    inspected = read_upload(path, "air.json", max_bytes=LIMIT)

    assert inspected.format == "json"
    assert inspected.columns == ["site", "no2", "pm25"]
    assert inspected.rows == 2
    assert types(inspected) == {"site": "string", "no2": "number", "pm25": "integer"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"a": 1},', "not valid JSON"),
        (b'{"a": 1}', "list of objects"),
        (b"[1, 2]", "not an object"),
        (b"[]", "empty"),
    ],
)
def test_read_upload_refuses_bad_json(tmp_path, content, message):
    with pytest.raises(IngestError, match=message):
        read_upload(write(tmp_path, "bad.json", content), "bad.json", max_bytes=LIMIT)


def test_read_upload_geojson_feature_collection(tmp_path):
    point = {"type": "Point", "coordinates": [-0.1276, 51.5072]}
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Trafalgar", "gss": "E09000033"},
                "geometry": point,
            },
            {"type": "Feature", "properties": {"name": "Nowhere"}, "geometry": None},
        ],
    }
    path = write(tmp_path, "places.geojson", json.dumps(document).encode())

    inspected = read_upload(path, "places.geojson", max_bytes=LIMIT)

    assert inspected.format == "geojson"
    assert inspected.geometry_column == "geometry"
    assert inspected.columns == ["name", "gss", "geometry"]
    assert types(inspected)["geometry"] == "geojson"
    assert inspected.problem_count == 0


def test_read_upload_geojson_in_json_file_and_bad_geometry(tmp_path):
    document = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Blob"}}],
    }
    path = write(tmp_path, "places.json", json.dumps(document).encode())

    inspected = read_upload(path, "places.json", max_bytes=LIMIT)

    assert inspected.format == "geojson"
    assert inspected.problems[0].row == 2
    assert "geometry" in inspected.problems[0].message


def test_read_upload_parquet_keeps_declared_types(tmp_path):
    table = pa.table({"n": pa.array([1, 2], pa.int32()), "code": ["001", "002"]})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)

    inspected = read_upload(path, "t.parquet", max_bytes=LIMIT)

    assert inspected.format == "parquet"
    assert inspected.rows == 2
    assert types(inspected) == {"n": "integer", "code": "string"}


def test_read_upload_refuses_damaged_parquet(tmp_path):
    path = write(tmp_path, "t.parquet", b"PAR1" + b"\x00" * 20 + b"PAR1")

    with pytest.raises(IngestError, match="Parquet"):
        read_upload(path, "t.parquet", max_bytes=LIMIT)
