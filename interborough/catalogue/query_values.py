"""Values of a Frictionless type read from text (query parameters) or from a cursor (pure).

Each function returns a Python value of the column's Parquet type (int, float, bool, date,
naive UTC datetime, str) or raises ValueError with what was expected, ready to be bound.
"""

import datetime as dt
import math
import re
from typing import Any

INT64 = 2**63
INTEGER_RE = re.compile(r"[+-]?\d{1,19}")
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?"
)
TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})
TYPE_WORDS = {
    "integer": "a whole number",
    "year": "a year",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date like 2024-03-31",
    "datetime": "a date and time like 2024-03-31T09:30:00",
}


def typed_value(kind: str, text: str, shown: str) -> Any:
    """The text as a value of the Frictionless type `kind`; `shown` is how to quote it."""
    expected = f'Give {TYPE_WORDS.get(kind, "a value")}, not "{shown}".'
    stripped = text.strip()
    if kind in {"integer", "year"}:
        if not INTEGER_RE.fullmatch(stripped) or not -INT64 <= int(stripped) < INT64:
            raise ValueError(expected)
        return int(stripped)
    if kind == "number":
        if not NUMBER_RE.fullmatch(stripped):
            raise ValueError(expected)
        number = float(stripped)
        if not math.isfinite(number):
            raise ValueError(expected)
        return number
    if kind == "boolean":
        word = stripped.lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(expected)
    if kind == "date":
        try:
            if DATE_RE.fullmatch(stripped):
                return dt.date.fromisoformat(stripped)
        except ValueError:
            pass
        raise ValueError(expected)
    if kind == "datetime":
        try:
            if DATETIME_RE.fullmatch(stripped):
                return _naive_utc(dt.datetime.fromisoformat(stripped))
        except ValueError:
            pass
        raise ValueError(expected)
    return text


def _naive_utc(value: dt.datetime) -> dt.datetime:
    """Parquet keeps datetimes as UTC without a zone (ingest converts them so)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def cursor_json(value: Any) -> Any:
    """A sort value as a cursor carries it in JSON."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def cursor_value(kind: str, is_text: bool, key: Any) -> Any:
    """A sort value read back from a cursor, checked against its column's type."""
    if key is None:
        return None
    if kind in {"integer", "year"} and isinstance(key, int) and not isinstance(key, bool):
        return key
    if kind == "number" and isinstance(key, int | float) and not isinstance(key, bool):
        return float(key)
    if kind == "number" and key in {"nan", "inf", "-inf"}:
        return float(key)
    if kind == "boolean" and isinstance(key, bool):
        return key
    if kind == "date" and isinstance(key, str):
        return dt.date.fromisoformat(key)
    if kind == "datetime" and isinstance(key, str):
        return dt.datetime.fromisoformat(key)
    if is_text and isinstance(key, str):
        return key
    raise ValueError
