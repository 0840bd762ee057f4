"""The NinjaAPI with JSON errors for the requests ninja answers outside any endpoint.

Ninja answers an unsupported method with a plain-text 405 and an unknown path falls through to
the site's HTML 404 page; an API client should get the error shape for those too.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from interborough.api.errors import error_response

FALLBACK_URL_NAME = "not-found"
# The schema and its documentation page answer GET and HEAD only.
_READ_ONLY_PAGES = frozenset({"openapi-json", "openapi-view"})


def _json_method_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Rewrite ninja's plain-text 405 into the error shape, keeping its Allow header."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        allowed = response.get("Allow", "")
        message = f"{request.method} is not allowed here. Allowed: {allowed}."
        json_response = error_response(405, "method_not_allowed", message)
        json_response["Allow"] = allowed
        return json_response

    return wrapped


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under the API that matches no endpoint."""
    return error_response(404, "not_found", "There is no API endpoint at this address.")


class InterboroughAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name == "api-root":  # ninja's root raises an HTML 404; keep its name
                pattern.callback = not_found
            elif pattern.name in _READ_ONLY_PAGES:
                pattern.callback = _json_method_errors(require_safe(pattern.callback))
            elif getattr(pattern.callback, "csrf_exempt", False):
                pattern.callback = _json_method_errors(pattern.callback)
        patterns.append(re_path(r"^.*$", not_found, name=FALLBACK_URL_NAME))
        return patterns
