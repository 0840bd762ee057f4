"""Validating against a publisher's Table Schema, writing Parquet, and version changes."""

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interborough.catalogue.ingest import (
    IngestError,
    Problem,
    read_upload,
    version_changes,
    write_parquet,
)

LIMIT = 10 * 1024 * 1024
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "borough", "type": "string", "constraints": {"enum": ["Camden", "Brent"]}},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "day", "type": "date"},
    ]
}


def csv_file(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_upload_schema_errors_have_row_and_column(tmp_path):
    path = csv_file(
        tmp_path,
        "id,borough,count,day\n"
        "1,Camden,5,2024-01-01\n"
        "1,Lambeth,101,2024-13-01\n"
        ",Brent,x,2024-01-02\n",
    )

    inspected = read_upload(path, "data.csv", max_bytes=LIMIT, schema=SCHEMA)

    assert inspected.schema == SCHEMA
    assert inspected.problems == [
        Problem(3, "id", "This value must be unique but is already in row 2."),
        Problem(3, "borough", '"Lambeth" is not one of the allowed values: Camden, Brent'),
        Problem(3, "count", '"101" is above the maximum of 100.'),
        Problem(3, "day", '"2024-13-01" is not a date.'),
        Problem(4, "id", "A value is required."),
        Problem(4, "count", '"x" is not a whole number.'),
    ]
    assert inspected.problem_count == 6


def test_read_upload_schema_column_mismatch_is_file_level(tmp_path):
    path = csv_file(tmp_path, "id,extra\n1,a\n")

    inspected = read_upload(path, "data.csv", max_bytes=LIMIT, schema=SCHEMA)

    assert Problem(0, "extra", "This column is not in the schema.") in inspected.problems
    assert (
        Problem(0, "day", "The schema lists this column but the file does not have it.")
        in inspected.problems
    )


def test_read_upload_refuses_invalid_schema(tmp_path):
    path = csv_file(tmp_path, "id\n1\n")

    with pytest.raises(IngestError, match="not a valid Table Schema"):
        read_upload(
            path, "data.csv", max_bytes=LIMIT, schema={"fields": [{"name": "id", "type": "wibble"}]}
        )


def test_read_upload_schema_with_date_format_and_missing_values(tmp_path):
    schema = {
        "fields": [{"name": "day", "type": "date", "format": "%d/%m/%Y"}],
        "missingValues": ["", "n/a"],
    }
    path = csv_file(tmp_path, "day\n25/12/2024\nn/a\n2024-12-25\n")

    inspected = read_upload(path, "data.csv", max_bytes=LIMIT, schema=schema)

    assert inspected.problems == [Problem(4, "day", '"2024-12-25" is not a date (%d/%m/%Y).')]


# --- write_parquet ------------------------------------------------------------------------------


def test_write_parquet_types_columns(tmp_path):
    path = csv_file(
        tmp_path,
        "id,ratio,flag,day,at,name\n1,0.5,true,2024-01-31,2024-01-31T10:00:00+01:00,Camden\n"
        "2,,false,,,\n",
    )
    inspected = read_upload(path, "data.csv", max_bytes=LIMIT)
    dest = tmp_path / "out" / "data.parquet"

    written = write_parquet(path, "data.csv", inspected, dest)

    table = pq.read_table(dest)
    assert [str(t) for t in table.schema.types] == [
        "int64",
        "double",
        "bool",
        "date32[day]",
        "timestamp[us]",
        "string",
    ]
    rows = table.to_pylist()
    assert rows[0]["at"].isoformat() == "2024-01-31T09:00:00"  # converted to UTC
    assert rows[1] == {"id": 2, "ratio": None, "flag": False, "day": None, "at": None, "name": None}
    assert written.rows == 2
    assert written.size == path.stat().st_size
    assert len(written.sha256) == 64
    assert not dest.with_name("data.parquet.tmp").exists()


def test_write_parquet_refuses_upload_with_problems(tmp_path):
    path = csv_file(tmp_path, "a,b\n1,2\n3\n")
    inspected = read_upload(path, "data.csv", max_bytes=LIMIT)
    dest = tmp_path / "data.parquet"

    with pytest.raises(IngestError, match="1 problems"):
        write_parquet(path, "data.csv", inspected, dest)

    assert not dest.exists()


def test_write_parquet_leaves_nothing_when_a_value_fails_its_type(tmp_path):
    path = csv_file(tmp_path, "n\n1\n2\n")
    inspected = read_upload(path, "data.csv", max_bytes=LIMIT)
    path.write_text("n\n1\nx\n")  # the file changes between checking and writing
    dest = tmp_path / "data.parquet"

    with pytest.raises(IngestError, match="does not match its schema"):
        write_parquet(path, "data.csv", inspected, dest)

    assert not dest.exists()
    assert not dest.with_name("data.parquet.tmp").exists()


def test_write_parquet_round_trips_parquet(tmp_path):
    import pyarrow as pa

    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"n": [1, None, 3], "s": ["a", "b", None]}), source)
    inspected = read_upload(source, "in.parquet", max_bytes=LIMIT)

    write_parquet(source, "in.parquet", inspected, tmp_path / "out.parquet")

    assert pq.read_table(tmp_path / "out.parquet").to_pylist() == [
        {"n": 1, "s": "a"},
        {"n": None, "s": "b"},
        {"n": 3, "s": None},
    ]


# --- version_changes ----------------------------------------------------------------------------


def version(tmp_path: Path, name: str, text: str) -> tuple[Path, dict]:
    path = csv_file(tmp_path, text, f"{name}.csv")
    inspected = read_upload(path, path.name, max_bytes=LIMIT)
    dest = tmp_path / f"{name}.parquet"
    write_parquet(path, path.name, inspected, dest)
    return dest, inspected.schema


def test_version_changes_rows_and_columns(tmp_path):
    old, old_schema = version(tmp_path, "v1", "id,name,code,gone\n1,a,10,x\n2,b,11,y\n2,b,11,y\n")
    new, new_schema = version(tmp_path, "v2", "id,name,code,added\n2,b,X1,z\n3,c,12,z\n4,d,13,z\n")

    changes = version_changes(old, new, old_schema, new_schema)

    assert changes.columns_added == ["added"]
    assert changes.columns_removed == ["gone"]
    assert changes.columns_retyped == [("code", "integer", "string")]
    # Over id, name, code: old {1a10, 2b11, 2b11}; new {2bX1, 3c12, 4d13}.
    assert changes.rows_added == 3
    assert changes.rows_removed == 3


def test_version_changes_counts_duplicates_and_unchanged_rows(tmp_path):
    old, schema = version(tmp_path, "v1", "id,name\n1,a\n2,b\n2,b\n")
    new, _ = version(tmp_path, "v2", "id,name\n1,a\n2,b\n5,e\n")

    changes = version_changes(old, new, schema, schema)

    assert (changes.rows_added, changes.rows_removed) == (1, 1)
    assert changes.columns_added == changes.columns_removed == changes.columns_retyped == []


def test_version_changes_first_version_adds_everything(tmp_path):
    new, schema = version(tmp_path, "v1", "id,name\n1,a\n2,b\n")

    changes = version_changes(None, new, None, schema)

    assert (changes.rows_added, changes.rows_removed) == (2, 0)
    assert changes.columns_added == ["id", "name"]


# --- any bytes at all ---------------------------------------------------------------------------


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda s: s.encode("utf-8")),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=300).map(lambda b: b"PAR1" + b),
    ),
    suffix=st.sampled_from([".csv", ".tsv", ".xlsx", ".json", ".geojson", ".parquet", ".bin"]),
)
def test_read_upload_any_bytes_raise_only_ingest_error(tmp_path, content, suffix):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(content)

    try:
        inspected = read_upload(path, path.name, max_bytes=LIMIT)
    except IngestError as error:
        assert error.message
    else:
        assert inspected.rows >= 0
