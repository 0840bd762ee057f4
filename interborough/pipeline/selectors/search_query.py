"""What someone searched for: `SearchQuery`, and reading and writing it as URL parameters.

Query parameters read by `SearchQuery.from_params` (the list page and the API share them):
`q`, `organisation` (slug, repeatable), `phase`, `theme` (slug), `tag` (all repeatable),
`collaboration` and `market` (yes/no), `include_archived` (yes), `sort` (relevance/updated),
`page`, `per_page` (at most 100). Values within one facet are alternatives (any of them);
different facets must all hold. `selectors/search.py` runs the search.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from interborough.core.search_params import (
    PAGE_MAX,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    as_params,
    param_number,
    param_one,
    param_query_text,
    param_slugs,
    param_values,
    param_yes_no,
    tidy_query,
)
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
__all__ = ["PAGE_MAX", "PER_PAGE_DEFAULT", "PER_PAGE_MAX", "SORTS", "SearchQuery"]


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
        tidy_query(self, lists=_FACET_FIELDS.values(), sorts=SORTS)

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


def _query_from_params(params: Mapping[str, Any]) -> SearchQuery:
    return SearchQuery(
        q=param_query_text(params),
        organisations=param_slugs(params, "organisation"),
        phases=[v for v in param_values(params, "phase") if v in Phase.values],
        themes=param_slugs(params, "theme"),
        tags=[t for t in (normalise_tag(v) for v in param_values(params, "tag")) if t],
        collaboration=param_yes_no(params, "collaboration"),
        market=param_yes_no(params, "market"),
        include_archived=param_yes_no(params, "include_archived") is True,
        sort=param_one(params, "sort"),
        page=param_number(params, "page", 1),
        per_page=param_number(params, "per_page", PER_PAGE_DEFAULT),
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
    return as_params(values)
