"""Properties of the records query parser: whatever a person sends, it either gives a query
the engine runs or a QueryError naming a parameter; nothing typed ever becomes SQL."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interborough.catalogue import query_sql
from interborough.catalogue.query import Limits, QueryError, parse_query, records_page

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string"},
        {"name": "rate", "type": "number"},
        {"name": "day", "type": "date"},
    ]
}
NAMES = ["id", "name", "rate", "day", "q", "fields", "sort", "limit", "offset", "after"]
SUFFIXES = ["", "__eq", "__ne", "__gt", "__gte", "__lt", "__lte", "__in", "__contains", "__x"]
MARKER = "zz_injected_zz"

keys = st.one_of(
    st.text(max_size=30),
    st.builds(lambda n, s: n + s, st.sampled_from(NAMES), st.sampled_from(SUFFIXES)),
)
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "1",
            "-id,name",
            "name'; DROP TABLE x; --",
            '" OR 1=1 --',
            "2024-01-01",
            "1e308",
            "10" * 30,
            "id,rate",
            "\x00",
            MARKER,
        ]
    ),
)
params_lists = st.lists(st.tuples(keys, values), max_size=8)


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "data.parquet"
    pq.write_table(
        pa.table(
            {
                "id": [1, 2, 3],
                "name": ["a", "b'c", None],
                "rate": [1.5, None, -2.0],
                "day": pa.array([19000, 19001, None], pa.date32()),
            }
        ),
        path,
    )
    return path


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=params_lists)
def test_parser_gives_a_query_or_a_named_error_and_the_query_runs(table, params):
    try:
        parsed = parse_query(params, SCHEMA, scope="t")
    except QueryError as error:
        assert error.problems
        assert all(param and message for param, message in error.problems)
        return
    statement = query_sql.page_sql(parsed, query_sql.Source.of(table, parsed.columns))
    # Values travel as bound parameters only: what a person typed never shows in the SQL.
    assert MARKER not in statement.sql
    assert "DROP" not in statement.sql
    assert "OR 1=1" not in statement.sql
    result = records_page(table, parsed, Limits(seconds=30, threads=1))
    assert result.total >= len(result.rows)


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=30), value=values)
def test_parser_never_lets_an_unknown_name_reach_sql(name, value):
    if name.partition("__")[0] in {"id", "name", "rate", "day"} or name in NAMES:
        return
    with pytest.raises(QueryError) as error:
        parse_query([(name, value)], SCHEMA)

    assert error.value.problems[0][0]
