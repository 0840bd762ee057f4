"""What a search results page shows, shared by the project list and the dataset list: facet
choices (`FacetValue`) grouped for the filter column (`FacetGroup`), GOV.UK page links
(`pagination`) and sort links (`sort_options`), all built from the request's parameters so
every link keeps the rest of the search; and the page's rows in the index's order (`in_order`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.db.models import Model, QuerySet
from django.http import QueryDict

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class FacetValue:
    """One choice in a facet: what to send back (`value`), what to show, and how many match."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    """One facet as the filter column shows it."""

    param: str  # the query parameter it sends
    legend: str
    values: list[FacetValue]
    single: bool = False  # yes/no facets are radios with an "Any" choice
    collapsed: bool = False  # long lists sit in a <details> unless something is chosen

    @property
    def any_selected(self) -> bool:
        return any(v.selected for v in self.values)


class Paged(Protocol):
    @property
    def page(self) -> int: ...

    @property
    def pages(self) -> int: ...


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    href: str = ""
    current: bool = False


def in_order(rows: QuerySet[M], ids: Sequence[int]) -> list[M]:
    """The rows with these ids in this order (the index's); ids the queryset, already scoped
    to the viewer, does not hold are left out. No query at all when there are no ids."""
    if not ids:
        return []
    by_id = {row.pk: row for row in rows.filter(pk__in=ids).order_by()}
    return [by_id[i] for i in ids if i in by_id]


def without(params: QueryDict, *names: str) -> QueryDict:
    """A copy of the parameters without these names."""
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params


def pagination(results: Paged, params: QueryDict) -> dict[str, object]:
    """GOV.UK pagination: first, last, the current page and its neighbours, with ellipses."""
    if results.pages <= 1:
        return {}
    base = without(params, "page")

    def href(number: int) -> str:
        query = base.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    wanted = sorted(
        {1, results.pages, results.page - 1, results.page, results.page + 1}
        & set(range(1, results.pages + 1))
    )
    links: list[PageLink] = []
    for number in wanted:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, href(number), number == results.page))
    return {
        "links": links,
        "previous": href(results.page - 1) if results.page > 1 else "",
        "next": href(results.page + 1) if results.page < results.pages else "",
    }


def sort_options(
    current: str, labels: Sequence[tuple[str, str]], params: QueryDict
) -> list[dict[str, object]]:
    """A link per sort (back to page 1), marking the current one."""
    base = without(params, "page", "sort")
    options = []
    for value, label in labels:
        wanted = base.copy()
        wanted["sort"] = value
        options.append(
            {"label": label, "href": "?" + wanted.urlencode(), "current": current == value}
        )
    return options
