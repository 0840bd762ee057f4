from html import escape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import Invitation, Membership, Role
from interborough.accounts.services import invitation_create
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db


def _url(name, organisation, *args):
    return reverse(f"accounts:{name}", args=[organisation.slug, *args])


def _other_admin(other_organisation):
    return MembershipFactory(organisation=other_organisation, role=Role.ORG_ADMIN).user


# member-list


def test_member_list_for_a_member_shows_people_and_roles(
    client_for, member, org_admin, organisation
):
    response = client_for(member).get(_url("member-list", organisation))
    assert response.status_code == 200
    assert escape(member.full_name).encode() in response.content
    assert b"Organisation admin" in response.content
    assert response.context["invitations"] is None
    assert _url("member-invite", organisation).encode() not in response.content


def test_member_list_for_an_admin_shows_invitations_with_withdraw_buttons(
    client_for, org_admin, organisation
):
    invitation, _ = invitation_create(by=org_admin, organisation=organisation, email="new@x.london")
    response = client_for(org_admin).get(_url("member-list", organisation))
    assert b"new@x.london" in response.content
    assert _url("invitation-revoke", organisation, invitation.pk).encode() in response.content
    assert _url("member-invite", organisation).encode() in response.content


def test_member_list_for_staff_is_allowed(client_for, staff, organisation):
    assert client_for(staff).get(_url("member-list", organisation)).status_code == 200


def test_member_list_for_another_organisation_is_forbidden(
    client_for, member, organisation, other_organisation
):
    outsider = MembershipFactory(organisation=other_organisation).user
    assert client_for(outsider).get(_url("member-list", organisation)).status_code == 403


def test_member_list_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.get(_url("member-list", organisation))
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# member-invite


def test_member_invite_sends_an_email_and_lists_the_invitation(
    client_for, org_admin, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org_admin).post(
            _url("member-invite", organisation), {"email": "New@Camden.gov.uk", "role": "publisher"}
        )
    assert response.status_code == 302
    assert response["Location"] == _url("member-list", organisation)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("new@camden.gov.uk", Role.PUBLISHER)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@camden.gov.uk"]
    assert organisation.name in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "", "role": "member"}, "email"),
        ({"email": "not-an-email", "role": "member"}, "email"),
        ({"email": LONG + "@x.london", "role": "member"}, "email"),
        ({"email": "a@x.london", "role": "overlord"}, "role"),
        ({"email": "a@x.london"}, "role"),
    ],
)
def test_member_invite_with_bad_input_shows_field_errors(
    client_for, org_admin, organisation, data, field
):
    response = client_for(org_admin).post(_url("member-invite", organisation), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"govuk-error-summary" in response.content
    assert not Invitation.objects.exists()


def test_member_invite_of_an_existing_member_is_a_field_error(
    client_for, org_admin, member, organisation
):
    response = client_for(org_admin).post(
        _url("member-invite", organisation), {"email": member.email.upper(), "role": "member"}
    )
    assert response.context["form"].errors["email"] == ["This person is already a member."]
    assert not Invitation.objects.exists()


def test_member_invite_by_a_plain_member_is_forbidden(client_for, member, organisation):
    response = client_for(member).post(
        _url("member-invite", organisation), {"email": "a@x.london", "role": "member"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_member_invite_by_another_organisations_admin_is_forbidden(
    client_for, organisation, other_organisation
):
    response = client_for(_other_admin(other_organisation)).post(
        _url("member-invite", organisation), {"email": "a@x.london", "role": "org_admin"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_member_invite_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.post(_url("member-invite", organisation), {"email": "a@x.london"})
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# member-edit


def test_member_edit_changes_a_role(client_for, org_admin, member, organisation):
    membership = Membership.objects.get(user=member)
    client = client_for(org_admin)
    assert client.get(_url("member-edit", organisation, membership.pk)).status_code == 200
    response = client.post(_url("member-edit", organisation, membership.pk), {"role": "ig_lead"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.IG_LEAD
    assert AuditEvent.objects.filter(action="membership.change_role").exists()


def test_member_edit_refuses_to_demote_the_last_admin(client_for, org_admin, organisation):
    membership = Membership.objects.get(user=org_admin)
    response = client_for(org_admin).post(
        _url("member-edit", organisation, membership.pk), {"role": "member"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["An organisation needs at least one admin."]
    assert b"govuk-error-summary" in response.content
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN


def test_member_edit_refuses_to_remove_the_last_admin(client_for, org_admin, organisation):
    membership = Membership.objects.get(user=org_admin)
    response = client_for(org_admin).post(
        _url("member-edit", organisation, membership.pk), {"action": "remove"}
    )
    assert response.status_code == 200
    assert b"An organisation needs at least one admin." in response.content
    assert b"govuk-error-summary" in response.content
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_member_edit_removes_a_member(client_for, org_admin, member, organisation):
    membership = Membership.objects.get(user=member)
    response = client_for(org_admin).post(
        _url("member-edit", organisation, membership.pk), {"action": "remove"}
    )
    assert response.status_code == 302 and response["Location"] == _url("member-list", organisation)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.remove").exists()


def test_member_edit_after_removing_oneself_goes_to_the_organisation_page(
    client_for, org_admin, organisation
):
    MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN)
    mine = Membership.objects.get(user=org_admin)
    response = client_for(org_admin).post(
        _url("member-edit", organisation, mine.pk), {"action": "remove"}
    )
    assert response["Location"] == reverse("accounts:organisation-detail", args=[organisation.slug])


@pytest.mark.parametrize("data", [{"role": "overlord"}, {"role": LONG}, {}])
def test_member_edit_with_bad_input_shows_field_errors(
    client_for, org_admin, member, organisation, data
):
    membership = Membership.objects.get(user=member)
    response = client_for(org_admin).post(_url("member-edit", organisation, membership.pk), data)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_member_edit_of_another_organisations_membership_is_not_found(
    client_for, org_admin, organisation, other_organisation
):
    elsewhere = MembershipFactory(organisation=other_organisation)
    url = _url("member-edit", organisation, elsewhere.pk)
    assert client_for(org_admin).post(url, {"action": "remove"}).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_member_edit_by_a_plain_member_is_forbidden(client_for, member, org_admin, organisation):
    target = Membership.objects.get(user=org_admin)
    url = _url("member-edit", organisation, target.pk)
    assert client_for(member).get(url).status_code == 403
    assert client_for(member).post(url, {"action": "remove"}).status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()


def test_member_edit_by_another_organisations_admin_is_forbidden(
    client_for, member, organisation, other_organisation
):
    target = Membership.objects.get(user=member)
    response = client_for(_other_admin(other_organisation)).post(
        _url("member-edit", organisation, target.pk), {"role": "org_admin"}
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.MEMBER


def test_member_edit_anonymous_is_sent_to_sign_in(client, member, organisation):
    target = Membership.objects.get(user=member)
    response = client.post(_url("member-edit", organisation, target.pk), {"action": "remove"})
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert Membership.objects.filter(pk=target.pk).exists()


# invitation-revoke


def test_invitation_revoke_confirms_then_withdraws(client_for, org_admin, organisation):
    invitation, _ = invitation_create(by=org_admin, organisation=organisation, email="a@x.london")
    client = client_for(org_admin)
    url = _url("invitation-revoke", organisation, invitation.pk)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_revoke_twice_explains(client_for, org_admin, organisation):
    invitation, _ = invitation_create(by=org_admin, organisation=organisation, email="a@x.london")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    response = client_for(org_admin).post(
        _url("invitation-revoke", organisation, invitation.pk), follow=True
    )
    assert b"Only open invitations can be withdrawn." in response.content


def test_invitation_revoke_by_a_plain_member_is_forbidden(
    client_for, org_admin, member, organisation
):
    invitation, _ = invitation_create(by=org_admin, organisation=organisation, email="a@x.london")
    url = _url("invitation-revoke", organisation, invitation.pk)
    assert client_for(member).post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_revoke_through_another_organisation_is_not_found(
    client_for, org_admin, organisation, other_organisation
):
    other_admin = _other_admin(other_organisation)
    invitation, _ = invitation_create(by=org_admin, organisation=organisation, email="a@x.london")
    # The other organisation's admin uses their own slug with our invitation's id.
    url = _url("invitation-revoke", other_organisation, invitation.pk)
    assert client_for(other_admin).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_revoke_anonymous_is_sent_to_sign_in(client, org_admin, organisation):
    invitation, _ = invitation_create(by=org_admin, organisation=organisation, email="a@x.london")
    response = client.post(_url("invitation-revoke", organisation, invitation.pk))
    assert response["Location"].startswith(reverse("accounts:sign-in"))
