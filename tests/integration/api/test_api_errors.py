"""Every API failure, even outside an endpoint, answers in the one error shape, never a 5xx."""

import json

import pytest
from django.test import Client

from interborough.accounts.models import ApiToken
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(member) -> ApiClient:
    return ApiClient(issue_token(member))


def test_unsupported_method_is_405_in_the_error_shape_with_allow(writer):
    response = writer.request("DELETE", "/tokens")

    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


@pytest.mark.parametrize("path", ["/", "/nowhere", "/organisations/camden/secrets", "/me/"])
def test_unknown_api_paths_are_404_in_the_error_shape(db, path):
    assert_error(ApiClient().get(path), 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"{", b"[]", b'"name"', b"null", b"42", b'{"name": 1e999}'],
    ids=["empty", "text", "truncated", "list", "string", "null", "number", "overflow"],
)
def test_wrong_or_missing_json_bodies_are_4xx(writer, member, body):
    response = writer.request("POST", "/tokens", body)

    assert_error(response, response.status_code)
    assert response.status_code in {400, 422}
    assert ApiToken.objects.filter(user=member).count() == 1


def test_body_with_the_wrong_content_type_is_4xx(writer):
    response = writer.client.post(
        "/api/v1/tokens",
        {"name": "form-encoded"},
        headers=writer.headers,
    )

    assert_error(response, response.status_code)
    assert 400 <= response.status_code < 500


def test_oversized_body_is_413(writer):
    body = json.dumps({"name": "x" * (3 * 1024 * 1024)}).encode()

    assert_error(writer.request("POST", "/tokens", body), 413, "request_too_large")


def test_too_many_query_fields_are_400(writer):
    query = "&".join(f"f{i}=1" for i in range(1500))

    assert_error(writer.client.get(f"/api/v1/organisations?{query}"), 400, "bad_request")


def test_oversized_query_string_is_4xx(db):
    response = Client().get("/api/v1/organisations", {"q": "x" * 200_000})

    assert_error(response, 422, "validation_error")


def test_unicode_and_control_characters_in_json_are_handled(writer):
    response = writer.post("/tokens", {"name": "Ŵŷ ✓ 🚲 \u202e\u0007"})

    assert response.status_code == 201
    assert response.json()["name"] == "Ŵŷ ✓ 🚲 \u202e\u0007"


def test_invalid_utf8_body_is_400(writer):
    assert_error(writer.request("POST", "/tokens", b'{"name": "\xff\xfe"}'), 400)


def test_openapi_document_and_docs_page_are_served(db):
    schema = Client().get("/api/v1/openapi.json")
    docs = Client().get("/api/v1/docs")

    assert schema.status_code == 200
    assert "/api/v1/tokens" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content
