"""One error shape for every API failure: {"error": {"code", "message", "fields"}}."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from interborough.core.errors import ApplicationError, PermissionDeniedError

logger = logging.getLogger("django.request")

# The code for a plain HTTP status, when nothing more specific is known.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    422: "validation_error",
    429: "throttled",
}
# Locations ninja prefixes to a field's path; a client wants the field's own name.
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie", "form", "file", "payload"})


class ApiError(Exception):
    """An API failure with its status and code, raised where a service error does not fit."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def error_response(
    status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
) -> JsonResponse:
    """An error response built without the API object (URL fallbacks and method errors)."""
    return JsonResponse(error_body(code, message, fields), status=status)


def validation_fields(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Ninja/pydantic error entries as [{"field", "message"}], the field without its location."""
    fields = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in _LOCATIONS]
        message = str(err.get("msg", "Invalid value."))
        if not loc and err.get("type") == "missing":
            message = "Send a JSON object in the request body."
        fields.append({"field": ".".join(loc), "message": message})
    return fields


def django_validation_fields(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    return [{"field": "", "message": " ".join(exc.messages)}]


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every exception an endpoint can raise to the one error shape."""

    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        message: str,
        fields: list[dict[str, str]] | None = None,
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = validation_fields(exc.errors)
        return respond(request, 422, "validation_error", "The request is not valid.", fields)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = django_validation_fields(exc)
        return respond(request, 422, "validation_error", "The request is not valid.", fields)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "Send a valid API token: Authorization: Bearer <token>."
        response = respond(request, 401, "not_authenticated", message)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message)

    def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = getattr(exc, "message", "") or "You do not have permission to do that."
        return respond(request, 403, "permission_denied", message)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", "Not found.")

    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        fields = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return respond(request, 400, exc.code, exc.message, fields)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, code, str(exc) or code.replace("_", " "))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "request_too_large", "The request body is too large.")

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, "bad_request", "The request could not be read.")

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Still a bug to fix, but the client gets the same shape and the log gets the trace.
        logger.error("Unhandled API error on %s", request.path, exc_info=exc)
        return respond(request, 500, "server_error", "Something went wrong on our side.")

    handlers: list[tuple[type[Exception], Any]] = [
        (NinjaValidationError, on_validation),
        (DjangoValidationError, on_django_validation),
        (AuthenticationError, on_authentication),
        (ApiError, on_api_error),
        (PermissionDeniedError, on_permission_denied),
        (PermissionDenied, on_permission_denied),
        (Http404, on_not_found),
        (ApplicationError, on_application_error),
        (HttpError, on_http_error),
        (RequestDataTooBig, on_too_big),
        (SuspiciousOperation, on_suspicious),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
