import re
import time
from collections.abc import Callable

from django.conf import settings
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


class SessionTouchMiddleware:
    """Slides a non-empty session's expiry forward, saving it at most once a SESSION_TOUCH_INTERVAL.

    An idle session therefore ends SESSION_COOKIE_AGE seconds (less at most one interval) after the
    last request, without a database write on every request.
    """

    KEY = "_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.session_key:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.SESSION_TOUCH_INTERVAL:
                session[self.KEY] = now
        return response
