import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


def test_sign_in_page_renders_the_form(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert reverse("accounts:password-reset").encode() in response.content


def test_sign_in_with_correct_details_goes_home(client, person, password):
    response = client.post(SIGN_IN, {"username": "PAT@example.london", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("ui:home")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_sign_in_with_wrong_password_shows_an_error(client, person):
    response = client.post(SIGN_IN, {"username": person.email, "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter a correct email address and password." in response.content
    assert "_auth_user_id" not in client.session


def test_sign_in_follows_a_safe_next(client, person, password):
    response = client.post(
        SIGN_IN, {"username": person.email, "password": password, "next": "/organisations/"}
    )
    assert response["Location"] == "/organisations/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil"]
)
def test_sign_in_ignores_an_unsafe_next(client, person, password, next_url):
    response = client.post(
        SIGN_IN, {"username": person.email, "password": password, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ui:home")


@pytest.mark.parametrize(
    "data",
    [
        {"username": LONG + "@example.london", "password": "x"},
        {"username": "not-an-email", "password": "x"},
        {"username": "pat@example.london", "password": LONG},
        {"username": "pat\x00@example.london", "password": "x"},
        {},
    ],
)
def test_sign_in_with_hostile_input_shows_field_errors(client, person, data):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_sign_in_locks_out_after_repeated_failures(client, person, password, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    bad = {"username": person.email, "password": "wrong-password-here"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(SIGN_IN, bad).status_code == 200

    locked = client.post(SIGN_IN, bad)
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert b"Too many attempts to sign in" in locked.content
    assert b"Wait 30 minutes" in locked.content

    # Even the right password is refused while the lock lasts.
    again = client.post(SIGN_IN, {"username": person.email, "password": password})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_in_lockout_is_per_account(client, person, password, settings):
    from tests.factories.accounts import UserFactory

    other = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": other.email, "password": "wrong-password-here"})
    response = client.post(SIGN_IN, {"username": person.email, "password": password})
    assert response.status_code == 302


def test_sign_in_sends_people_with_an_app_to_the_code_page(client, person, password):
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    response = client.post(
        SIGN_IN, {"username": person.email, "password": password, "next": "/organisations/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor") + "?next=%2Forganisations%2F"


def test_sign_in_sends_org_admins_to_two_factor(client, org_admin, password):
    response = client.post(SIGN_IN, {"username": org_admin.email, "password": password})
    assert response["Location"].startswith(reverse("accounts:two-factor"))


def test_sign_in_when_already_signed_in_redirects(client_for, person):
    response = client_for(person).get(SIGN_IN)
    assert response.status_code == 302


def test_sign_out_only_accepts_post(client_for, person):
    client = client_for(person)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_out_ignores_an_unsafe_next(client_for, person):
    response = client_for(person).post(
        reverse("accounts:sign-out"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("ui:home")


def test_sign_out_needs_csrf(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(reverse("accounts:sign-out")).status_code == 403


def test_sign_in_page_for_a_verified_person_goes_straight_on(client_for, org_admin):
    response = client_for(org_admin).get(SIGN_IN + "?next=/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
