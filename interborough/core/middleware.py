import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from interborough.core import request_context

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane incoming X-Request-ID) for logs and audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = (
            incoming if _VALID_REQUEST_ID.match(incoming) else request_context.new_request_id()
        )
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_context.reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response
