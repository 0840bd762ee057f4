"""The dataset list: search with facets, sorting and GOV.UK pagination. The search itself is
`selectors.search.dataset_search`; facet groups, page links and sort links are built here from
its results (core/search_page.py has the shared parts)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from markdown_it import MarkdownIt

from interborough.accounts.selectors import organisations_where_publishing
from interborough.catalogue.permissions import is_signed_in
from interborough.catalogue.selectors.search import DatasetSearchResults, dataset_search
from interborough.catalogue.selectors.search_query import FACET_PARAMS, DatasetSearchQuery
from interborough.core.search_page import FacetGroup, pagination, sort_options

SUMMARY_MAX = 240
SORT_LABELS = (
    ("relevance", "Relevance"),
    ("updated", "Recently updated"),
    ("used", "Most used"),
    ("title", "Title"),
)
FACETS = (
    # (facet name in DatasetSearchResults, legend, long list: in a <details>)
    ("publisher", "Publisher", True),
    ("topic", "Topic", False),
    ("tag", "Tag", True),
    ("format", "Format", False),
    ("licence", "Licence", True),
    ("access_level", "Access", False),
    ("borough", "Borough covered", True),
)
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def summary(description: str, limit: int = SUMMARY_MAX) -> str:
    """The first paragraph of a Markdown description as plain text, cut at a word."""
    text = ""
    for token in _MARKDOWN.parse(description or ""):
        if token.type == "inline" and token.children is not None:
            text = "".join(c.content for c in token.children if c.type in ("text", "code_inline"))
            if text.strip():
                break
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _facet_groups(results: DatasetSearchResults) -> list[FacetGroup]:
    groups = []
    for name, legend, long_list in FACETS:
        values = [v for v in results.facets.get(name, []) if v.count or v.selected]
        if values:
            param = FACET_PARAMS[name][0]
            groups.append(FacetGroup(param, legend, values, collapsed=long_list))
    return groups


@require_safe
def dataset_list(request: HttpRequest) -> HttpResponse:
    """Search datasets (their text and data dictionaries), filter by facets, sort and page."""
    viewer = request.user
    query = DatasetSearchQuery.from_params(request.GET)
    results = dataset_search(viewer=viewer, query=query)  # type: ignore[arg-type]
    query = results.query
    return render(
        request,
        "catalogue/dataset_list.html",
        {
            "query": query,
            "results": results,
            "items": [(r, summary(r.dataset.description)) for r in results.results],
            "facet_groups": _facet_groups(results),
            "pagination": pagination(results, request.GET),
            "sort_options": sort_options(
                query.sort,
                [(v, label) for v, label in SORT_LABELS if v != "relevance" or query.q],
                request.GET,
            ),
            # Kept when someone chose it; otherwise a new search sorts by relevance again.
            "explicit_sort": query.sort if request.GET.get("sort") == query.sort else "",
            "signed_in": is_signed_in(request.user),  # type: ignore[arg-type]
            "can_publish": bool(organisations_where_publishing(user=request.user)),  # type: ignore[arg-type]
        },
    )
