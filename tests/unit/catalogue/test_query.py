"""The records query engine over small Parquet files (no database)."""

import datetime as dt
import itertools

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interborough.catalogue import query
from interborough.catalogue.query import Limits, QueryError, parse_query, records_page

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "borough", "type": "string"},
        {"name": "amount", "type": "number"},
        {"name": "opened", "type": "date"},
        {"name": "seen", "type": "datetime"},
        {"name": "active", "type": "boolean"},
        {"name": 'odd name "quoted"', "type": "string"},
    ]
}
LIMITS = Limits(seconds=30, memory="256MB", threads=1)
BOROUGHS = ["E09000007", "E09000012", "E09000030", None]


def _rows(n: int) -> dict[str, list]:
    start = dt.date(2024, 1, 1)
    return {
        "id": list(range(1, n + 1)),
        "borough": [BOROUGHS[i % 4] for i in range(n)],
        "amount": [None if i % 7 == 0 else float((i * 37) % 11) for i in range(n)],
        "opened": [start + dt.timedelta(days=i % 5) for i in range(n)],
        "seen": [dt.datetime(2024, 1, 1, 9) + dt.timedelta(hours=i) for i in range(n)],
        "active": [i % 3 == 0 for i in range(n)],
        'odd name "quoted"': [f"Row {i} O'Brien" for i in range(n)],
    }


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table(_rows(40)), path, row_group_size=8)
    return path


def page(path, params, **kwargs):
    return records_page(path, parse_query(params, SCHEMA, scope="t", **kwargs), LIMITS)


def ids(result) -> list[int]:
    return [row[0] for row in result.rows]


def test_query_first_page_in_row_order_with_total(table):
    result = page(table, [("limit", "5")])

    assert ids(result) == [1, 2, 3, 4, 5]
    assert result.total == 40
    assert result.next is not None


def test_query_repeated_field_is_any_of_and_other_fields_all_of(table):
    result = page(table, [("borough", "E09000007"), ("borough", "E09000030"), ("id__lte", "6")])

    assert ids(result) == [1, 3, 5]
    assert result.total == 3


def test_query_comparisons_on_dates_datetimes_and_booleans(table):
    assert page(table, [("opened__gte", "2024-01-05")]).total == 8
    assert page(table, [("seen__lt", "2024-01-01T11:00:00+00:00")]).total == 2
    assert page(table, [("active", "true"), ("id__in", "1,2,3,4")]).total == 2
    assert page(table, [("borough__ne", "E09000007")]).total == 30  # NULLs are "not equal"


def test_query_contains_and_q_ignore_case(table):
    assert page(table, [("borough__contains", "e0900001")]).total == 10
    assert page(table, [("borough__contains", "e09")]).total == 30
    assert ids(page(table, [("q", "ROW 31 o'brien")])) == [32]


def test_query_projection_and_quoted_names(table):
    result = page(table, [("fields", 'odd name "quoted",id'), ("limit", "1")])

    assert [c.name for c in result.fields] == ['odd name "quoted"', "id"]
    assert result.rows == [("Row 0 O'Brien", 1)]


def test_query_sort_puts_nulls_last_both_ways(table):
    ascending = page(table, [("sort", "amount"), ("limit", "1000")])
    descending = page(table, [("sort", "-amount"), ("limit", "1000")])

    assert ascending.rows[-1][2] is None
    assert descending.rows[-1][2] is None
    assert descending.rows[0][2] == 10.0


@pytest.mark.parametrize("sort", ["", "amount", "-amount", "borough,-opened", "-borough,amount"])
def test_query_keyset_pages_match_one_big_page(table, sort):
    everything = ids(page(table, [("sort", sort), ("limit", "1000")]))
    seen: list[int] = []
    after = None
    for _ in range(20):
        params = [("sort", sort), ("limit", "7")] + ([("after", after)] if after else [])
        result = page(table, params)
        seen += ids(result)
        after = result.next
        if not after:
            break

    assert seen == everything
    assert len(seen) == 40


def test_query_cursor_is_bound_to_its_sort_and_version(table):
    cursor = page(table, [("sort", "amount"), ("limit", "3")]).next

    with pytest.raises(QueryError) as other_sort:
        parse_query([("sort", "-amount"), ("after", cursor)], SCHEMA, scope="t")
    with pytest.raises(QueryError) as other_version:
        parse_query([("sort", "amount"), ("after", cursor)], SCHEMA, scope="another")

    assert other_sort.value.problems[0][0] == "after"
    assert other_version.value.problems[0][0] == "after"


def test_query_file_with_a_file_row_number_column(tmp_path):
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"file_row_number": [9, 8, 7], "x": ["a", "b", "c"]}), path)
    schema = {"fields": [{"name": "file_row_number", "type": "integer"}, {"name": "x"}]}
    parsed = parse_query([("limit", "2")], schema, scope="t")

    first = records_page(path, parsed, LIMITS)
    rest = records_page(
        path, parse_query([("limit", "2"), ("after", first.next)], schema, scope="t"), LIMITS
    )

    assert first.rows + rest.rows == [(9, "a"), (8, "b"), (7, "c")]


def test_query_copy_gives_the_same_answers(table):
    queries = [
        [("limit", "1000")],
        [("borough", "E09000012"), ("sort", "-amount,opened")],
        [("q", "row 1"), ("sort", "amount"), ("limit", "4")],
    ]
    before = [page(table, q) for q in queries]

    query.build_query_copy(table, LIMITS)
    after = [page(table, q) for q in queries]

    assert query.query_copy_path(table).exists()
    assert [(p.rows, p.total, p.next) for p in after] == [(p.rows, p.total, p.next) for p in before]


def test_query_stream_gives_every_row_in_order(table):
    parsed = parse_query([("sort", "-id")], SCHEMA, scope="t", max_limit=None)

    stream = query.open_rows(table, parsed, LIMITS)

    assert [row[0] for row in stream] == list(range(40, 0, -1))


def test_query_copy_parquet_writes_the_filtered_rows(table, tmp_path):
    parsed = parse_query([("id__lt", "4"), ("fields", "id")], SCHEMA, scope="t", max_limit=None)

    query.copy_parquet(table, parsed, LIMITS, tmp_path / "out.parquet")

    assert pq.read_table(tmp_path / "out.parquet").to_pylist() == [{"id": 1}, {"id": 2}, {"id": 3}]


def test_query_time_limit_interrupts_a_query_that_never_ends():
    connection = duckdb.connect()

    with pytest.raises(query.QueryTimeout) as stopped, query.time_limit(connection, 0.05):
        connection.execute("SELECT count(*) FROM range(1000000000000) a, range(1000000) b")

    assert "Narrow it" in stopped.value.message
    assert connection.execute("SELECT 1").fetchall() == [(1,)]


def test_query_copy_and_counts_use_file_metadata(table):
    assert query.file_rows(table) == 40
    assert query.count_rows(table, parse_query([("id__gt", "30")], SCHEMA), LIMITS) == 10


@pytest.mark.parametrize(
    "params, param",
    [
        ([("nope", "1")], "nope"),
        ([("id__between", "1")], "id__between"),
        ([("id", "one")], "id"),
        ([("id", "99999999999999999999")], "id"),
        ([("amount__gt", "nan")], "amount__gt"),
        ([("opened", "2024-02-30")], "opened"),
        ([("seen__gt", "yesterday")], "seen__gt"),
        ([("active", "maybe")], "active"),
        ([("active__gt", "true")], "active__gt"),
        ([("id__contains", "1")], "id__contains"),
        ([("limit", "1001")], "limit"),
        ([("limit", "10" * 20)], "limit"),
        ([("offset", "-1")], "offset"),
        ([("sort", "nope")], "sort"),
        ([("sort", "id;DROP TABLE x")], "sort"),
        ([("fields", "id,*")], "fields"),
        ([("limit", "5"), ("limit", "6")], "limit"),
        ([("after", "x"), ("offset", "3")], "after"),
        ([("after", "eyJzIjoidCJ9:forged:sig")], "after"),
        ([("q", " ".join(f"w{i}" for i in range(11)))], "q"),
        ([("id__in", ",".join("1" * 101))], "id__in"),
        ([("borough", "x" * 501)], "borough"),
    ],
)
def test_query_bad_parameters_name_the_parameter(params, param):
    with pytest.raises(QueryError) as error:
        parse_query(params, SCHEMA, scope="t")

    assert error.value.problems[0][0] == param
    assert error.value.fields[0]["message"]


def test_query_reports_every_bad_parameter_at_once():
    with pytest.raises(QueryError) as error:
        parse_query([("nope", "1"), ("limit", "x"), ("sort", "zzz")], SCHEMA)

    assert {p for p, _ in error.value.problems} == {"nope", "limit", "sort"}


def test_query_too_many_filters_is_refused():
    params = list(itertools.islice((("id", str(i)) for i in range(10_000)), 10_000))

    with pytest.raises(QueryError) as error:
        parse_query(params, SCHEMA)

    assert "at most 50 filters" in error.value.problems[0][1]


def test_query_field_named_like_a_reserved_parameter_is_filtered_with_eq(tmp_path):
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"limit": [1, 2, 3]}), path)
    schema = {"fields": [{"name": "limit", "type": "integer"}]}

    result = records_page(path, parse_query([("limit__eq", "2")], schema), LIMITS)

    assert result.rows == [(2,)]


def test_query_downloads_have_no_page_limit():
    assert parse_query([], SCHEMA, max_limit=None).limit is None
    assert parse_query([("limit", "5000")], SCHEMA, max_limit=None).limit == 5000


def test_query_copy_built_only_for_large_versions(table, settings):
    from interborough.catalogue.downloads import query_copy_build

    settings.CATALOGUE_QUERY_COPY_MIN_ROWS = 41
    query_copy_build(table, rows=40)
    assert not query.query_copy_path(table).exists()

    settings.CATALOGUE_QUERY_COPY_MIN_ROWS = 40
    query_copy_build(table, rows=40)
    assert query.query_copy_path(table).exists()
