"""The CKAN Action API endpoint: CKAN's envelope (`help`, `success`, `result`), its error
`__type` strings and HTTP codes, GET and POST alike. Read-only, so CSRF does not apply."""

import json
import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from interborough.accounts.middleware import must_verify_two_factor
from interborough.accounts.models import User
from interborough.accounts.services import api_token_authenticate
from interborough.api.auth import MAX_HEADER_LENGTH, act_as_token
from interborough.catalogue.ckan import datastore, search  # noqa: F401 (register actions)
from interborough.catalogue.ckan.actions import ACTIONS, ActionContext
from interborough.catalogue.ckan.errors import CkanError, NotAuthorized
from interborough.catalogue.ckan.params import BadRequest, request_data

logger = logging.getLogger(__name__)


def _json(status: int, body: Any) -> HttpResponse:
    return JsonResponse(
        body, status=status, safe=False, content_type="application/json;charset=utf-8"
    )


def _bad_request(message: str) -> HttpResponse:
    return _json(400, f"Bad request - {message}")


def _presented_key(request: HttpRequest) -> str | None:
    """An API key from `Authorization` (bare, as CKAN sends it, or Bearer) or X-CKAN-API-Key."""
    header = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key")
    if not header:
        return None
    if len(header) > MAX_HEADER_LENGTH:
        raise NotAuthorized("the API key is not valid")
    scheme, _, rest = header.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else header.strip()


def _caller(request: HttpRequest) -> User | AnonymousUser:
    """Who is asking: the holder of a presented API key, a verified session, or nobody."""
    key = _presented_key(request)
    if key is not None:
        token = api_token_authenticate(key)
        if token is None:
            raise NotAuthorized("the API key is not valid")
        return act_as_token(request, token)
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
        if must_verify_two_factor(user) and not (verified and verified()):
            return AnonymousUser()
        return user
    return AnonymousUser()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> HttpResponse:
    """Run one CKAN action and answer in CKAN's envelope."""
    function = ACTIONS.get(name)
    if function is None:
        return _bad_request(f"Action name not known: {name[:100]}")
    envelope: dict[str, Any] = {
        "help": request.build_absolute_uri(
            reverse("ckan:action-v3", kwargs={"name": "help_show"}) + f"?name={name}"
        )
    }
    try:
        data = request_data(request)
    except BadRequest as exc:
        return _bad_request(str(exc))
    data.pop("callback", None)  # JSONP is not offered
    try:
        context = ActionContext(request=request, user=_caller(request))
        envelope["result"] = function(context, data)
        envelope["success"] = True
    except CkanError as exc:
        envelope["success"] = False
        envelope["error"] = exc.error_body()
        return _json(exc.status, envelope)
    except Exception:
        logger.exception("CKAN action %s failed", name)
        envelope["success"] = False
        envelope["error"] = CkanError().error_body()
        return _json(500, envelope)
    return _json(200, envelope)


@require_http_methods(["GET"])
def version(request: HttpRequest, ver: int = 3) -> HttpResponse:
    """/api/3: the API version, as CKAN answers it."""
    return HttpResponse(json.dumps({"version": ver}), content_type="application/json;charset=utf-8")
