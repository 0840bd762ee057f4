"""The SQL of a records query over one Parquet file (pure).

Identifiers come only from the schema (quoted); every value is a bound parameter (`?`). Sorts
put NULLs last in both directions and always end on the row number, so every order is total
and keyset paging (`after`) can continue exactly where a page ended.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interborough.catalogue.query_params import Column, RecordQuery, text_columns

ROW_NUMBER = "file_row_number"  # DuckDB's virtual column of a Parquet file's row order
COPY_TABLE = "records"


def row_alias(columns: tuple[Column, ...]) -> str:
    """A quoted name for the row number that no column of the table has."""
    names = {c.name.casefold() for c in columns}
    alias = "__row"
    while alias.casefold() in names:
        alias = "_" + alias
    return f'"{alias}"'


@dataclass(frozen=True)
class Source:
    """The table as a relation, and the expression of each row's number in it."""

    relation: str
    row: str

    @classmethod
    def of(cls, path: Path, columns: tuple[Column, ...]) -> "Source":
        """The Parquet file itself."""
        scan = f"read_parquet({literal(str(path))})"
        if ROW_NUMBER not in {c.name.casefold() for c in columns}:
            return cls(scan, ROW_NUMBER)
        # A column of the file hides the virtual one: number the rows in scan order instead
        # (DuckDB keeps insertion order), under a name no column has.
        alias = row_alias(columns)
        numbered = f"(SELECT *, row_number() OVER () - 1 AS {alias} FROM {scan})"  # noqa: S608
        return cls(numbered, alias)

    @classmethod
    def attached(cls, database: str, columns: tuple[Column, ...]) -> "Source":
        """The query copy (a DuckDB database attached as `database`, see query.py)."""
        return cls(f'"{database}".{COPY_TABLE}', row_alias(columns))


@dataclass
class Statement:
    sql: str
    params: list[Any] = field(default_factory=list)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def conditions_sql(query: RecordQuery) -> Statement:
    """The WHERE clause (without the word WHERE) of the filters and `q`; TRUE when none."""
    parts: list[str] = []
    params: list[Any] = []
    for condition in query.conditions:
        column, op, values = condition.column.sql, condition.op, list(condition.values)
        if op == "in":
            marks = ", ".join("?" for _ in values)
            parts.append(f"{column} = ?" if len(values) == 1 else f"{column} IN ({marks})")
            params += values
        elif op == "ne":
            parts.append(f"{column} IS DISTINCT FROM ?")
            params += values
        elif op == "contains":
            parts += [f"contains(lower({column}), ?)" for _ in values]
            params += values
        else:
            sign = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            parts.append(f"{column} {sign} ?")
            params += values
    searched = text_columns(query.columns)
    for word in query.words:
        parts.append("(" + " OR ".join(f"contains(lower({c.sql}), ?)" for c in searched) + ")")
        params += [word] * len(searched)
    return Statement(" AND ".join(parts) or "TRUE", params)


def keyset_sql(query: RecordQuery, source: Source) -> Statement:
    """Rows after the cursor in the query's order: TRUE without a cursor."""
    if query.after is None:
        return Statement("TRUE")
    alternatives: list[str] = []
    params: list[Any] = []
    equal: list[str] = []
    equal_params: list[Any] = []
    for (column, descending), value in zip(query.sort, query.after.keys, strict=True):
        col = column.sql
        if value is not None:  # later: further in the order, or NULL (NULLs come last)
            sign = "<" if descending else ">"
            alternatives.append(" AND ".join([*equal, f"({col} {sign} ? OR {col} IS NULL)"]))
            params += [*equal_params, value]
            equal.append(f"{col} = ?")
            equal_params.append(value)
        else:  # nothing sorts after NULL but other NULLs, which tie
            equal.append(f"{col} IS NULL")
    alternatives.append(" AND ".join([*equal, f"{source.row} > ?"]))
    params += [*equal_params, query.after.row]
    return Statement("(" + " OR ".join(f"({a})" for a in alternatives) + ")", params)


def order_sql(query: RecordQuery, source: Source) -> str:
    keys = [f"{c.sql} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in query.sort]
    return ", ".join([*keys, source.row])


def page_sql(query: RecordQuery, source: Source) -> Statement:
    """The page's rows: the projected fields, then the sort values and row number (for the
    cursor of the next page)."""
    selected = [c.sql for c in query.fields] + [c.sql for c, _ in query.sort] + [source.row]
    return _select(query, source, selected)


def rows_sql(query: RecordQuery, source: Source) -> Statement:
    """Only the projected fields, in the query's order (downloads)."""
    return _select(query, source, [c.sql for c in query.fields])


def _select(query: RecordQuery, source: Source, selected: list[str]) -> Statement:
    where = conditions_sql(query)
    keyset = keyset_sql(query, source)
    sql = (
        f"SELECT {', '.join(selected)} FROM {source.relation} "  # noqa: S608 - schema names only
        f"WHERE {where.sql} AND {keyset.sql} ORDER BY {order_sql(query, source)}"
    )
    params = [*where.params, *keyset.params]
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    if query.offset:
        sql += " OFFSET ?"
        params.append(query.offset)
    return Statement(sql, params)


def count_sql(query: RecordQuery, source: Source) -> Statement:
    where = conditions_sql(query)
    return Statement(
        f"SELECT count(*) FROM {source.relation} WHERE {where.sql}",  # noqa: S608
        where.params,
    )
