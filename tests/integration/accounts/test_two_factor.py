import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.core.models import AuditEvent
from tests.integration.accounts.conftest import LONG, code_for, wrong_code_for

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:two-factor")
SETUP = reverse("accounts:two-factor-setup")


def test_two_factor_setup_then_sign_in_with_real_codes(person, password):
    client = Client()
    client.post(reverse("accounts:sign-in"), {"username": person.email, "password": password})

    page = client.get(SETUP)
    assert page.status_code == 200
    assert b"<svg" in page.content and b'role="img"' in page.content
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    shown_key = re.search(rb'id="totp-secret">([A-Z2-7 ]+)<', page.content).group(1)
    assert shown_key.replace(b" ", b"").decode() == page.context["secret"].replace(" ", "")

    done = client.post(SETUP, {"code": code_for(device)})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:profile")
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="user.two_factor_enrol", actor=person).exists()

    # Next sign-in: password, then a code from the app (a later one: codes are single use).
    client.post(reverse("accounts:sign-out"))
    signed_in = client.post(
        reverse("accounts:sign-in"), {"username": person.email, "password": password}
    )
    assert signed_in["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:profile"))["Location"].startswith(VERIFY)
    verified = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/account/"})
    assert verified.status_code == 302 and verified["Location"] == "/account/"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_two_factor_setup_keeps_the_same_key_across_reloads(signed_in_client, person):
    client = signed_in_client(person)
    first = client.get(SETUP).context["secret"]
    second = client.get(SETUP).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=person).count() == 1


def test_two_factor_setup_wrong_code_is_a_field_error(signed_in_client, person):
    client = signed_in_client(person)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=person)
    response = client.post(SETUP, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"The code is not correct" in response.content
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", LONG, "12\x0034"])
def test_two_factor_setup_malformed_code_is_a_field_error(signed_in_client, person, code):
    response = signed_in_client(person).post(SETUP, {"code": code})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()


def test_two_factor_setup_refuses_someone_with_only_the_password(signed_in_client, person):
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    response = signed_in_client(person).get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=person).count() == 1


def test_two_factor_setup_replaces_the_app_for_a_verified_person(client_for, person):
    client = client_for(person)
    old = TOTPDevice.objects.get(user=person, confirmed=True)
    page = client.get(SETUP)
    assert page.context["replacing"] is True
    new = TOTPDevice.objects.get(user=person, confirmed=False)
    assert client.post(SETUP, {"code": code_for(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=person)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_two_factor_setup_anonymous_is_sent_to_sign_in(client):
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_two_factor_verify_without_an_app_goes_to_setup(signed_in_client, org_admin):
    response = signed_in_client(org_admin).get(VERIFY + "?next=/organisations/")
    assert response.status_code == 302
    assert response["Location"] == SETUP + "?next=%2Forganisations%2F"


def test_two_factor_verify_wrong_code_is_a_field_error(signed_in_client, person):
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    client = signed_in_client(person)
    response = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert b"The code is not correct" in response.content
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_two_factor_verify_is_throttled_after_a_wrong_code(signed_in_client, person, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    client = signed_in_client(person)
    client.post(VERIFY, {"code": wrong_code_for(device)})

    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert b"Too many wrong codes" in response.content
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_two_factor_verify_refuses_a_code_already_used(signed_in_client, person):
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    code = code_for(device)
    assert signed_in_client(person).post(VERIFY, {"code": code}).status_code == 302
    replay = signed_in_client(person).post(VERIFY, {"code": code})
    assert replay.status_code == 200 and b"The code is not correct" in replay.content


def test_two_factor_verify_ignores_an_unsafe_next(signed_in_client, person):
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    response = signed_in_client(person).post(
        VERIFY, {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("ui:home")


def test_two_factor_middleware_applies_to_anyone_with_an_app(signed_in_client, person):
    client = signed_in_client(person)
    assert client.get(reverse("accounts:profile")).status_code == 200
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?next=%2Faccount%2F"


def test_two_factor_middleware_ignores_an_unconfirmed_app(signed_in_client, person):
    TOTPDevice.objects.create(user=person, name="phone", confirmed=False)
    assert signed_in_client(person).get(reverse("accounts:profile")).status_code == 200


def test_two_factor_middleware_applies_to_staff_without_an_app(signed_in_client, staff):
    response = signed_in_client(staff).get(reverse("ui:home"))
    assert response["Location"].startswith(VERIFY)
