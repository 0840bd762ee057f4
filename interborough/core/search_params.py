"""Reading search parameters from a URL leniently, and writing them back (ADR 0005).

Shared by the project search (pipeline) and the dataset search (catalogue): junk values are
dropped or clamped, never an error, so a hand-edited or stale link still shows a page.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

Q_MAX_LENGTH = 200
VALUES_MAX = 50  # per repeatable parameter; the rest are ignored
VALUE_MAX_LENGTH = 100
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PAGE_MAX = 10_000

YES = frozenset({"yes", "true", "1", "on"})
NO = frozenset({"no", "false", "0", "off"})


def param_values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a (possibly repeated) parameter, as bounded strings."""
    if hasattr(params, "getlist"):
        raw: Any = params.getlist(name)
    else:
        raw = params.get(name, [])
        if isinstance(raw, str | int | bool) or raw is None:
            raw = [] if raw is None else [raw]
    out: list[str] = []
    for value in list(raw)[: VALUES_MAX * 2]:
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
        text = text.strip()[: VALUE_MAX_LENGTH * 2]
        if text and len(text) <= VALUE_MAX_LENGTH and text not in out:
            out.append(text)
    return out[:VALUES_MAX]


def param_one(params: Mapping[str, Any], name: str) -> str:
    values = param_values(params, name)
    return values[0] if values else ""


def param_yes_no(params: Mapping[str, Any], name: str) -> bool | None:
    value = param_one(params, name).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def param_number(params: Mapping[str, Any], name: str, default: int) -> int:
    value = param_one(params, name)
    return int(value) if value.isdigit() and len(value) <= 6 else default


def query_text(value: Any) -> str:
    """Search text: printable, runs of spaces collapsed, at most Q_MAX_LENGTH characters."""
    text = value if isinstance(value, str) else ""
    text = "".join(c if c.isprintable() else " " for c in text[: Q_MAX_LENGTH * 4])
    return " ".join(text.split())[:Q_MAX_LENGTH]


def param_query_text(params: Mapping[str, Any]) -> str:
    """The first `q` as search text (not length-filtered like other values: it is truncated)."""
    q_values = params.getlist("q") if hasattr(params, "getlist") else [params.get("q", "")]
    return query_text(q_values[0] if q_values else "")


def as_params(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """URL parameters for these values: lists repeat, booleans are yes/no, empty ones go."""
    params: list[tuple[str, str]] = []
    for name, value in values.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool):
            params.append((name, "yes" if value else "no"))
        elif isinstance(value, list | tuple):
            params.extend((name, str(v)) for v in value)
        else:
            params.append((name, str(value)))
    return params


_SLUG = re.compile(r"[-a-z0-9_]{1,100}")


def param_slugs(params: Mapping[str, Any], name: str) -> list[str]:
    """The values of a parameter that are slugs (lower case; others are dropped)."""
    return [v for v in param_values(params, name) if _SLUG.fullmatch(v)]


def tidy_query(query: Any, *, lists: Iterable[str], sorts: Collection[str]) -> None:
    """Bring a search query's values within bounds, in place (from its __post_init__).

    `q` becomes clean search text; each of the `lists` fields loses repeats and is cut at
    VALUES_MAX; a sort not in `sorts` becomes relevance with text, else updated; `page` and
    `per_page` are clamped to 1..PAGE_MAX and 1..PER_PAGE_MAX.
    """
    query.q = query_text(query.q)
    for name in lists:
        setattr(query, name, list(dict.fromkeys(getattr(query, name)))[:VALUES_MAX])
    if query.sort not in sorts:
        query.sort = "relevance" if query.q else "updated"
    query.page = min(max(int(query.page), 1), PAGE_MAX)
    query.per_page = min(max(int(query.per_page), 1), PER_PAGE_MAX)
