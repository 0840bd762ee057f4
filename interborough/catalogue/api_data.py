"""API endpoints for a resource's metadata and its records (the query API).

A resource whose dataset the caller may not see is a 404; one they may see but whose data
they may not read is a 403 (a 401 for an anonymous caller, who may be let in once signed in).
Bad query parameters are a 400 with one entry in `fields` per parameter to fix; a query over
its time limit is stopped and answers 503 `query_timeout` (narrow the query and ask again).
"""

import uuid
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import AuthenticationError

from interborough.api.auth import PUBLIC_OR_SIGNED_IN, caller_or_anonymous
from interborough.api.errors import error_response
from interborough.api.schemas import responses
from interborough.catalogue import downloads, downloads_formats, permissions, query
from interborough.catalogue.models import Resource, UsageKind
from interborough.catalogue.schemas_data import RecordsOut, RecordsQuery, ResourceOut

router = Router(tags=["data store: records"])

RECORD_FORMATS = ("objects", "lists", "csv")
DATA_ERRORS = (400, 401, 403, 404, 503)


@router.get(
    "/resources/{resource_id}",
    response=responses(ResourceOut, errors=(401, 404)),
    auth=PUBLIC_OR_SIGNED_IN,
)
def resource_detail(request: HttpRequest, resource_id: uuid.UUID) -> dict[str, Any]:
    """A resource and its versions (number, status, rows, size, SHA-256, what changed)."""
    viewer = caller_or_anonymous(request)
    resource = (
        Resource.objects.select_related("dataset__publisher", "latest")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None or not permissions.can_view_dataset(viewer, resource.dataset):  # type: ignore[arg-type]
        raise Http404
    return {
        "id": resource.pk,
        "name": resource.name,
        "description": resource.description,
        "dataset": resource.dataset.slug,
        "latest": resource.latest.number if resource.latest else None,
        "versions": list(resource.versions.order_by("-number")),
    }


def _records(request: HttpRequest, resource_id: uuid.UUID, number: int | None) -> Any:
    viewer = caller_or_anonymous(request)
    try:
        readable = downloads.readable_version(viewer=viewer, resource_id=resource_id, number=number)
    except downloads.SignInRequired:
        raise AuthenticationError() from None
    params = [(name, value) for name, values in request.GET.lists() for value in values]
    fmt = request.GET.get("format") or "objects"
    try:
        if fmt not in RECORD_FORMATS:
            raise query.QueryError([("format", "Give objects, lists or csv.")])
        parsed = query.parse_query(params, readable.version.schema, scope=readable.scope)
        page = query.records_page(readable.parquet, parsed, downloads.query_limits())
    except query.QueryError as error:
        return error_response(400, "invalid_query", "The query is not valid.", error.fields)
    except query.QueryTimeout as error:
        return error_response(503, "query_timeout", error.message)
    downloads.record_read(
        viewer=viewer, readable=readable, how="api records", kind=UsageKind.API_CALL
    )
    return _page_body(request, readable, parsed, page, fmt)


def _page_body(
    request: HttpRequest,
    readable: downloads.Readable,
    parsed: query.RecordQuery,
    page: query.Page,
    fmt: str,
) -> dict[str, Any]:
    records: Any
    if fmt == "lists":
        records = downloads_formats.record_lists(page.rows)
    elif fmt == "csv":
        records = "".join(downloads_formats.csv_chunks(page.fields, page.rows, header=False))
    else:
        records = downloads_formats.record_objects(page.fields, page.rows)
    schema_fields = {
        str(f.get("name")): f
        for f in readable.version.schema.get("fields", [])
        if isinstance(f, dict)
    }
    link = None
    if page.next:
        kept = [(k, v) for k, vs in request.GET.lists() for v in vs if k not in {"after", "offset"}]
        link = request.build_absolute_uri(
            request.path + "?" + urlencode([*kept, ("after", page.next)])
        )
    return {
        "resource": readable.resource.pk,
        "version": readable.version.number,
        "fields": [_field(c, schema_fields.get(c.name, {})) for c in page.fields],
        "records": records,
        "total": page.total,
        "limit": parsed.limit,
        "offset": parsed.offset,
        "next": page.next,
        "links": {"next": link},
    }


def _field(column: query.Column, described: dict[str, Any]) -> dict[str, str]:
    return {
        "name": column.name,
        "type": column.type,
        "title": str(described.get("title") or ""),
        "description": str(described.get("description") or ""),
    }


@router.get(
    "/resources/{resource_id}/records",
    response=responses(RecordsOut, errors=DATA_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
def records_latest(
    request: HttpRequest, resource_id: uuid.UUID, params: Query[RecordsQuery]
) -> HttpResponse | dict[str, Any]:
    """Records of the resource's latest version: filter, search, sort, project and page.

    Filters are `<field>=<value>` (repeat for any of several values) and
    `<field>__<op>=<value>` with op eq, ne, gt, gte, lt, lte, in (comma-separated) or
    contains (text, any case). Page with `next` (keyset) or `offset`; `total` is exact.
    """
    return _records(request, resource_id, None)


@router.get(
    "/resources/{resource_id}/versions/{number}/records",
    response=responses(RecordsOut, errors=DATA_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
def records_of_version(
    request: HttpRequest, resource_id: uuid.UUID, number: int, params: Query[RecordsQuery]
) -> HttpResponse | dict[str, Any]:
    """Records of one version of the resource, queried as for the latest version."""
    return _records(request, resource_id, number)
