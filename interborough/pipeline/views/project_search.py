"""The project list: search with facets, the London map and its borough table, sorting and
GOV.UK pagination. The helpers here turn a `SearchResults` into what the page shows (facet
groups and a count per borough; page and sort links are core/search_page.py); the search
itself is `selectors.search.project_search`.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interborough.accounts.models import Organisation, OrganisationType
from interborough.accounts.reference import BOUNDARIES_ATTRIBUTION
from interborough.accounts.selectors import organisation_list
from interborough.core.search_page import FacetGroup, pagination, sort_options, without
from interborough.pipeline import permissions
from interborough.pipeline.selectors.search import SearchResults, project_search
from interborough.pipeline.selectors.search_query import SearchQuery
from interborough.pipeline.views import viewer_of
from interborough.pipeline.views.projects import publishing_organisations

# --- what the page shows: facets, page links, sort links, boroughs ----------------------------


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


SORT_LABELS = (("relevance", "Relevance"), ("updated", "Most recently updated"))


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
    export_query = without(request.GET, "page", "per_page").urlencode()
    map_base = without(request.GET, "page", "organisation").urlencode()
    return render(
        request,
        "pipeline/project_list.html",
        {
            "query": query,
            "results": results,
            "facet_groups": _facet_groups(results),
            "pagination": pagination(results, request.GET),
            "sort_options": sort_options(query.sort, SORT_LABELS, request.GET),
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
