"""Grouped figures over one version's Parquet file with DuckDB, for charts and the borough
choropleth (pure: no Django models here).

An `Aggregation` groups the rows by one field (dates optionally by month or year) and gives
each group its row count, or the sum, mean, minimum or maximum of a numeric field. The rows are
first narrowed by a RecordQuery's filters and `q`, exactly as the records API narrows them, so a
chart always shows the rows the preview table lists. As there: identifiers come only from the
schema and every value is bound; the query runs on the engine's per-thread connection under
its time limit (QueryTimeout). At most `cap` groups come back, and `capped` says when there
were more.

`borough_column` finds the column of London borough GSS codes (E09000001 to E09000033) that
makes the choropleth appear: a text column whose non-empty values mostly are such codes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb

# The engine's connection pool, time limit and source choice are private to query.py; they are
# shared here rather than copied (see the module's report: they should become public).
from interborough.catalogue.query import (
    Limits,
    QueryTimeout,
    discard_connection,
    source_of,
    thread_connection,
    time_limit,
)
from interborough.catalogue.query_params import (
    NUMERIC_TYPES,
    Column,
    QueryError,
    RecordQuery,
)
from interborough.catalogue.query_sql import conditions_sql, literal

FUNCTIONS = {
    "count": "Number of rows",
    "sum": "Total",
    "mean": "Average",
    "min": "Lowest",
    "max": "Highest",
}
BUCKETS = {"month": "month", "year": "year"}
DATE_TYPES = frozenset({"date", "datetime"})
UNGROUPABLE_TYPES = frozenset({"geojson", "object", "array"})
MAX_GROUPS = 500
# London's 33 local authorities: E09000001 (City of London) to E09000033 (Westminster).
BOROUGH_CODE_RE = r"E090000(0[1-9]|[12][0-9]|3[0-3])"
BOROUGH_SHARE = 0.9
BOROUGH_SAMPLE_ROWS = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class Aggregation:
    """What to work out for each group: `function` of `measure` (None: count rows)."""

    group: Column
    function: str = "count"
    measure: Column | None = None
    bucket: str = ""  # "month" or "year" for a date field; "" groups by the value itself

    @property
    def label(self) -> str:
        """What the figure is, in words: "Total of amount", "Number of rows"."""
        if self.measure is None:
            return FUNCTIONS["count"]
        return f"{FUNCTIONS[self.function]} of {self.measure.name}"


@dataclass(frozen=True)
class Group:
    key: Any  # the group's value (a date for a month or year bucket); None for empty values
    value: float | int | None


@dataclass(frozen=True)
class Aggregated:
    aggregation: Aggregation
    groups: list[Group]
    capped: bool  # there were more groups than `cap`; only the first `cap` (by key) are here
    cap: int


def aggregation_of(
    columns: tuple[Column, ...],
    *,
    group: str,
    function: str = "count",
    measure: str = "",
    bucket: str = "",
) -> Aggregation:
    """An Aggregation from field names; QueryError names each choice to fix."""
    by_name = {c.name: c for c in columns}
    problems: list[tuple[str, str]] = []
    group_column = by_name.get(group)
    if group_column is None:
        problems.append(("group", "Choose a field of this table to group by."))
    elif group_column.type in UNGROUPABLE_TYPES:
        problems.append(("group", f'"{group}" holds shapes or objects: choose another field.'))
    if function not in FUNCTIONS:
        problems.append(("function", f"Choose one of: {', '.join(FUNCTIONS)}."))
    measure_column = None
    if function != "count":
        measure_column = by_name.get(measure)
        if measure_column is None or measure_column.type not in NUMERIC_TYPES:
            problems.append(("measure", "Choose a numeric field to add up or compare."))
    if bucket and bucket not in BUCKETS:
        problems.append(("bucket", "Group dates by month or by year."))
    elif bucket and group_column is not None and group_column.type not in DATE_TYPES:
        problems.append(("bucket", f'"{group}" is not a date: group by its values instead.'))
    if problems or group_column is None:
        raise QueryError(problems)
    return Aggregation(group_column, function, measure_column, bucket)


def _key_sql(aggregation: Aggregation) -> str:
    column = aggregation.group.sql
    if aggregation.bucket:
        # The first day of the month or year, as a date whatever the field (date or datetime).
        return f"CAST(date_trunc({literal(aggregation.bucket)}, {column}) AS DATE)"
    return column


def _value_sql(aggregation: Aggregation) -> str:
    if aggregation.measure is None:
        return "count(*)"
    function = {"mean": "avg"}.get(aggregation.function, aggregation.function)
    return f"{function}({aggregation.measure.sql})"


def _run(path: Path, query: RecordQuery, limits: Limits, work: Callable[[Any, Any], T]) -> T:
    """`work(connection, source)` on this thread's connection, within the time limit."""
    connection = thread_connection(limits)
    try:
        source = source_of(connection, path, query)
        with time_limit(connection, limits.seconds) as deadline:
            result = work(connection, source)
        if deadline.fired:  # it fired as the query ended: the interrupt may still be pending
            discard_connection(limits)
    except (QueryTimeout, duckdb.Error):
        discard_connection(limits)
        raise
    return result


def aggregate(
    path: Path,
    query: RecordQuery,
    aggregation: Aggregation,
    limits: Limits,
    *,
    cap: int = MAX_GROUPS,
) -> Aggregated:
    """Each group's figure over the rows the query's filters and `q` keep, in key order."""
    where = conditions_sql(query)

    def work(connection: Any, source: Any) -> list[tuple[Any, ...]]:
        sql = (
            f"SELECT {_key_sql(aggregation)} AS k, {_value_sql(aggregation)} AS v "  # noqa: S608
            f"FROM {source.relation} WHERE {where.sql} GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT ?"
        )
        return connection.execute(sql, [*where.params, cap + 1]).fetchall()

    rows = _run(path, query, limits, work)
    groups = [Group(key, _plain_number(value)) for key, value in rows[:cap]]
    return Aggregated(aggregation, groups, capped=len(rows) > cap, cap=cap)


def _plain_number(value: Any) -> float | int | None:
    if value is None or isinstance(value, int | float):
        return value
    return float(value)  # DuckDB gives Decimal for sums of decimals


def borough_column(path: Path, columns: tuple[Column, ...], limits: Limits) -> Column | None:
    """The first text column whose non-empty values are at least 90% London borough GSS
    codes (judged on the first 10,000 rows), or None."""
    stat = path.stat()
    name = _borough_column(str(path), stat.st_mtime_ns, stat.st_size, columns, limits)
    return next((c for c in columns if c.name == name), None) if name else None


@lru_cache(maxsize=512)
def _borough_column(
    path: str, mtime_ns: int, size: int, columns: tuple[Column, ...], limits: Limits
) -> str:
    # Cached per file: versions never change once ready.
    candidates = [c for c in columns if c.type in {"string", "any"}]
    if not candidates:
        return ""
    query = RecordQuery(columns=columns, fields=columns, limit=None)
    pattern = literal(BOROUGH_CODE_RE)
    measures = ", ".join(
        f"count(nullif(trim({c.sql}), '')), "
        f"count(*) FILTER (WHERE regexp_full_match(trim({c.sql}), {pattern}))"
        for c in candidates
    )
    selected = ", ".join(c.sql for c in candidates)

    def work(connection: Any, source: Any) -> tuple[Any, ...]:
        sql = (
            f"SELECT {measures} FROM (SELECT {selected} FROM {source.relation} "  # noqa: S608
            f"LIMIT {BOROUGH_SAMPLE_ROWS})"
        )
        return tuple(connection.execute(sql).fetchone() or ())

    figures = _run(Path(path), query, limits, work)
    for i, column in enumerate(candidates):
        present, matching = figures[2 * i], figures[2 * i + 1]
        if present and matching / present >= BOROUGH_SHARE:
            return column.name
    return ""
