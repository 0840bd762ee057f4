from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import ApiToken, TokenScope
from interborough.accounts.services import api_token_create
from interborough.accounts.tokens import secret_hash
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
TOKENS = reverse("accounts:token-list")


def _token(user, name="Nightly export", **kwargs):
    token, _ = api_token_create(
        by=user,
        name=name,
        scope=kwargs.pop("scope", TokenScope.READ),
        expires_at=timezone.now() + timedelta(days=30),
        **kwargs,
    )
    return token


def test_profile_shows_memberships_two_factor_and_links(client_for, member, organisation):
    response = client_for(member).get(PROFILE)
    assert response.status_code == 200
    content = response.content.decode()
    assert organisation.name in content and "Member" in content
    assert reverse("accounts:token-list") in content
    assert reverse("accounts:password-change") in content
    assert reverse("accounts:two-factor-setup") in content
    assert response.context["device"] is not None  # client_for enrols an app


def test_profile_says_two_factor_is_off_without_an_app(signed_in_client, person):
    response = signed_in_client(person).get(PROFILE)
    assert response.context["device"] is None
    assert b"Set up<span" in response.content


def test_profile_edit_saves_and_audits(client_for, person):
    response = client_for(person).post(
        PROFILE, {"full_name": "  Patricia Example ", "job_title": "Data lead"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.job_title) == ("Patricia Example", "Data lead")
    assert AuditEvent.objects.filter(action="user.update_profile", actor=person).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "", "job_title": ""},
        {"full_name": "   ", "job_title": ""},
        {"full_name": LONG, "job_title": ""},
        {"full_name": "Pat", "job_title": LONG},
        {"full_name": "Pat\x00", "job_title": ""},
    ],
)
def test_profile_edit_with_bad_input_shows_errors_and_saves_nothing(client_for, person, data):
    response = client_for(person).post(PROFILE, data)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    person.refresh_from_db()
    assert person.full_name == "Pat Example"
    assert not AuditEvent.objects.filter(action="user.update_profile").exists()


def test_profile_anonymous_is_sent_to_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in") + "?next=/account/"


def test_token_list_shows_only_my_tokens(client_for, member, person):
    _token(member, "Mine")
    _token(person, "Theirs")
    response = client_for(member).get(TOKENS)
    assert response.status_code == 200
    assert b"Mine" in response.content and b"Theirs" not in response.content
    assert response["Cache-Control"].startswith("max-age=0")


def test_token_create_shows_the_secret_once(client_for, member, organisation):
    client = client_for(member)
    response = client.post(
        TOKENS,
        {"name": "Power BI", "scope": "write", "expires_in": "90", "organisation": organisation.pk},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("ib_") and secret.encode() in response.content
    token = ApiToken.objects.get(user=member)
    assert token.token_hash == secret_hash(secret)
    assert (token.name, token.scope, token.organisation) == ("Power BI", "write", organisation)
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert "no-store" in response["Cache-Control"]

    # Never again: not in the list, the session or any later page.
    listing = client.get(TOKENS)
    assert secret.encode() not in listing.content
    assert secret not in str(dict(client.session))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scope": "read", "expires_in": "30"}, "name"),
        ({"name": LONG, "scope": "read", "expires_in": "30"}, "name"),
        ({"name": "x", "scope": "admin", "expires_in": "30"}, "scope"),
        ({"name": "x", "scope": "read", "expires_in": "9999"}, "expires_in"),
        ({"name": "x", "scope": "read", "expires_in": "-1"}, "expires_in"),
        ({"name": "x", "scope": "read", "expires_in": "2025-13-45"}, "expires_in"),
        ({"name": "x", "scope": "read", "expires_in": "30", "organisation": "abc"}, "organisation"),
    ],
)
def test_token_create_with_bad_input_shows_field_errors(client_for, member, data, field):
    response = client_for(member).post(TOKENS, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"govuk-error-summary" in response.content
    assert not ApiToken.objects.exists()


def test_token_create_for_another_organisation_is_refused(client_for, member, other_organisation):
    response = client_for(member).post(
        TOKENS,
        {"name": "x", "scope": "read", "expires_in": "30", "organisation": other_organisation.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "Choose one of your own organisations."
    ]
    assert not ApiToken.objects.exists()


def test_token_create_offers_only_my_organisations(
    client_for, member, organisation, other_organisation
):
    response = client_for(member).get(TOKENS)
    choices = list(response.context["form"].fields["organisation"].queryset)
    assert choices == [organisation]


def test_token_list_anonymous_is_sent_to_sign_in(client):
    assert client.get(TOKENS)["Location"].startswith(reverse("accounts:sign-in"))
    assert client.post(TOKENS, {"name": "x"})["Location"].startswith(reverse("accounts:sign-in"))
    assert not ApiToken.objects.exists()


def test_token_revoke_confirms_then_revokes(client_for, member):
    token = _token(member)
    client = client_for(member)
    url = reverse("accounts:token-revoke", args=[token.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Revoke token" in page.content
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_token_revoke_twice_explains(client_for, member):
    token = _token(member)
    client = client_for(member)
    url = reverse("accounts:token-revoke", args=[token.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert b"already revoked" in response.content


def test_token_revoke_of_someone_elses_token_is_not_found(client_for, member, person, staff):
    token = _token(person)
    url = reverse("accounts:token-revoke", args=[token.pk])
    assert client_for(member).get(url).status_code == 404
    assert client_for(member).post(url).status_code == 404
    assert client_for(staff).post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_revoke_anonymous_is_sent_to_sign_in(client, person):
    token = _token(person)
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_revoke_of_unknown_token_is_not_found(client_for, member):
    assert (
        client_for(member).post(reverse("accounts:token-revoke", args=[999999])).status_code == 404
    )


def test_token_list_shows_memberships_of_several_organisations(
    client_for, member, other_organisation
):
    MembershipFactory(user=member, organisation=other_organisation)
    response = client_for(member).get(TOKENS)
    assert len(response.context["form"].fields["organisation"].queryset) == 2
