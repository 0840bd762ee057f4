"""The project list: search with facets, the London map and its borough table, sorting and
GOV.UK pagination. The helpers here turn a `SearchResults` into what the page shows (facet
groups, page links, sort links, a count per borough); the search itself is
`selectors.search.project_search`.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interborough.accounts.models import Organisation, OrganisationType
from interborough.accounts.reference import BOUNDARIES_ATTRIBUTION
from interborough.accounts.selectors import organisation_list
from interborough.pipeline import permissions
from interborough.pipeline.selectors.search import FacetValue, SearchResults, project_search
from interborough.pipeline.selectors.search_query import SearchQuery
from interborough.pipeline.views import viewer_of
from interborough.pipeline.views.projects import publishing_organisations

# --- what the page shows: facets, page links, sort links, boroughs ----------------------------


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


FACETS = (
    # (facet name in SearchResults, parameter, legend, yes/no, long list)
    ("organisation", "organisation", "Organisation or borough", False, True),
    ("phase", "phase", "Phase", False, False),
    ("theme", "theme", "Theme", False, False),
    ("tag", "tag", "Tag", False, True),
    ("collaboration", "collaboration", "Collaboration wanted", True, False),
    ("market", "market", "Wants to hear from suppliers", True, False),
)


def _facet_groups(results: SearchResults) -> list[FacetGroup]:
    groups = []
    for name, param, legend, single, long_list in FACETS:
        values = [v for v in results.facets.get(name, []) if v.count or v.selected]
        if values:
            groups.append(FacetGroup(param, legend, values, single=single, collapsed=long_list))
    return groups


def _without(params: QueryDict, *names: str) -> QueryDict:
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    href: str = ""
    current: bool = False


def _pagination(results: SearchResults, params: QueryDict) -> dict[str, object]:
    """GOV.UK pagination: first, last, the current page and its neighbours, with ellipses."""
    if results.pages <= 1:
        return {}
    base = _without(params, "page")

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
        "previous": href(results.page - 1) if results.has_previous else "",
        "next": href(results.page + 1) if results.has_next else "",
    }


SORT_LABELS = (("relevance", "Relevance"), ("updated", "Most recently updated"))


def _sort_options(query: SearchQuery, params: QueryDict) -> list[dict[str, object]]:
    base = _without(params, "page", "sort")
    options = []
    for value, label in SORT_LABELS:
        wanted = base.copy()
        wanted["sort"] = value
        options.append(
            {"label": label, "href": "?" + wanted.urlencode(), "current": query.sort == value}
        )
    return options


def _borough_rows(counts: dict[str, int]) -> list[tuple[Organisation, int]]:
    """Every London local authority with its count, for the table beside the map."""
    boroughs = organisation_list(type=OrganisationType.LOCAL_AUTHORITY).exclude(gss_code="")
    return [(b, counts.get(b.gss_code, 0)) for b in boroughs]


# --- the page ---------------------------------------------------------------------------------


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    """Search projects, filter them by facets or on the map, sort and page through them."""
    viewer = viewer_of(request)
    query = SearchQuery.from_params(request.GET)
    results = project_search(viewer=viewer, query=query)
    query = results.query  # as searched: values nobody could match are dropped
    export_query = _without(request.GET, "page", "per_page").urlencode()
    map_base = _without(request.GET, "page", "organisation").urlencode()
    return render(
        request,
        "pipeline/project_list.html",
        {
            "query": query,
            "results": results,
            "facet_groups": _facet_groups(results),
            "pagination": _pagination(results, request.GET),
            "sort_options": _sort_options(query, request.GET),
            # Kept when someone chose it; otherwise a new search sorts by relevance again.
            "explicit_sort": query.sort if request.GET.get("sort") == query.sort else "",
            "export_query": f"?{export_query}" if export_query else "",
            "map_base": f"?{map_base}&" if map_base else "?",
            "borough_rows": _borough_rows(results.borough_counts),
            "borough_counts": results.borough_counts,
            "selected_organisations": query.organisations,
            "attribution": BOUNDARIES_ATTRIBUTION,
            "can_register": bool(publishing_organisations(viewer)),
            "signed_in": permissions.is_signed_in(viewer),
        },
    )
