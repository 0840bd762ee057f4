"""Services and selectors added for the accounts pages: two-factor enrolment and scoped lookups."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts import selectors, services
from interborough.accounts.middleware import must_verify_two_factor
from interborough.accounts.models import Role
from interborough.core.errors import PermissionDeniedError
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_two_factor_device_pending_creates_once_and_is_audited_once():
    user = UserFactory()
    first = services.two_factor_device_pending(by=user)
    second = services.two_factor_device_pending(by=user)
    assert first == second and not first.confirmed
    assert AuditEvent.objects.filter(action="user.two_factor_start").count() == 1


def test_two_factor_device_activate_confirms_and_replaces_earlier_apps():
    user = UserFactory()
    old = TOTPDevice.objects.create(user=user, name="old", confirmed=True)
    new = services.two_factor_device_pending(by=user)
    services.two_factor_device_activate(by=user, device=new)
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert TOTPDevice.objects.get(pk=new.pk).confirmed
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    event = AuditEvent.objects.get(action="user.two_factor_enrol")
    assert event.actor == user


def test_two_factor_device_activate_refuses_someone_elses_device():
    owner, intruder = UserFactory(), UserFactory()
    device = services.two_factor_device_pending(by=owner)
    with pytest.raises(PermissionDeniedError):
        services.two_factor_device_activate(by=intruder, device=device)
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action="user.two_factor_enrol").exists()


def test_two_factor_device_selector_ignores_unconfirmed_and_other_peoples_apps():
    user, other = UserFactory(), UserFactory()
    TOTPDevice.objects.create(user=user, name="pending", confirmed=False)
    TOTPDevice.objects.create(user=other, name="theirs", confirmed=True)
    assert selectors.two_factor_device(user=user) is None
    mine = TOTPDevice.objects.create(user=user, name="mine", confirmed=True)
    assert selectors.two_factor_device(user=user) == mine


def test_organisation_membership_is_scoped_to_the_organisation(organisation, other_organisation):
    here = MembershipFactory(organisation=organisation)
    there = MembershipFactory(organisation=other_organisation)
    assert selectors.organisation_membership(organisation=organisation, pk=here.pk) == here
    assert selectors.organisation_membership(organisation=organisation, pk=there.pk) is None


def test_organisation_invitation_is_scoped_to_the_organisation(
    org_admin, organisation, other_organisation
):
    invitation, _ = services.invitation_create(
        by=org_admin, organisation=organisation, email="a@x.london"
    )
    found = selectors.organisation_invitation(organisation=organisation, pk=invitation.pk)
    assert found == invitation
    assert (
        selectors.organisation_invitation(organisation=other_organisation, pk=invitation.pk) is None
    )


@pytest.mark.parametrize(
    ("role", "is_staff", "has_app", "expected"),
    [
        (Role.MEMBER, False, False, False),
        (Role.PUBLISHER, False, False, False),
        (Role.MEMBER, False, True, True),
        (Role.IG_LEAD, False, False, True),
        (Role.ORG_ADMIN, False, False, True),
        (None, True, False, True),
    ],
)
def test_must_verify_two_factor(organisation, role, is_staff, has_app, expected):
    user = UserFactory(is_staff=is_staff)
    if role:
        MembershipFactory(user=user, organisation=organisation, role=role)
    if has_app:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert must_verify_two_factor(user) is expected


def test_must_verify_two_factor_is_false_for_anonymous_visitors():
    assert must_verify_two_factor(AnonymousUser()) is False
