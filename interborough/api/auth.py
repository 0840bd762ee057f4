"""API authentication: bearer tokens (scoped read/write) and, for the browser, the session."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from interborough.accounts.models import TokenScope
from interborough.accounts.services import api_token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteScopeRequired(Exception):
    """A read-only token was used for a write."""


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and api_token.scope != TokenScope.WRITE:
            raise WriteScopeRequired()
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class VerifiedSession(SessionAuth):
    """The browser session, only once any required second factor has been verified."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from interborough.accounts.permissions import requires_two_factor

        user = super().authenticate(request, key)
        if user is None:
            return None
        if requires_two_factor(user) and not user.is_verified():
            return None
        return user


bearer = BearerToken()
session = VerifiedSession()
AUTH = [bearer, session]
