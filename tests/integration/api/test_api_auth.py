"""Bearer-token and session authentication for API v1."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts.models import ApiToken
from interborough.accounts.services import api_token_revoke
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db


def test_bearer_token_authenticates_its_owner(member):
    response = ApiClient(issue_token(member, scope="read")).get("/me")

    assert response.status_code == 200
    assert response.json()["email"] == member.email


def test_bearer_token_use_records_last_used_time(member):
    secret = issue_token(member, scope="read")
    token = ApiToken.objects.get(user=member)
    assert token.last_used_at is None

    ApiClient(secret).get("/me")
    token.refresh_from_db()
    first_use = token.last_used_at
    ApiClient(secret).get("/tokens")
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at >= first_use


def test_no_credentials_get_401_with_the_error_shape(db):
    response = ApiClient().get("/me")

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer ib_",
        "Bearer not-a-token",
        "Bearer ib_" + "x" * 43,
        "Bearer ib_ab cd",
        "bearer ib_\u00e9\u00e9\u00e9",
        "Bearer " + "ib_" + "A" * 5000,
    ],
    ids=["empty", "space", "prefix-only", "no-prefix", "unknown", "spaces", "latin1", "oversized"],
)
def test_malformed_unknown_or_oversized_tokens_get_401(member, header):
    response = Client().get("/api/v1/me", headers={"Authorization": header})

    assert_error(response, 401, "not_authenticated")


def test_expired_token_gets_401(member):
    secret = issue_token(member)
    ApiToken.objects.filter(user=member).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_error(ApiClient(secret).get("/me"), 401, "not_authenticated")


def test_revoked_token_gets_401(member):
    secret = issue_token(member)
    api_token_revoke(by=member, token=ApiToken.objects.get(user=member))

    assert_error(ApiClient(secret).get("/me"), 401, "not_authenticated")


def test_token_of_a_deactivated_person_gets_401(member):
    secret = issue_token(member)
    member.is_active = False
    member.save()

    assert_error(ApiClient(secret).get("/me"), 401, "not_authenticated")


def test_read_token_on_a_write_gets_403_insufficient_scope(member):
    client = ApiClient(issue_token(member, scope="read"))

    response = client.post("/tokens", {"name": "sneaky", "scope": "read"})

    assert_error(response, 403, "insufficient_scope")
    assert ApiToken.objects.filter(user=member).count() == 1


def test_a_bad_token_is_401_even_with_a_signed_in_session(client_for, member):
    session_client = client_for(member)

    response = ApiClient("ib_wrong", client=session_client).get("/me")

    assert_error(response, 401, "not_authenticated")


def test_session_of_a_signed_in_member_authenticates(client_for, member):
    response = ApiClient(client=client_for(member)).get("/me")

    assert response.status_code == 200
    assert response.json()["email"] == member.email


def test_session_without_required_second_factor_gets_401(org_admin):
    client = Client()
    client.force_login(org_admin)

    assert_error(ApiClient(client=client).get("/me"), 401, "not_authenticated")


def test_session_write_without_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = ApiClient(client=client).post("/tokens", {"name": "from the browser"})

    assert_error(response, 403, "csrf_failed")
    assert not ApiToken.objects.filter(user=member).exists()


def test_anonymous_write_is_401_not_a_csrf_failure(db):
    client = Client(enforce_csrf_checks=True)

    assert_error(ApiClient(client=client).post("/tokens", {"name": "x"}), 401)


def test_another_authorization_scheme_falls_back_to_the_session(client_for, member):
    client = client_for(member)

    response = client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert response.status_code == 200


def test_session_of_a_member_who_enrolled_an_app_needs_it_verified(member):
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    client = Client()
    client.force_login(member)

    assert_error(ApiClient(client=client).get("/me"), 401, "not_authenticated")
