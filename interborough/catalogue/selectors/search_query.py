"""What someone searched the data store for: `DatasetSearchQuery`, and reading and writing it
as URL parameters.

Parameters read by `DatasetSearchQuery.from_params` (the list page; the CKAN API builds a query
itself): `q`, `publisher` (organisation slug), `topic` (slug), `tag`, `format` (csv, xlsx,
json, geojson, parquet), `licence`, `access` (open, signed_in, restricted), `borough`
(local authority slug), all repeatable; `sort` (relevance, updated, used, title), `page`,
`per_page` (at most 100). Values within one facet are alternatives; different facets must all
hold. As in the project search, junk is dropped or clamped, never an error: an unknown sort is
the default one, a page past the end is the last page, `q` is cut at 200 characters.
`selectors/search.py` runs the search.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from interborough.catalogue.models import AccessLevel, Licence
from interborough.catalogue.search_index import SORTS
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
    tidy_query,
)
from interborough.core.text import normalise_tag

__all__ = [
    "FACET_PARAMS",
    "FORMATS",
    "PAGE_MAX",
    "PER_PAGE_DEFAULT",
    "PER_PAGE_MAX",
    "DatasetSearchQuery",
]

FORMATS = ("csv", "xlsx", "json", "geojson", "parquet")
# Facet name (as in DatasetSearchResults.facets) -> (URL parameter, DatasetSearchQuery field)
FACET_PARAMS = {
    "publisher": ("publisher", "publishers"),
    "topic": ("topic", "topics"),
    "tag": ("tag", "tags"),
    "format": ("format", "formats"),
    "licence": ("licence", "licences"),
    "access_level": ("access", "access_levels"),
    "borough": ("borough", "boroughs"),
}


@dataclass
class DatasetSearchQuery:
    """What someone searched for; `sort` is resolved (relevance with text, else updated)."""

    q: str = ""
    publishers: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    access_levels: list[str] = field(default_factory=list)
    boroughs: list[str] = field(default_factory=list)
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    def __post_init__(self) -> None:
        tidy_query(self, lists=[name for _, name in FACET_PARAMS.values()], sorts=SORTS)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "DatasetSearchQuery":
        """Read a QueryDict (or a plain dict) leniently: junk values are ignored, never an error."""
        return cls(
            q=param_query_text(params),
            publishers=param_slugs(params, "publisher"),
            topics=param_slugs(params, "topic"),
            tags=[t for t in (normalise_tag(v) for v in param_values(params, "tag")) if t],
            formats=[v.lower() for v in param_values(params, "format") if v.lower() in FORMATS],
            licences=[v for v in param_values(params, "licence") if v in Licence.values],
            access_levels=[v for v in param_values(params, "access") if v in AccessLevel.values],
            boroughs=param_slugs(params, "borough"),
            sort=param_one(params, "sort"),
            page=param_number(params, "page", 1),
            per_page=param_number(params, "per_page", PER_PAGE_DEFAULT),
        )

    def as_params(self, **overrides: Any) -> list[tuple[str, str]]:
        """The query as URL parameters (for links to other pages or sorts), with overrides."""
        values: dict[str, Any] = {"q": self.q}
        values |= {param: getattr(self, name) for param, name in FACET_PARAMS.values()}
        values |= {
            "sort": self.sort,
            "page": self.page if self.page > 1 else None,
            "per_page": self.per_page if self.per_page != PER_PAGE_DEFAULT else None,
        }
        values.update(overrides)
        return as_params(values)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or any(getattr(self, name) for _, name in FACET_PARAMS.values()))
