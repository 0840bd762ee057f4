"""CKAN's DataStore actions (datastore_search, datastore_info) over our query engine.

CKAN's parameters are translated into the records query of our own API (query_params.py), so
the same checks, limits and time limit apply; restricted data needs the same access as every
other data path (downloads.readable_version).
"""

import csv
import io
import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.http import urlencode

from interborough.catalogue import downloads, query
from interborough.catalogue.ckan.actions import ActionContext, action
from interborough.catalogue.ckan.dicts import DATASTORE_TYPES
from interborough.catalogue.ckan.errors import NotAuthorized, NotFound, ValidationError
from interborough.catalogue.ckan.params import as_bool, as_int, as_list, as_text, required_id
from interborough.catalogue.models import UsageKind
from interborough.catalogue.query_params import MAX_LIMIT, QueryError, parse_query
from interborough.core.errors import PermissionDeniedError

RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
DEFAULT_LIMIT = 100


def _readable(context: ActionContext, data: dict[str, Any], name: str) -> downloads.Readable:
    identifier = required_id(data, name)
    try:
        resource_id = uuid.UUID(identifier)
    except ValueError:
        raise NotFound(f'Resource "{identifier[:50]}" was not found.') from None
    try:
        return downloads.readable_version(viewer=context.user, resource_id=resource_id)
    except Http404:
        raise NotFound(f'Resource "{resource_id}" was not found.') from None
    except (downloads.SignInRequired, PermissionDeniedError, PermissionDenied):
        raise NotAuthorized(downloads.NOT_READABLE) from None


def _sort_param(text: str) -> str:
    """CKAN's "a desc, b" as our "-a,b"."""
    parts = []
    for clause in text.split(","):
        words = clause.strip().rsplit(" ", 1)
        if len(words) == 2 and words[1].lower() in ("asc", "desc"):
            name, direction = words[0].strip().strip('"'), words[1].lower()
        else:
            name, direction = clause.strip().strip('"'), "asc"
        if name:
            parts.append(("-" if direction == "desc" else "") + name)
    return ",".join(parts)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, dict | list):
        raise ValidationError({"filters": ["Filter values must be strings, numbers or lists"]})
    return str(value)


def _params(data: dict[str, Any], limit: int, offset: int) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = [("limit", str(limit)), ("offset", str(offset))]
    filters = data.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise ValidationError({"filters": ["Not a JSON object"]}) from None
    if not isinstance(filters, dict):
        raise ValidationError({"filters": ["Not a JSON object"]})
    for field, value in filters.items():
        for item in value if isinstance(value, list) else [value]:
            params.append((f"{field}__eq", _value_text(item)))
    q = data.get("q")
    if isinstance(q, dict):
        params.extend((f"{field}__contains", _value_text(text)) for field, text in q.items())
    elif q not in (None, ""):
        params.append(("q", as_text(data, "q", max_length=500)))
    fields = as_list(data, "fields", max_items=500)
    if len(fields) == 1 and "," in fields[0]:
        fields = [f.strip() for f in fields[0].split(",")]
    if fields:
        params.append(("fields", ",".join(fields)))
    sort = as_text(data, "sort", max_length=500)
    if sort.strip():
        params.append(("sort", _sort_param(sort)))
    return params


def _records(page: query.Page, records_format: str) -> Any:
    names = [column.name for column in page.fields]
    if records_format == "objects":
        return [dict(zip(names, row, strict=True)) for row in page.rows]
    if records_format == "lists":
        return [list(row) for row in page.rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if records_format == "tsv" else ",")
    writer.writerows(page.rows)
    return out.getvalue()


@action("datastore_search")
def datastore_search(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search a resource's rows: resource_id, filters, q, fields, sort, limit, offset,
    include_total, records_format (objects, lists, csv or tsv)."""
    readable = _readable(context, data, "resource_id")
    limit = as_int(data, "limit", DEFAULT_LIMIT, minimum=0, maximum=MAX_LIMIT)
    offset = as_int(data, "offset", 0)
    records_format = as_text(data, "records_format", "objects", max_length=10)
    if records_format not in RECORDS_FORMATS:
        raise ValidationError({"records_format": [f"Must be one of {', '.join(RECORDS_FORMATS)}"]})
    if as_bool(data, "distinct"):
        raise ValidationError({"distinct": ["distinct is not supported"]})
    try:
        parsed = parse_query(
            _params(data, max(limit, 1), offset), readable.version.schema, scope=readable.scope
        )
        page = query.records_page(readable.parquet, parsed, downloads.query_limits())
    except QueryError as exc:
        raise ValidationError({param: [message] for param, message in exc.problems}) from None
    except query.QueryTimeout:
        raise ValidationError({"query": ["Query took too long"]}) from None
    downloads.record_read(
        viewer=context.user, readable=readable, how="ckan datastore_search", kind=UsageKind.API_CALL
    )
    if limit == 0:
        page = query.Page(page.fields, [], page.total, None)
    base = "/api/3/action/datastore_search"
    link_params: dict[str, str | int] = {"resource_id": str(readable.resource.pk), "limit": limit}
    result: dict[str, Any] = {
        "resource_id": str(readable.resource.pk),
        "fields": [
            {"id": c.name, "type": DATASTORE_TYPES.get(c.type, "text")} for c in page.fields
        ],
        "records": _records(page, records_format),
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": f"{base}?{urlencode(link_params)}",
            "next": f"{base}?{urlencode({**link_params, 'offset': offset + limit})}",
        },
    }
    if as_bool(data, "include_total", True):
        result["total"] = page.total
        result["total_was_estimated"] = False
    return result


@action("datastore_info")
def datastore_info(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Describe a resource's table: row count and each column's type and data dictionary."""
    key = "id" if "id" in data else "resource_id"
    readable = _readable(context, data, key)
    fields = readable.version.schema.get("fields", [])
    downloads.record_read(
        viewer=context.user, readable=readable, how="ckan datastore_info", kind=UsageKind.API_CALL
    )
    return {
        "meta": {
            "id": str(readable.resource.pk),
            "count": readable.version.rows,
            "table_type": "BASE TABLE",
            "aliases": [],
        },
        "fields": [
            {
                "id": field["name"],
                "type": DATASTORE_TYPES.get(field.get("type", "string"), "text"),
                "schema": {
                    "native_type": field.get("type", "string"),
                    "notnull": bool(field.get("constraints", {}).get("required")),
                    "is_index": False,
                },
                "info": {
                    "label": field.get("title", ""),
                    "notes": field.get("description", ""),
                    "type_override": "",
                },
            }
            for field in fields
        ],
    }
