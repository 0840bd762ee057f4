"""CKAN's package_search over the data store's search index.

CKAN passes Solr syntax; we accept the part of it CKAN clients use: free text in `q` (`*:*`
for everything), and `field:value` / `field:"a value"` / `field:(a OR b)` clauses, joined by
spaces or AND, in `q` or `fq`, on the fields below. Anything else is CKAN's Search Query Error
rather than a silently different answer.
"""

import re
from typing import Any

from interborough.catalogue.ckan import dicts
from interborough.catalogue.ckan.actions import ActionContext, action, with_relations
from interborough.catalogue.ckan.errors import SearchQueryError
from interborough.catalogue.ckan.params import as_int, as_list, as_text
from interborough.catalogue.models import Dataset
from interborough.catalogue.selectors.search import dataset_search
from interborough.catalogue.selectors.search_query import DatasetSearchQuery

MAX_ROWS = 1000
DEFAULT_ROWS = 10
# CKAN's field name -> (our facet name, the DatasetSearchQuery field it filters)
FIELDS = {
    "organization": ("publisher", "publishers"),
    "tags": ("tag", "tags"),
    "groups": ("topic", "topics"),
    "res_format": ("format", "formats"),
    "license_id": ("licence", "licences"),
    "access_level": ("access_level", "access_levels"),
    "spatial": ("borough", "boroughs"),
}
SORTS = {
    "score desc": "relevance",
    "metadata_modified desc": "updated",
    "views_recent desc": "used",
    "views_total desc": "used",
    "title_string asc": "title",
    "name asc": "title",
}
CLAUSE = re.compile(
    r'(?P<sign>\+)?(?P<field>[a-z_]+):(?:"(?P<quoted>[^"]{1,200})"|\((?P<group>[^)]{1,500})\)'
    r"|(?P<bare>[^\s\"()]{1,200}))"
)


def _clauses(text: str, parameter: str) -> tuple[dict[str, list[str]], str]:
    """Field clauses (by our query field) and the free text left over."""
    filters: dict[str, list[str]] = {}
    for match in CLAUSE.finditer(text):
        field = match["field"]
        if field not in FIELDS:
            if parameter == "q" and field not in ("name", "title", "text"):
                continue  # left in the free text
            raise SearchQueryError(f"{parameter}: cannot filter on {field!r}")
        if match["group"] is not None:
            values = [v.strip().strip('"') for v in re.split(r"\s+OR\s+", match["group"])]
        else:
            values = [match["quoted"] or match["bare"]]
        query_field = FIELDS[field][1]
        filters.setdefault(query_field, []).extend(
            v.lower() if field == "res_format" else v for v in values if v
        )
    rest = CLAUSE.sub(" ", text)
    rest = re.sub(r"\bAND\b", " ", rest)
    return filters, " ".join(rest.split())


def _facet_fields(data: dict[str, Any]) -> list[str]:
    fields = as_list(data, "facet.field", max_items=20)
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise SearchQueryError(f"facet.field: cannot facet on {unknown[0][:50]!r}")
    return fields


@action("package_search")
def package_search(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: q, fq, rows (up to 1000), start, sort, facet.field, facet.limit."""
    q = as_text(data, "q", max_length=1000).strip()
    fq = as_text(data, "fq", max_length=2000).strip()
    rows = as_int(data, "rows", DEFAULT_ROWS, minimum=0, maximum=MAX_ROWS)
    start = as_int(data, "start", 0, maximum=10_000_000)
    facet_limit = as_int(data, "facet.limit", 50, minimum=-1, maximum=1000)
    facet_fields = _facet_fields(data)
    mincount = as_int(data, "facet.mincount", 1, maximum=10_000_000)
    sort_text = " ".join(
        as_text(data, "sort", "score desc, metadata_modified desc", max_length=100).lower().split()
    )
    sort = SORTS.get(sort_text.split(",")[0].strip())
    if sort is None:
        raise SearchQueryError(f"sort: cannot sort by {sort_text[:50]!r}")
    if q == "*:*":
        q = ""
    filters, text = _clauses(q, "q")
    fq_filters, fq_rest = _clauses(fq, "fq")
    if fq_rest:
        raise SearchQueryError(f"fq: only field:value clauses are understood, not {fq_rest[:50]!r}")
    for name, values in fq_filters.items():
        filters.setdefault(name, []).extend(values)
    if text.startswith(("-", "*")) or "*" in text:
        raise SearchQueryError("q: wildcards and negation are not supported")
    sort = sort if (text or sort != "relevance") else "updated"
    # Every key of `filters` is a list field of DatasetSearchQuery (the FIELDS table).
    query = DatasetSearchQuery(q=text, sort=sort, **filters)  # type: ignore[arg-type]
    found = dataset_search(viewer=context.user, query=query, offset=start, limit=max(rows, 1))  # type: ignore[arg-type]
    datasets = _in_order([r.dataset.pk for r in found.results][:rows])
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for field in facet_fields:
        choices = [v for v in found.facets.get(FIELDS[field][0], []) if v.count >= mincount]
        if facet_limit >= 0:
            choices = choices[:facet_limit]
        facets[field] = {v.value: v.count for v in choices}
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": v.value, "display_name": v.label, "count": v.count} for v in choices
            ],
        }
    return {
        "count": found.total,
        "results": [dicts.package_dict(context.request, d) for d in datasets],
        "sort": sort_text,
        "facets": facets,
        "search_facets": search_facets,
    }


def _in_order(ids: list[int]) -> list[Dataset]:
    by_id = {d.pk: d for d in with_relations(Dataset.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]
