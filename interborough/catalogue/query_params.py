"""Reading a records query from request parameters, against one version's Table Schema (pure).

Every parameter is checked here: field names must be the schema's own, values must parse as
their field's type, operators, limits, sorts and cursors must be ones we know. What comes out
(`RecordQuery`) holds schema columns and typed Python values only, so nothing a person typed
can reach SQL except as a bound value (query_sql.py builds the statement).

Filters: `<field>=<value>` (repeat it for "any of"), `<field>__<op>=<value>` with op one of
eq, ne, gt, gte, lt, lte, in (comma-separated), contains (text, any case). `eq` lets a field
called like a reserved parameter (`limit__eq=3`) be filtered too.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing

from interborough.catalogue import query_values
from interborough.catalogue.query_values import INT64

RESERVED = frozenset({"q", "fields", "sort", "limit", "offset", "after", "format"})
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains")
ORDERED_TYPES = frozenset({"integer", "number", "year", "date", "datetime", "string"})
NUMERIC_TYPES = frozenset({"integer", "number", "year"})
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000
MAX_CONDITIONS = 50
MAX_IN_VALUES = 100
MAX_VALUE_LENGTH = 500
MAX_SORT_FIELDS = 5
MAX_WORDS = 10
CURSOR_SALT = "interborough.catalogue.query.cursor"


class QueryError(Exception):
    """One or more parameters a person must fix; each names its parameter."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{param}: {message}" for param, message in problems))

    @property
    def fields(self) -> list[dict[str, str]]:
        return [{"field": param, "message": message} for param, message in self.problems]


@dataclass(frozen=True)
class Column:
    """A column of the table: its name and Frictionless type (from the schema)."""

    name: str
    type: str

    @property
    def sql(self) -> str:
        return '"' + self.name.replace('"', '""') + '"'

    @property
    def is_text(self) -> bool:
        return self.type not in {*NUMERIC_TYPES, "boolean", "date", "datetime"}


@dataclass(frozen=True)
class Condition:
    column: Column
    op: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Cursor:
    """Where the last page ended: its last row's sort values and row number."""

    keys: tuple[Any, ...]
    row: int


@dataclass(frozen=True)
class RecordQuery:
    columns: tuple[Column, ...]  # every column of the table
    fields: tuple[Column, ...]  # the projection
    conditions: tuple[Condition, ...] = ()
    words: tuple[str, ...] = ()  # full-text `q`, each word must match some text column
    sort: tuple[tuple[Column, bool], ...] = ()  # (column, descending); row order breaks ties
    limit: int | None = DEFAULT_LIMIT  # None: every row (downloads)
    offset: int = 0
    after: Cursor | None = None
    scope: str = ""  # what a cursor is bound to (the version)

    @property
    def filtered(self) -> bool:
        """Whether rows are left out by filters or `q` (the total is then counted)."""
        return bool(self.conditions or self.words)

    def cursor_after(self, keys: tuple[Any, ...], row: int) -> str:
        """The signed `after` value for the page that follows a row."""
        # Signed without a timestamp: the same page always links to the same next URL.
        return signing.Signer(salt=CURSOR_SALT).sign_object(
            {
                "s": self.scope,
                "o": _sort_text(self.sort),
                "k": [query_values.cursor_json(k) for k in keys],
                "r": row,
            },
            compress=True,
        )


def columns_of(schema: dict[str, Any]) -> tuple[Column, ...]:
    """The schema's columns, in order."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        return ()
    return tuple(
        Column(str(f["name"]), str(f.get("type") or "any"))
        for f in fields
        if isinstance(f, dict) and isinstance(f.get("name"), str)
    )


def parse_query(
    params: Iterable[tuple[str, str]],
    schema: dict[str, Any],
    *,
    scope: str = "",
    max_limit: int | None = MAX_LIMIT,
    ignore: frozenset[str] = frozenset(),
) -> RecordQuery:
    """A RecordQuery from (name, value) pairs; QueryError lists every parameter to fix.

    `max_limit=None` (downloads) lets `limit` be left out for every row.
    """
    columns = columns_of(schema)
    by_name = {c.name: c for c in columns}
    problems: list[tuple[str, str]] = []
    single: dict[str, str] = {}
    grouped: dict[tuple[str, str], list[str]] = {}
    count = 0
    for name, value in params:
        if name in ignore:
            continue
        shown = _shown(name)
        if len(value) > MAX_VALUE_LENGTH:
            problems.append((shown, f"The value is over {MAX_VALUE_LENGTH} characters."))
            continue
        if name in RESERVED:
            if name in single and single[name] != value:
                problems.append((name, "Give this parameter once."))
            single[name] = value
            continue
        count += 1
        if count > MAX_CONDITIONS:
            problems.append((shown, f"Use at most {MAX_CONDITIONS} filters in one query."))
            break
        target = _filter_target(name, by_name)
        if target is None:
            problems.append((shown, _unknown(name)))
            continue
        grouped.setdefault(target, []).append(value)
    conditions = _conditions(grouped, by_name, problems)
    fields = _fields(single.get("fields"), columns, by_name, problems)
    sort = _sort(single.get("sort"), by_name, problems)
    limit = _limit(single.get("limit"), max_limit, problems)
    offset = _whole(single.get("offset"), "offset", 0, MAX_OFFSET, problems) or 0
    words = _words(single.get("q"), columns, problems)
    after = _after(single.get("after"), scope, sort, offset, problems)
    if problems:
        raise QueryError(problems)
    return RecordQuery(
        columns=columns,
        fields=fields,
        conditions=conditions,
        words=words,
        sort=sort,
        limit=limit,
        offset=offset,
        after=after,
        scope=scope,
    )


def _shown(name: str) -> str:
    """A parameter name fit to repeat in a message."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name) or "(a parameter with no name)"
    return clean if len(clean) <= 60 else clean[:57] + "..."


def _unknown(name: str) -> str:
    return (
        f'There is no field called "{_shown(name)}". Filter with <field>=<value> or '
        f"<field>__<operator>=<value>, where the operator is one of {', '.join(OPERATORS)}."
    )


def _filter_target(name: str, by_name: dict[str, Column]) -> tuple[str, str] | None:
    if name in by_name:
        return name, "eq"
    base, sep, op = name.rpartition("__")
    if sep and op in OPERATORS and base in by_name:
        return base, op
    return None


def _conditions(
    grouped: dict[tuple[str, str], list[str]],
    by_name: dict[str, Column],
    problems: list[tuple[str, str]],
) -> tuple[Condition, ...]:
    conditions: list[Condition] = []
    for (name, op), raw_values in grouped.items():
        column = by_name[name]
        param = _shown(name if op == "eq" else f"{name}__{op}")
        if op == "contains" and not column.is_text:
            problems.append((param, f'"{_shown(name)}" is not text: use eq, gt, lt... instead.'))
            continue
        if op in {"gt", "gte", "lt", "lte"} and column.type not in ORDERED_TYPES:
            problems.append((param, f'"{_shown(name)}" has no order to compare with.'))
            continue
        texts = raw_values
        if op == "in":
            texts = [part for value in raw_values for part in value.split(",")]
            if len(texts) > MAX_IN_VALUES:
                problems.append((param, f"List at most {MAX_IN_VALUES} values."))
                continue
        try:
            if op == "contains":
                values = tuple(text.lower() for text in texts if text)  # as DuckDB's lower()
            else:
                values = tuple(typed_value(column, text) for text in texts)
        except ValueError as error:
            problems.append((param, str(error)))
            continue
        if op in {"eq", "in"}:
            conditions.append(Condition(column, "in", values))
        else:  # each value of a repeated comparison must hold
            conditions += [Condition(column, op, (value,)) for value in values]
    return tuple(conditions)


def typed_value(column: Column, text: str) -> Any:
    """The text as a value of the column's type; ValueError says what was expected."""
    return query_values.typed_value(column.type, text, _shown(text))


def _names(
    value: str, param: str, by_name: dict[str, Column], problems: list[tuple[str, str]]
) -> list[str]:
    names = [part.strip() for part in value.split(",")]
    unknown = [n for n in names if n.lstrip("-") not in by_name]
    if unknown:
        listed = ", ".join(f'"{_shown(n)}"' for n in unknown[:5])
        problems.append((param, f"These are not fields of this table: {listed}."))
        return []
    return names


def _fields(
    value: str | None,
    columns: tuple[Column, ...],
    by_name: dict[str, Column],
    problems: list[tuple[str, str]],
) -> tuple[Column, ...]:
    if value is None or not value.strip():
        return columns
    names = _names(value, "fields", by_name, problems)
    if any(n.startswith("-") and n not in by_name for n in names):
        problems.append(("fields", "Name fields without a leading minus sign."))
        return columns
    return tuple(by_name[n] for n in dict.fromkeys(names))


def _sort(
    value: str | None, by_name: dict[str, Column], problems: list[tuple[str, str]]
) -> tuple[tuple[Column, bool], ...]:
    if value is None or not value.strip():
        return ()
    names = _names(value, "sort", by_name, problems)
    if len(names) > MAX_SORT_FIELDS:
        problems.append(("sort", f"Sort by at most {MAX_SORT_FIELDS} fields."))
        return ()
    sort: dict[str, tuple[Column, bool]] = {}
    for name in names:
        descending = name not in by_name and name.startswith("-")
        column = by_name[name[1:] if descending else name]
        if column.type in {"geojson", "object", "array"}:
            problems.append(("sort", f'"{_shown(column.name)}" cannot be sorted.'))
            return ()
        sort.setdefault(column.name, (column, descending))
    return tuple(sort.values())


def _whole(
    value: str | None, param: str, low: int, high: int, problems: list[tuple[str, str]]
) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if not re.fullmatch(r"\d{1,12}", text) or not low <= int(text) <= high:
        problems.append((param, f"Give a whole number from {low} to {high:,}."))
        return None
    return int(text)


def _limit(value: str | None, max_limit: int | None, problems: list[tuple[str, str]]) -> int | None:
    if value is None:
        return DEFAULT_LIMIT if max_limit is not None else None
    high = max_limit if max_limit is not None else 2**62
    limit = _whole(value, "limit", 0, high, problems)
    if limit is None and max_limit is not None:
        problems[-1] = ("limit", f"Give a whole number from 0 to {max_limit}; page with `next`.")
    return limit


def _words(
    value: str | None, columns: tuple[Column, ...], problems: list[tuple[str, str]]
) -> tuple[str, ...]:
    if value is None:
        return ()
    words = tuple(dict.fromkeys(value.lower().split()))
    if len(words) > MAX_WORDS:
        problems.append(("q", f"Search for at most {MAX_WORDS} words."))
        return ()
    if words and not text_columns(columns):
        problems.append(("q", "This table has no text to search: filter by field instead."))
        return ()
    return words


def text_columns(columns: Iterable[Column]) -> tuple[Column, ...]:
    """The columns full-text `q` searches (text, not geometry or JSON)."""
    return tuple(c for c in columns if c.is_text and c.type not in {"geojson", "object", "array"})


def _sort_text(sort: tuple[tuple[Column, bool], ...]) -> str:
    return ",".join(("-" if descending else "") + column.name for column, descending in sort)


BAD_CURSOR = "This cursor is not valid here: use the `next` value of the page before, unchanged."


def _after(
    value: str | None,
    scope: str,
    sort: tuple[tuple[Column, bool], ...],
    offset: int,
    problems: list[tuple[str, str]],
) -> Cursor | None:
    if value is None or not value.strip():
        return None
    if offset:
        problems.append(("after", "Use either `after` or `offset`, not both."))
        return None
    try:
        data = signing.Signer(salt=CURSOR_SALT).unsign_object(value.strip())
        if not isinstance(data, dict) or data.get("s") != scope:
            raise ValueError
        if data.get("o") != _sort_text(sort):
            problems.append(
                ("after", "This cursor was made for another sort: keep `sort` as it was.")
            )
            return None
        keys, row = data.get("k"), data.get("r")
        if not isinstance(keys, list) or len(keys) != len(sort):
            raise ValueError
        if not isinstance(row, int) or isinstance(row, bool) or not 0 <= row < INT64:
            raise ValueError
        typed = tuple(
            query_values.cursor_value(column.type, column.is_text, key)
            for (column, _), key in zip(sort, keys, strict=True)
        )
    except (signing.BadSignature, ValueError, TypeError):
        problems.append(("after", BAD_CURSOR))
        return None
    return Cursor(typed, row)
