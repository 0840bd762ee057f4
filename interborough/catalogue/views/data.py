"""Filtered downloads of a resource's data and the original uploaded file.

Query parameters filter, sort and project as in the records API (catalogue/query_params.py).
Bad parameters answer 400 with what to fix; a query over its time limit answers 503.
"""

import uuid

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from interborough.catalogue import downloads
from interborough.catalogue.query import QueryError, QueryTimeout


def _params(request: HttpRequest) -> list[tuple[str, str]]:
    return [(name, value) for name, values in request.GET.lists() for value in values]


def _download(
    request: HttpRequest, slug: str, resource_id: uuid.UUID, fmt: str, number: int | None
) -> HttpResponseBase:
    try:
        readable = downloads.readable_version(
            viewer=request.user, resource_id=resource_id, slug=slug, number=number
        )
    except downloads.SignInRequired:
        return redirect_to_login(request.get_full_path())
    try:
        return downloads.data_download(
            viewer=request.user, readable=readable, fmt=fmt, params=_params(request)
        )
    except QueryError as error:
        lines = [f"{param}: {message}" for param, message in error.problems]
        body = "The download could not be made. Fix these and try again:\n" + "\n".join(lines)
        return HttpResponse(body + "\n", status=400, content_type="text/plain; charset=utf-8")
    except QueryTimeout as error:
        return HttpResponse(error.message + "\n", status=503, content_type="text/plain")


@require_safe
def resource_download(
    request: HttpRequest, slug: str, resource_id: uuid.UUID, fmt: str
) -> HttpResponseBase:
    """The latest version's rows in `fmt`, filtered by the query parameters."""
    return _download(request, slug, resource_id, fmt, None)


@require_safe
def version_download(
    request: HttpRequest, slug: str, resource_id: uuid.UUID, number: int, fmt: str
) -> HttpResponseBase:
    """One version's rows in `fmt`, filtered by the query parameters."""
    return _download(request, slug, resource_id, fmt, number)


@require_safe
def version_source(
    request: HttpRequest, slug: str, resource_id: uuid.UUID, number: int
) -> HttpResponseBase:
    """The file as it was uploaded."""
    try:
        readable = downloads.readable_version(
            viewer=request.user, resource_id=resource_id, slug=slug, number=number
        )
    except downloads.SignInRequired:
        return redirect_to_login(request.get_full_path())
    return downloads.source_download(viewer=request.user, readable=readable)
