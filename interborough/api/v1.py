"""API v1: one NinjaAPI mounting each app's router, one error shape for every failure."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from interborough.accounts.api import router as accounts_router
from interborough.api.auth import AUTH, WriteScopeRequired
from interborough.core.api import router as core_router
from interborough.core.errors import ApplicationError, PermissionDeniedError

api = NinjaAPI(
    title="Interborough API",
    version="1.0.0",
    description=(
        "The API of Interborough, the shared platform of London's local authorities. "
        "Authenticate with `Authorization: Bearer <token>`; issue tokens from your account page. "
        'Errors always have the shape `{"error": {"code", "message", "fields"}}`.'
    ),
    auth=AUTH,
    urls_namespace="api-v1",
    docs_url="/docs",
)


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def _respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = [
        {
            "field": ".".join(
                str(part) for part in err.get("loc", []) if part not in {"body", "query", "path"}
            ),
            "message": str(err.get("msg", "Invalid value")),
        }
        for err in exc.errors
    ]
    return _respond(
        request, 422, error_body("validation_error", "The request is not valid.", fields)
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _respond(
        request,
        401,
        error_body("not_authenticated", "Send a valid API token: Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(WriteScopeRequired)
def on_write_scope(request: HttpRequest, exc: WriteScopeRequired) -> HttpResponse:
    return _respond(request, 403, error_body("insufficient_scope", "This token is read-only."))


@api.exception_handler(PermissionDeniedError)
@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = getattr(exc, "message", "") or "You do not have permission to do that."
    return _respond(request, 403, error_body("permission_denied", message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body("not_found", "Not found."))


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    fields = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return _respond(request, 400, error_body(exc.code, exc.message, fields))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _respond(request, exc.status_code, error_body("error", str(exc)))


api.add_router("/", accounts_router)
api.add_router("/audit-events", core_router)
