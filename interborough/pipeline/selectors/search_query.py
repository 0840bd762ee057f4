"""What someone searched for: `SearchQuery`, and reading and writing it as URL parameters.

Query parameters read by `SearchQuery.from_params` (the list page and the API share them):
`q`, `organisation` (slug, repeatable), `phase`, `theme` (slug), `tag` (all repeatable),
`collaboration` and `market` (yes/no), `include_archived` (yes), `sort` (relevance/updated),
`page`, `per_page` (at most 100). Values within one facet are alternatives (any of them);
different facets must all hold. `selectors/search.py` runs the search.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from interborough.core.text import normalise_tag
from interborough.pipeline.models import Phase

SORTS = ("relevance", "updated")
# Facet name (also the URL parameter) -> SearchQuery field
_FACET_FIELDS = {
    "organisation": "organisations",
    "phase": "phases",
    "theme": "themes",
    "tag": "tags",
}
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PAGE_MAX = 10_000
Q_MAX_LENGTH = 200
VALUES_MAX = 50  # per repeatable parameter; the rest are ignored
VALUE_MAX_LENGTH = 100


@dataclass
class SearchQuery:
    """What someone searched for; `sort` is resolved (relevance with text, else updated)."""

    q: str = ""
    organisations: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    collaboration: bool | None = None
    market: bool | None = None
    include_archived: bool = False
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    def __post_init__(self) -> None:
        self.q = _query_text(self.q)
        for name in ("organisations", "phases", "themes", "tags"):
            setattr(self, name, list(getattr(self, name))[:VALUES_MAX])
        if self.sort not in SORTS:
            self.sort = "relevance" if self.q.strip() else "updated"
        self.page = min(max(int(self.page), 1), PAGE_MAX)
        self.per_page = min(max(int(self.per_page), 1), PER_PAGE_MAX)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "SearchQuery":
        """Read a QueryDict (or a plain dict) leniently: junk values are ignored, never an error."""
        return _query_from_params(params)

    def as_params(self, **overrides: Any) -> list[tuple[str, str]]:
        """The query as URL parameters (for links to other pages or sorts), with overrides."""
        return _query_as_params(self, overrides)

    def toggle_params(self, facet: str, value: str) -> list[tuple[str, str]]:
        """Parameters for a link that selects or unselects one facet value (back to page 1).

        `facet` is a key of SearchResults.facets; for "collaboration" and "market" the value is
        "yes" or "no", and choosing the selected one again clears it.
        """
        if facet in ("collaboration", "market"):
            wanted = value == "yes"
            current = getattr(self, facet)
            return self.as_params(**{facet: None if current is wanted else wanted, "page": None})
        field_name = _FACET_FIELDS[facet]
        values = list(getattr(self, field_name))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.as_params(**{facet: values, "page": None})

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q.strip()
            or self.organisations
            or self.phases
            or self.themes
            or self.tags
            or self.collaboration is not None
            or self.market is not None
            or self.include_archived
        )


# --- reading the query ------------------------------------------------------------------------

_YES = frozenset({"yes", "true", "1", "on"})
_NO = frozenset({"no", "false", "0", "off"})
_SLUG = re.compile(r"[-a-z0-9_]{1,100}")


def _values(params: Mapping[str, Any], name: str) -> list[str]:
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


def _one(params: Mapping[str, Any], name: str) -> str:
    values = _values(params, name)
    return values[0] if values else ""


def _yes_no(params: Mapping[str, Any], name: str) -> bool | None:
    value = _one(params, name).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def _number(params: Mapping[str, Any], name: str, default: int) -> int:
    value = _one(params, name)
    return int(value) if value.isdigit() and len(value) <= 6 else default


def _query_text(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    text = "".join(c if c.isprintable() else " " for c in text[: Q_MAX_LENGTH * 4])
    return " ".join(text.split())[:Q_MAX_LENGTH]


def _query_from_params(params: Mapping[str, Any]) -> SearchQuery:
    q_values = params.getlist("q") if hasattr(params, "getlist") else [params.get("q", "")]
    return SearchQuery(
        q=_query_text(q_values[0] if q_values else ""),
        organisations=[v.lower() for v in _values(params, "organisation") if _SLUG.fullmatch(v)],
        phases=[v for v in _values(params, "phase") if v in Phase.values],
        themes=[v for v in _values(params, "theme") if _SLUG.fullmatch(v)],
        tags=[t for t in (normalise_tag(v) for v in _values(params, "tag")) if t],
        collaboration=_yes_no(params, "collaboration"),
        market=_yes_no(params, "market"),
        include_archived=_yes_no(params, "include_archived") is True,
        sort=_one(params, "sort"),
        page=_number(params, "page", 1),
        per_page=_number(params, "per_page", PER_PAGE_DEFAULT),
    )


def _query_as_params(query: SearchQuery, overrides: dict[str, Any]) -> list[tuple[str, str]]:
    values: dict[str, Any] = {
        "q": query.q,
        "organisation": query.organisations,
        "phase": query.phases,
        "theme": query.themes,
        "tag": query.tags,
        "collaboration": query.collaboration,
        "market": query.market,
        "include_archived": query.include_archived or None,
        "sort": query.sort,
        "page": query.page if query.page > 1 else None,
        "per_page": query.per_page if query.per_page != PER_PAGE_DEFAULT else None,
    }
    values.update(overrides)
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
