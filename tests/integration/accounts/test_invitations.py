import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import Invitation, Membership, Role, User
from interborough.accounts.services import invitation_create
from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-enough-passphrase"


def _invite(org_admin, organisation, email="joiner@camden.gov.uk", role=Role.PUBLISHER):
    invitation, issued = invitation_create(
        by=org_admin, organisation=organisation, email=email, role=role
    )
    return invitation, reverse("accounts:invitation-accept", args=[issued.secret])


def test_invitation_end_to_end_by_email(
    client_for, org_admin, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(org_admin).post(
            reverse("accounts:member-invite", args=[organisation.slug]),
            {"email": "joiner@camden.gov.uk", "role": "publisher"},
        )
    link = re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", mail.outbox[0].body).group(1)

    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert b"Create account and join" in page.content
    response = invitee.post(
        link, {"full_name": "Jo Iner", "password1": PASSPHRASE, "password2": PASSPHRASE}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation-detail", args=[organisation.slug])

    user = User.objects.get(email="joiner@camden.gov.uk")
    assert user.full_name == "Jo Iner" and user.check_password(PASSPHRASE)
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.PUBLISHER
    assert invitee.get(reverse("accounts:profile")).status_code == 200  # signed in
    assert invitee.get(link).status_code == 410  # used up


def test_invitation_for_an_admin_role_leads_to_two_factor_setup(org_admin, organisation):
    _, link = _invite(org_admin, organisation, role=Role.ORG_ADMIN)
    invitee = Client()
    invitee.post(link, {"full_name": "Ad Min", "password1": PASSPHRASE, "password2": PASSPHRASE})
    response = invitee.get(reverse("ui:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor-setup"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "", "password1": PASSPHRASE, "password2": PASSPHRASE}, "full_name"),
        ({"full_name": LONG, "password1": PASSPHRASE, "password2": PASSPHRASE}, "full_name"),
        ({"full_name": "Jo", "password1": PASSPHRASE, "password2": "different"}, "password2"),
        ({"full_name": "Jo", "password1": "short", "password2": "short"}, "password1"),
        (
            {"full_name": "Jo", "password1": "password1234", "password2": "password1234"},
            "password1",
        ),
        (
            {"full_name": "Jo", "password1": "joiner@camden", "password2": "joiner@camden"},
            "password1",
        ),
        ({"full_name": "Jo", "password1": LONG, "password2": LONG}, "password1"),
    ],
)
def test_invitation_account_form_rejects_bad_input(client, org_admin, organisation, data, field):
    invitation, link = _invite(org_admin, organisation)
    response = client.post(link, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"govuk-error-summary" in response.content
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_accept_as_the_signed_in_invitee(client_for, org_admin, person, organisation):
    _, link = _invite(org_admin, organisation, email=person.email.upper())
    client = client_for(person)
    page = client.get(link)
    assert page.status_code == 200 and b"Accept invitation" in page.content
    assert not Membership.objects.filter(user=person).exists()
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=person).role == Role.PUBLISHER


def test_invitation_accept_when_already_a_member_explains(
    client_for, org_admin, person, organisation
):
    _, link = _invite(org_admin, organisation, email=person.email)
    Membership.objects.create(user=person, organisation=organisation, role=Role.MEMBER)
    response = client_for(person).post(link)
    assert response.status_code == 200
    assert b"already a member" in response.content
    assert Membership.objects.get(user=person).role == Role.MEMBER


def test_invitation_signed_in_as_someone_else_offers_sign_out(
    client_for, org_admin, member, organisation
):
    invitation, link = _invite(org_admin, organisation)
    client = client_for(member)
    page = client.get(link)
    assert page.status_code == 403
    assert b"This invitation is for someone else" in page.content
    assert reverse("accounts:sign-out").encode() in page.content
    assert client.post(link).status_code == 403
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    signed_out = client.post(reverse("accounts:sign-out"), {"next": link})
    assert signed_out["Location"] == link


def test_invitation_for_an_existing_account_asks_to_sign_in(
    client, org_admin, person, organisation
):
    _, link = _invite(org_admin, organisation, email=person.email)
    response = client.get(link)
    assert response.status_code == 200
    assert b"already has an Interborough account" in response.content
    response = client.post(
        link, {"full_name": "Takeover", "password1": PASSPHRASE, "password2": PASSPHRASE}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.full_name == "Pat Example"
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.parametrize("secret", ["not-a-real-secret", "x" * 5000])
def test_invitation_with_an_unknown_secret_is_not_found(client, secret):
    response = client.get(reverse("accounts:invitation-accept", args=[secret]))
    assert response.status_code == 404
    assert b"This invitation link does not work" in response.content


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"expires_at": timezone.now() - timedelta(days=1)}, b"expired"),
        ({"revoked_at": timezone.now()}, b"withdrawn"),
        ({"accepted_at": timezone.now()}, b"already been accepted"),
    ],
)
def test_invitation_no_longer_open_is_gone(client, org_admin, organisation, change, text):
    invitation, link = _invite(org_admin, organisation)
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    response = client.get(link)
    assert response.status_code == 410
    assert text in response.content
    post = client.post(link, {"full_name": "Jo", "password1": PASSPHRASE, "password2": PASSPHRASE})
    assert post.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()
