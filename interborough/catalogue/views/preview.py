"""A resource's data on its page: the preview table (paging, sorting, filtering), the chart
builder, the map and the automatic borough choropleth; and the small choropleth of a dataset's
page. Everything is drawn on the server, so it works without JavaScript; only the map of places
needs it (the preview table is its alternative).

All of it reads the latest ready version through the records query engine, with the records
API's parameters (field filters, `q`, `sort`, `offset`), so a page's links and its downloads
carry the same filters. Nothing is read unless `can_read_data` passes (via
downloads.readable_version); each page that shows data counts one read (an API call, "preview").
"""

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import duckdb
from django.http import Http404, HttpRequest
from django.urls import reverse

from interborough.accounts.reference import BOUNDARIES_ATTRIBUTION
from interborough.accounts.selectors import borough_boundaries_version, borough_feature_collection
from interborough.catalogue import charts, choropleth, downloads, permissions, query
from interborough.catalogue import query_aggregate as aggregates
from interborough.catalogue.downloads_formats import geometry_of
from interborough.catalogue.forms_preview import OPERATORS, ChartForm, ChoroplethForm, FilterForm
from interborough.catalogue.models import AccessLevel, Dataset, Resource, UsageKind
from interborough.catalogue.query_params import NUMERIC_TYPES, RESERVED, Column, RecordQuery
from interborough.core.errors import PermissionDeniedError

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
MAP_FEATURES = 2_000
DOWNLOAD_FORMATS = ("csv", "xlsx", "json", "parquet")
# Engine parameters the page sets itself, and the page's own forms' parameters.
PAGE_PARAMS = frozenset({"limit", "after", "format", "total", "fields"})
FORM_PARAMS = frozenset(
    f"{form.prefix}-{name}"
    for form in (FilterForm, ChartForm, ChoroplethForm)
    for name in form.base_fields
)
READ_FAILED = "The data could not be read just now. Try again, or download it instead."
OPERATOR_WORDS = {**dict(OPERATORS), "in": "is one of", "gte": "is at least", "lte": "is at most"}
_OUTLINES: dict[str, choropleth.Outline] = {}


@dataclass(frozen=True)
class Problem:
    href: str
    message: str


# --- parameters and links ---------------------------------------------------------------------


def _engine_params(request: HttpRequest) -> list[tuple[str, str]]:
    """The request's records-query parameters: filters, `q`, `sort`, `offset`."""
    return [
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if name not in PAGE_PARAMS and name not in FORM_PARAMS
    ]


def _href(params: list[tuple[str, str]], anchor: str = "preview") -> str:
    return "?" + urlencode(params) + "#" + anchor if params else "?#" + anchor


def _without(params: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    return [(n, v) for n, v in params if n not in names]


def _filters(params: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The filters in force, each with the link that removes it."""
    shown = []
    for i, (name, value) in enumerate(params):
        if name in RESERVED:
            continue
        field, _, op = name.rpartition("__") if "__" in name else (name, "", "eq")
        words = OPERATOR_WORDS.get(op, op)
        rest = [p for j, p in enumerate(params) if j != i and p[0] != "offset"]
        shown.append({"text": f"{field} {words} {value}", "remove": _href(rest)})
    return shown


def _sort_links(columns: tuple[Column, ...], parsed: RecordQuery, params: list) -> list[dict]:
    current = {column.name: descending for column, descending in parsed.sort}
    base = _without(params, "sort", "offset")
    links = []
    for column in columns:
        descending = current.get(column.name)
        following = column.name if descending in (None, True) else "-" + column.name
        state = "none" if descending is None else ("descending" if descending else "ascending")
        sortable = column.type not in aggregates.UNGROUPABLE_TYPES
        links.append(
            {
                "name": column.name,
                "numeric": column.type in NUMERIC_TYPES,
                "aria_sort": state,
                "href": _href([*base, ("sort", following)]) if sortable else "",
            }
        )
    return links


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)  # numbers as stored: a preview must not round coordinates or ids
    return text if len(text) <= 120 else text[:119] + "…"


def _download_links(readable: downloads.Readable, params: list, places: bool) -> list[dict]:
    kept = _without(params, "offset")
    suffix = "?" + urlencode(kept) if kept else ""
    formats = [*DOWNLOAD_FORMATS, *(("geojson",) if places else ())]
    return [
        {
            "format": fmt.upper() if fmt != "geojson" else "GeoJSON",
            "href": _download_url(readable, fmt) + suffix,
        }
        for fmt in formats
    ]


def _download_url(readable: downloads.Readable, fmt: str) -> str:
    return reverse(
        "catalogue:resource-download",
        kwargs={"slug": readable.dataset.slug, "resource_id": readable.resource.pk, "fmt": fmt},
    )


# --- the resource page ------------------------------------------------------------------------


def no_access_panel(viewer: Any, dataset: Dataset) -> dict[str, Any]:
    """Why the data is not shown: it needs a grant (restricted) or signing in."""
    return {
        "restricted": dataset.access_level == AccessLevel.RESTRICTED,
        "signed_in": permissions.is_signed_in(viewer),
    }


def resource_preview(request: HttpRequest, viewer: Any, resource: Resource) -> dict[str, Any]:
    """The preview, chart, map and choropleth context of the resource page (empty when the
    latest version cannot be read by this viewer)."""
    try:
        readable = downloads.readable_version(viewer=viewer, resource_id=resource.pk)
    except (downloads.SignInRequired, PermissionDeniedError):
        return {"no_access": no_access_panel(viewer, resource.dataset)}
    except Http404:
        return {}
    if not readable.version.schema or not readable.parquet.exists():
        return {}
    columns = query.columns_of(readable.version.schema)
    params = _engine_params(request)
    problems: list[Problem] = []
    filter_form = FilterForm(
        request.GET if "filter-field" in request.GET else None, columns=columns
    )
    if filter_form.is_bound:
        if filter_form.is_valid():
            params = [*_without(params, "offset"), filter_form.param()]
            filter_form = FilterForm(columns=columns)
        else:
            problems += [
                Problem(f"#{filter_form[name].auto_id}", str(message))
                for name, messages in filter_form.errors.items()
                for message in messages
            ]
    context: dict[str, Any] = {
        "readable": readable,
        "filter_form": filter_form,
        "hidden_params": _without(params, "offset"),
        "filters": _filters(params),
        "q": next((v for n, v in params if n == "q"), ""),
    }
    limits = downloads.query_limits()
    try:
        parsed = query.parse_query(
            [*params, ("limit", str(PAGE_SIZE))],
            readable.version.schema,
            scope=readable.scope,
            ignore=PAGE_PARAMS - {"limit"},
        )
    except query.QueryError as error:
        problems += [Problem("#preview-filters", f"{p}: {m}") for p, m in error.problems]
        return {**context, "problems": problems}
    try:
        page = query.records_page(readable.parquet, parsed, limits)
        context |= _page_context(readable, parsed, page, params)
        context |= _chart_context(request, readable, parsed, limits, problems)
        context |= _choropleth_context(request, readable, parsed, limits)
    except query.QueryTimeout as error:
        problems.append(Problem("#preview-filters", error.message))
    except duckdb.Error:
        logger.exception("Preview of %s failed", readable.scope)
        problems.append(Problem("#preview", READ_FAILED))
    downloads.record_read(viewer=viewer, readable=readable, how="preview", kind=UsageKind.API_CALL)
    return {**context, "problems": problems}


def _page_context(
    readable: downloads.Readable, parsed: RecordQuery, page: query.Page, params: list
) -> dict[str, Any]:
    start = parsed.offset
    base = _without(params, "offset")
    geometry = geometry_of(parsed.columns)
    numeric = [c.type in NUMERIC_TYPES for c in page.fields]
    previous = None
    if start:
        back = max(start - PAGE_SIZE, 0)
        previous = _href([*base, ("offset", str(back))] if back else base)
    following = None
    if start + len(page.rows) < page.total:
        following = _href([*base, ("offset", str(start + PAGE_SIZE))])
    context: dict[str, Any] = {
        "columns": _sort_links(page.fields, parsed, params),
        "rows": [[(_cell(v), n) for v, n in zip(row, numeric, strict=True)] for row in page.rows],
        "total": page.total,
        "first": start + 1 if page.rows else 0,
        "last": start + len(page.rows),
        "pagination": {"previous": previous, "next": following} if previous or following else None,
        "downloads": _download_links(readable, params, geometry is not None),
    }
    if geometry is not None:
        kept = [*_without(params, "offset"), ("limit", str(MAP_FEATURES))]
        context["map"] = {
            "url": _download_url(readable, "geojson") + "?" + urlencode(kept),
            "boundaries": reverse("accounts:borough-boundaries"),
            "limit": MAP_FEATURES,
            "capped": page.total > MAP_FEATURES,
            "attribution": BOUNDARIES_ATTRIBUTION,
        }
    return context


# --- the chart --------------------------------------------------------------------------------


def _key_label(key: Any, bucket: str) -> str:
    if key is None:
        return "(no value)"
    if bucket == "month":
        return key.strftime("%b %Y")
    if bucket == "year":
        return key.strftime("%Y")
    return _cell(key)


def _chart_context(
    request: HttpRequest,
    readable: downloads.Readable,
    parsed: RecordQuery,
    limits: query.Limits,
    problems: list[Problem],
) -> dict[str, Any]:
    bound = "chart-x" in request.GET
    form = ChartForm(request.GET if bound else None, columns=parsed.columns)
    context: dict[str, Any] = {"chart_form": form}
    if not bound:
        return context
    # The choropleth's form keeps the chart as it is.
    context["chart_params"] = [
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if name.startswith(f"{ChartForm.prefix}-") and name in FORM_PARAMS
    ]
    if not form.is_valid():
        problems += [
            Problem(f"#{form[name].auto_id}" if name in form.fields else "#chart", str(message))
            for name, messages in form.errors.items()
            for message in messages
        ]
        return context
    aggregation = form.cleaned_data["aggregation"]
    result = aggregates.aggregate(readable.parquet, parsed, aggregation, limits)
    points = [(_key_label(g.key, aggregation.bucket), g.value) for g in result.groups]
    if form.cleaned_data["kind"] == "line":
        drawing = charts.line_chart(
            [label for label, _ in points],
            [charts.Series(aggregation.label, [value for _, value in points])],
        )
    else:
        drawing = charts.bar_chart(points)
    context["chart"] = {
        "drawing": drawing,
        "title": f"{aggregation.label} by {aggregation.group.name}"
        + (f" ({aggregation.bucket})" if aggregation.bucket else ""),
        "group": aggregation.group.name,
        "label": aggregation.label,
        "points": [(label, charts.format_number(value)) for label, value in points],
        "capped": result.capped,
        "cap": result.cap,
    }
    return context


# --- the borough choropleth -------------------------------------------------------------------


def borough_outline() -> choropleth.Outline:
    """The boroughs' SVG outline, made once per version of the boundaries."""
    version = borough_boundaries_version()
    if version not in _OUTLINES:
        _OUTLINES.clear()
        _OUTLINES[version] = choropleth.outline(borough_feature_collection())
    return _OUTLINES[version]


def borough_figures(
    readable: downloads.Readable,
    parsed: RecordQuery,
    limits: query.Limits,
    function: str = "count",
    measure: str = "",
) -> dict[str, Any] | None:
    """Each borough's figure and shade, or None when the table has no borough code column."""
    column = aggregates.borough_column(readable.parquet, parsed.columns, limits)
    if column is None:
        return None
    aggregation = aggregates.aggregation_of(
        parsed.columns, group=column.name, function=function, measure=measure
    )
    result = aggregates.aggregate(readable.parquet, parsed, aggregation, limits)
    figures = {str(g.key).strip(): g.value for g in result.groups if g.key is not None}
    shape = borough_outline()
    areas = choropleth.shaded(shape, figures)
    return {
        "column": column.name,
        "label": aggregation.label,
        "width": shape.width,
        "height": shape.height,
        "areas": areas,
        "table": sorted(areas, key=lambda a: a.name),
        "classes": choropleth.shade_classes(figures.get(a.code) for a in areas),
        "no_data": choropleth.NO_DATA,
        "attribution": BOUNDARIES_ATTRIBUTION,
    }


def _choropleth_context(
    request: HttpRequest, readable: downloads.Readable, parsed: RecordQuery, limits: query.Limits
) -> dict[str, Any]:
    bound = "map-measure" in request.GET
    form = ChoroplethForm(request.GET if bound else None, columns=parsed.columns)
    function, measure = form.function_and_measure()
    figures = borough_figures(readable, parsed, limits, function, measure)
    if figures is None:
        return {}
    return {"choropleth": figures, "choropleth_form": form}


# --- the dataset page -------------------------------------------------------------------------


def dataset_choropleth(viewer: Any, dataset: Dataset, resources: list[Resource]) -> dict | None:
    """The borough choropleth (rows per borough) of the first resource that has a borough
    code column, for the dataset page; None if none has one or the viewer may not read it."""
    if not permissions.can_read_data(viewer, dataset):
        return None
    limits = downloads.query_limits()
    for resource in resources:
        try:
            readable = downloads.readable_version(viewer=viewer, resource_id=resource.pk)
        except Http404:
            continue
        if not readable.version.schema or not readable.parquet.exists():
            continue
        columns = query.columns_of(readable.version.schema)
        parsed = RecordQuery(columns=columns, fields=columns, limit=None)
        try:
            figures = borough_figures(readable, parsed, limits)
        except (query.QueryTimeout, duckdb.Error):
            logger.exception("Choropleth of %s failed", readable.scope)
            continue
        if figures is not None:
            downloads.record_read(
                viewer=viewer, readable=readable, how="preview choropleth", kind=UsageKind.API_CALL
            )
            return {**figures, "resource": resource}
    return None
