"""Helpers for calling the API as a person with a bearer token."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.accounts.services import api_token_create


def issue_token(
    user: User,
    *,
    scope: str = "write",
    organisation: Organisation | None = None,
    days: int = 30,
) -> str:
    """A fresh token secret for `user`."""
    _token, issued = api_token_create(
        by=user,
        name=f"{scope} token",
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
        organisation=organisation,
    )
    return issued.secret


class ApiClient:
    """A Django test client that speaks JSON to /api/v1/ with an optional bearer token."""

    def __init__(self, secret: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str):
        return self.client.get(f"/api/v1{path}", params or {}, headers={**self.headers, **headers})

    def post(self, path: str, payload: Any = None, **headers: str):
        return self.client.post(
            f"/api/v1{path}",
            payload if payload is not None else {},
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def request(self, method: str, path: str, body: bytes = b"", **headers: str):
        return self.client.generic(
            method,
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers={**self.headers, **headers},
        )


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is the API's one error shape, with this status (and code)."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]
