import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from interborough.core.models import AuditEvent
from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2025"
RESET = reverse("accounts:password-reset")
CHANGE = reverse("accounts:password-change")


def _reset_link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/account/password-reset/[^\s]+/)", body).group(1)


def test_password_reset_end_to_end_by_email(client, person, password):
    response = client.post(RESET, {"email": "PAT@example.london"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "Reset your Interborough password"

    form_page = client.get(_reset_link_path(message.body), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert client.get(done["Location"]).status_code == 200

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and not person.check_password(password)
    event = AuditEvent.objects.get(action="user.set_password", object_id=str(person.pk))
    assert event.changes["after"] == {"reason": "reset"}
    assert NEW_PASSWORD not in str(event.changes)


def test_password_reset_link_works_only_once(client, person):
    client.post(RESET, {"email": person.email})
    path = _reset_link_path(mail.outbox[0].body)
    page = client.get(path, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    again = Client().get(path, follow=True)
    assert again.context["validlink"] is False
    assert b"This link does not work" in again.content


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post(RESET, {"email": "nobody@example.london"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not-an-email", LONG + "@example.london", "a@b\x00.com"])
def test_password_reset_rejects_bad_addresses(client, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert mail.outbox == []


def test_password_reset_with_a_forged_link_says_it_does_not_work(client, person):
    response = client.get(
        reverse("accounts:password-reset-confirm", args=["MQ", "forged-token"]), follow=True
    )
    assert response.status_code == 200
    assert response.context["validlink"] is False


@pytest.mark.parametrize(
    ("first", "second"),
    [("short", "short"), (NEW_PASSWORD, NEW_PASSWORD + "x"), ("password123", "password123")],
)
def test_password_reset_rejects_weak_or_mismatched_passwords(
    client, person, password, first, second
):
    client.post(RESET, {"email": person.email})
    page = client.get(_reset_link_path(mail.outbox[0].body), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": first, "new_password2": second}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    person.refresh_from_db()
    assert person.check_password(password)
    assert not AuditEvent.objects.filter(action="user.set_password").exists()


def test_password_change_keeps_the_session_and_is_audited(client_for, person, password):
    client = client_for(person)
    response = client.post(
        CHANGE,
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.set_password")
    assert event.actor == person and event.changes["after"] == {"reason": "change"}


def test_password_change_with_the_wrong_current_password_is_a_field_error(
    client_for, person, password
):
    response = client_for(person).post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    person.refresh_from_db()
    assert person.check_password(password)


def test_password_change_with_oversized_input_is_a_field_error(client_for, person, password):
    response = client_for(person).post(
        CHANGE, {"old_password": password, "new_password1": LONG, "new_password2": LONG}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password1"]


def test_password_change_anonymous_is_sent_to_sign_in(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
