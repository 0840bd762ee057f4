"""Your own API tokens in API v1: list, create (secret shown once), revoke."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interborough.accounts.models import ApiToken
from interborough.accounts.services import membership_remove
from interborough.accounts.tokens import secret_hash
from interborough.core.models import AuditEvent
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db


def _in(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def test_token_list_shows_only_your_own_tokens_without_secrets(member, org_admin):
    secret = issue_token(member, scope="read")
    issue_token(org_admin)

    response = ApiClient(secret).get("/tokens")

    assert response.status_code == 200
    tokens = response.json()
    assert [t["scope"] for t in tokens] == ["read"]
    assert "secret" not in tokens[0]
    assert secret not in response.content.decode()


def test_token_create_returns_the_secret_once_and_stores_only_its_hash(member):
    response = ApiClient(issue_token(member)).post(
        "/tokens", {"name": "Reporting job", "scope": "read", "expires_at": _in(10)}
    )

    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert body["secret"].startswith(body["prefix"])
    assert token.token_hash == secret_hash(body["secret"])
    assert token.user == member
    assert body["name"] == "Reporting job"
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()
    listed = ApiClient(body["secret"]).get("/tokens")
    assert body["secret"] not in listed.content.decode()


def test_token_create_works_from_a_verified_session(client_for, member):
    response = ApiClient(client=client_for(member)).post("/tokens", {"name": "From the browser"})

    assert response.status_code == 201
    expires = ApiToken.objects.get(pk=response.json()["id"]).expires_at
    assert timedelta(days=89) < expires - timezone.now() <= timedelta(days=90)


def test_token_create_needs_authentication(db):
    assert_error(ApiClient().post("/tokens", {"name": "x"}), 401, "not_authenticated")


def test_token_create_with_a_read_token_is_refused(member):
    response = ApiClient(issue_token(member, scope="read")).post(
        "/tokens", {"name": "x", "scope": "read"}
    )

    assert_error(response, 403, "insufficient_scope")
    assert ApiToken.objects.filter(user=member).count() == 1


def test_token_create_cannot_outlive_the_creating_token(member):
    client = ApiClient(issue_token(member, days=5))

    response = client.post("/tokens", {"name": "x", "expires_at": _in(6)})

    assert_error(response, 403, "insufficient_scope")
    assert ApiToken.objects.filter(user=member).count() == 1


def test_token_create_defaults_to_the_creating_tokens_expiry_when_sooner(member):
    parent_secret = issue_token(member, days=5)
    parent = ApiToken.objects.get(user=member)

    response = ApiClient(parent_secret).post("/tokens", {"name": "child"})

    assert response.status_code == 201
    assert ApiToken.objects.get(pk=response.json()["id"]).expires_at == parent.expires_at


def test_token_for_one_organisation_cannot_create_an_unbound_token(member, organisation):
    client = ApiClient(issue_token(member, organisation=organisation))

    refused = client.post("/tokens", {"name": "x"})
    allowed = client.post("/tokens", {"name": "y", "organisation": "camden"})

    assert_error(refused, 403, "insufficient_scope")
    assert allowed.status_code == 201
    assert allowed.json()["organisation"] == "camden"


def test_token_create_for_an_organisation_you_do_not_belong_to_is_400(member, other_organisation):
    response = ApiClient(issue_token(member)).post(
        "/tokens", {"name": "x", "organisation": "hackney"}
    )

    error = assert_error(response, 400)
    assert error["fields"] == [{"field": "organisation", "message": error["message"]}]


def test_token_create_for_an_unknown_organisation_is_400(member):
    response = ApiClient(issue_token(member)).post(
        "/tokens", {"name": "x", "organisation": "atlantis"}
    )

    assert assert_error(response, 400)["fields"][0]["field"] == "organisation"


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({}, 422, "name"),
        ({"name": ""}, 422, "name"),
        ({"name": "   "}, 400, "name"),
        ({"name": "x" * 101}, 422, "name"),
        ({"name": "nul\x00"}, 422, "name"),
        ({"name": ["a"]}, 422, "name"),
        ({"name": "x", "scope": "admin"}, 422, "scope"),
        ({"name": "x", "expires_at": "2030-01-01T00:00:00"}, 422, "expires_at"),
        ({"name": "x", "expires_at": "next week"}, 422, "expires_at"),
        ({"name": "x", "expires_at": "9999-12-31T23:59:59-23:59"}, 422, "expires_at"),
        ({"name": "x", "expires_at": "2001-01-01T00:00:00Z"}, 400, "expires_at"),
        ({"name": "x", "organisation": "no spaces"}, 422, "organisation"),
    ],
)
def test_token_create_with_bad_input_gets_field_errors(member, payload, status, field):
    response = ApiClient(issue_token(member)).post("/tokens", payload)

    error = assert_error(response, status)
    assert field in [f["field"] for f in error["fields"]]
    assert ApiToken.objects.filter(user=member).count() == 1


def test_token_create_more_than_a_year_ahead_is_400(client_for, member):
    response = ApiClient(client=client_for(member)).post(
        "/tokens", {"name": "x", "expires_at": _in(400)}
    )

    assert assert_error(response, 400)["fields"][0]["field"] == "expires_at"


def test_token_revoke_revokes_your_own_token(member):
    client = ApiClient(issue_token(member))
    other = ApiToken.objects.get(pk=client.post("/tokens", {"name": "spare"}).json()["id"])

    response = client.post(f"/tokens/{other.pk}/revoke")

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    other.refresh_from_db()
    assert other.revoked_at is not None


def test_token_revoke_of_someone_elses_token_is_404_and_changes_nothing(member, staff):
    issue_token(member)
    victim = ApiToken.objects.get(user=member)

    response = ApiClient(issue_token(staff)).post(f"/tokens/{victim.pk}/revoke")

    assert_error(response, 404, "not_found")
    victim.refresh_from_db()
    assert victim.revoked_at is None


def test_token_revoke_twice_is_a_400(member):
    client = ApiClient(issue_token(member))
    spare = client.post("/tokens", {"name": "spare"}).json()["id"]
    client.post(f"/tokens/{spare}/revoke")

    assert_error(client.post(f"/tokens/{spare}/revoke"), 400)


def test_token_revoke_of_the_token_in_use_ends_its_access(member):
    secret = issue_token(member)
    token = ApiToken.objects.get(user=member)

    assert ApiClient(secret).post(f"/tokens/{token.pk}/revoke").status_code == 200
    assert_error(ApiClient(secret).get("/me"), 401)


@pytest.mark.parametrize(
    "token_id, status", [("0", 422), ("-1", 422), ("abc", 422), (str(10**30), 422), ("9" * 18, 404)]
)
def test_token_revoke_with_bad_ids(member, token_id, status):
    assert_error(ApiClient(issue_token(member)).post(f"/tokens/{token_id}/revoke"), status)


def test_token_revoke_with_a_read_token_is_insufficient_scope(member):
    secret = issue_token(member, scope="read")
    token = ApiToken.objects.get(user=member)

    response = ApiClient(secret).post(f"/tokens/{token.pk}/revoke")

    assert_error(response, 403, "insufficient_scope")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_for_an_organisation_you_left_stops_working(member, organisation, org_admin):
    secret = issue_token(member, organisation=organisation)
    membership = member.memberships.get(organisation=organisation)

    membership_remove(by=org_admin, membership=membership)

    assert_error(ApiClient(secret).get("/me"), 401)
