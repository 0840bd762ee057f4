"""API authentication: bearer tokens (scoped read/write) and, for the browser, the session.

A request that presents a bearer token is judged by that token alone: an expired, revoked,
unknown, malformed or oversized token is a 401 even if a session cookie came with it.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from interborough.accounts.middleware import must_verify_two_factor
from interborough.accounts.models import ApiToken, Organisation, TokenScope, User
from interborough.accounts.services import api_token_authenticate
from interborough.api.errors import ApiError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_HEADER_LENGTH = 512


def insufficient_scope(message: str) -> ApiError:
    return ApiError(403, "insufficient_scope", message)


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None  # no token (or another scheme, e.g. a proxy's): try the session
        if len(header) > MAX_HEADER_LENGTH:
            raise AuthenticationError()
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            raise AuthenticationError()
        if request.method not in SAFE_METHODS and api_token.scope != TokenScope.WRITE:
            raise insufficient_scope("This token is read-only; use a token with write scope.")
        return act_as_token(request, api_token)


def act_as_token(request: HttpRequest, api_token: ApiToken) -> User:
    """Make the token's holder the request's user, acting for the token's organisation only."""
    # A token issued for one organisation gives its holder no role in any other
    # (accounts.permissions.role_of), for reads as well as writes.
    api_token.user.acting_organisation_id = api_token.organisation_id  # type: ignore[attr-defined]
    request.user = api_token.user
    request.api_token = api_token  # type: ignore[attr-defined]
    return api_token.user


class VerifiedSession(SessionAuth):
    """The browser session, once any second factor the person must use has been verified."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # nobody signed in: a 401, not a CSRF failure
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise ApiError(403, "csrf_failed", "The CSRF check failed; reload the page.") from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if must_verify_two_factor(user) and not user.is_verified():
            return None
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last auth callback of public reads: a caller without credentials reads as anonymous.

    A bad token is still a 401 (the bearer callback raises before this one runs).
    """
    return AnonymousUser()


bearer = BearerToken()
session = VerifiedSession()
AUTH = [bearer, session]
# Public reads: a token or session shows the caller what they may see; no credentials, public.
PUBLIC_OR_SIGNED_IN = [*AUTH, anonymous]


def current_user(request: HttpRequest) -> User:
    """The authenticated person (after the API's auth has run)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError()
    return user


def caller_or_anonymous(request: HttpRequest) -> User | AnonymousUser:
    """On a PUBLIC_OR_SIGNED_IN endpoint: who authenticated (a token or a verified session),
    or an anonymous visitor (an unverified session reads as anonymous too)."""
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else AnonymousUser()


def current_token(request: HttpRequest) -> ApiToken | None:
    """The bearer token the request came with, or None for a session."""
    token = getattr(request, "api_token", None)
    return token if isinstance(token, ApiToken) else None


def ensure_token_acts_for(request: HttpRequest, organisation: Organisation) -> None:
    """A token issued for one organisation acts for that organisation only."""
    token = current_token(request)
    if token is not None and token.organisation_id not in (None, organisation.pk):
        raise insufficient_scope("This token was issued for another organisation.")


def ensure_not_broader(
    request: HttpRequest,
    *,
    scope: str,
    organisation: Organisation | None,
    expires_at: datetime,
) -> None:
    """A token may only create tokens that can do no more, for no longer, than itself."""
    token = current_token(request)
    if token is None:
        return
    if scope == TokenScope.WRITE and token.scope != TokenScope.WRITE:
        raise insufficient_scope("A read-only token cannot create a write token.")
    if token.organisation_id is not None and (
        organisation is None or organisation.pk != token.organisation_id
    ):
        raise insufficient_scope("This token can only create tokens for its own organisation.")
    if expires_at > token.expires_at:
        raise insufficient_scope("A token cannot create a token that outlives it.")
