"""Grouped figures for charts and the borough choropleth over small Parquet files (no database)."""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interborough.catalogue import query_aggregate as aggregates
from interborough.catalogue.query import Limits, QueryError, QueryTimeout, parse_query

SCHEMA = {
    "fields": [
        {"name": "borough", "type": "string"},
        {"name": "amount", "type": "number"},
        {"name": "opened", "type": "date"},
        {"name": "note", "type": "string"},
        {"name": "place", "type": "geojson"},
    ]
}
LIMITS = Limits(seconds=30, memory="256MB", threads=1)
ROWS = {
    "borough": ["E09000007", "E09000012", "E09000007", None, "E09000033"],
    "amount": [10.0, 2.5, 5.0, 1.0, None],
    "opened": [
        dt.date(2024, 1, 3),
        dt.date(2024, 1, 30),
        dt.date(2024, 2, 1),
        dt.date(2025, 6, 1),
        None,
    ],
    "note": ["a", "b", "c", "d", "e"],
    "place": [None] * 5,
}


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table(ROWS), path)
    return path


def _query(params=()):
    return parse_query(list(params), SCHEMA)


def _run(path, params=(), **choice):
    parsed = _query(params)
    aggregation = aggregates.aggregation_of(parsed.columns, **choice)
    return aggregates.aggregate(path, parsed, aggregation, LIMITS)


def test_aggregate_counts_rows_per_value_with_empty_last(table):
    result = _run(table, group="borough")

    assert [(g.key, g.value) for g in result.groups] == [
        ("E09000007", 2),
        ("E09000012", 1),
        ("E09000033", 1),
        (None, 1),
    ]
    assert not result.capped


@pytest.mark.parametrize(
    ("function", "expected"),
    [("sum", 15.0), ("mean", 7.5), ("min", 5.0), ("max", 10.0)],
)
def test_aggregate_functions_of_a_numeric_field(table, function, expected):
    result = _run(table, group="borough", function=function, measure="amount")

    assert result.groups[0].value == expected


def test_aggregate_applies_the_query_filters_and_q(table):
    filtered = _run(table, [("amount__gt", "4")], group="borough")
    searched = _run(table, [("q", "b")], group="borough")

    assert [(g.key, g.value) for g in filtered.groups] == [("E09000007", 2)]
    assert [(g.key, g.value) for g in searched.groups] == [("E09000012", 1)]


def test_aggregate_groups_dates_by_month_and_year(table):
    months = _run(table, group="opened", bucket="month")
    years = _run(table, group="opened", bucket="year", function="sum", measure="amount")

    assert [(g.key, g.value) for g in months.groups] == [
        (dt.date(2024, 1, 1), 2),
        (dt.date(2024, 2, 1), 1),
        (dt.date(2025, 6, 1), 1),
        (None, 1),
    ]
    assert [(g.key, g.value) for g in years.groups][:2] == [
        (dt.date(2024, 1, 1), 17.5),
        (dt.date(2025, 1, 1), 1.0),
    ]


def test_aggregate_caps_groups_and_says_so(table):
    parsed = _query()
    aggregation = aggregates.aggregation_of(parsed.columns, group="note")

    result = aggregates.aggregate(table, parsed, aggregation, LIMITS, cap=3)

    assert [g.key for g in result.groups] == ["a", "b", "c"]
    assert result.capped


@pytest.mark.parametrize(
    ("choice", "param"),
    [
        ({"group": "nope"}, "group"),
        ({"group": "place"}, "group"),
        ({"group": "borough", "function": "median"}, "function"),
        ({"group": "borough", "function": "sum", "measure": "note"}, "measure"),
        ({"group": "borough", "function": "sum"}, "measure"),
        ({"group": "borough", "bucket": "month"}, "bucket"),
        ({"group": "opened", "bucket": "week"}, "bucket"),
    ],
)
def test_aggregation_of_refuses_bad_choices(choice, param):
    with pytest.raises(QueryError) as error:
        aggregates.aggregation_of(_query().columns, **choice)

    assert param in [p for p, _ in error.value.problems]


def test_aggregation_label_names_the_figure():
    columns = _query().columns

    assert aggregates.aggregation_of(columns, group="borough").label == "Number of rows"
    mean = aggregates.aggregation_of(columns, group="borough", function="mean", measure="amount")
    assert mean.label == "Average of amount"


def test_aggregate_field_names_are_quoted_not_run(tmp_path):
    name = "x\") FROM read_parquet('/etc/passwd') --"
    path = tmp_path / "odd.parquet"
    pq.write_table(pa.table({name: ["a", "a", "b"]}), path)
    parsed = parse_query([], {"fields": [{"name": name, "type": "string"}]})

    result = aggregates.aggregate(
        path, parsed, aggregates.aggregation_of(parsed.columns, group=name), LIMITS
    )

    assert [(g.key, g.value) for g in result.groups] == [("a", 2), ("b", 1)]


def test_aggregate_over_its_time_limit_raises_query_timeout(tmp_path):
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"n": list(range(2_000_000))}), path)
    parsed = parse_query([], {"fields": [{"name": "n", "type": "integer"}]})
    aggregation = aggregates.aggregation_of(parsed.columns, group="n")

    with pytest.raises(QueryTimeout):
        aggregates.aggregate(path, parsed, aggregation, Limits(seconds=0.0001, threads=1))


def test_borough_column_found_when_most_values_are_london_codes(table):
    column = aggregates.borough_column(table, _query().columns, LIMITS)

    assert column is not None and column.name == "borough"


@pytest.mark.parametrize(
    "values",
    [
        ["E09000007", "E09000012", "Camden", "Hackney"],  # half are names
        ["E09000034", "E09000040", "E09000000", "E09000099"],  # not London's 33
        ["E08000001", "E08000002", "E08000003", "E08000004"],  # other areas
        [None, None, None, None],
    ],
)
def test_borough_column_not_found_for_other_values(tmp_path, values):
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"code": pa.array(values, pa.string())}), path)
    columns = parse_query([], {"fields": [{"name": "code", "type": "string"}]}).columns

    assert aggregates.borough_column(path, columns, LIMITS) is None


def test_borough_column_tolerates_a_few_stray_values(tmp_path):
    values = ["E09000001"] * 19 + ["unknown"]
    path = tmp_path / "mostly.parquet"
    pq.write_table(pa.table({"code": values}), path)
    columns = parse_query([], {"fields": [{"name": "code", "type": "string"}]}).columns

    assert aggregates.borough_column(path, columns, LIMITS) is not None
