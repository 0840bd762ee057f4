import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts import services
from interborough.accounts.models import Membership
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(member):
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    return member


def _reset_url(member):
    membership = Membership.objects.get(user=member)
    return reverse(
        "accounts:member-two-factor-reset", args=[membership.organisation.slug, membership.pk]
    )


def test_staff_reset_a_members_authenticator_app(client_for, staff, enrolled):
    response = client_for(staff).post(_reset_url(enrolled), follow=True)
    assert b"authenticator app was removed" in response.content
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert AuditEvent.objects.filter(action="user.two_factor_reset", actor=staff).exists()


def test_organisation_admins_cannot_reset_two_factor(client_for, org_admin, enrolled):
    assert client_for(org_admin).post(_reset_url(enrolled)).status_code == 403
    assert TOTPDevice.objects.filter(user=enrolled).exists()


def test_reset_without_a_device_says_so_and_changes_nothing(client_for, staff, member):
    response = client_for(staff).post(_reset_url(member), follow=True)
    assert b"has no authenticator app" in response.content
    assert not AuditEvent.objects.filter(action="user.two_factor_reset").exists()


def test_staff_cannot_reset_their_own_two_factor(staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    with pytest.raises(ApplicationError, match="another member of platform staff"):
        services.two_factor_reset(by=staff, user=staff)


def test_two_factor_reset_service_refuses_non_staff(org_admin, enrolled):
    with pytest.raises(PermissionDeniedError):
        services.two_factor_reset(by=org_admin, user=enrolled)


def test_member_edit_offers_the_reset_only_to_staff(client_for, staff, org_admin, enrolled):
    membership = Membership.objects.get(user=enrolled)
    url = reverse("accounts:member-edit", args=[membership.organisation.slug, membership.pk])
    assert b"Reset two-factor sign-in" in client_for(staff).get(url).content
    assert b"Reset two-factor sign-in" not in client_for(org_admin).get(url).content


def _failed_sign_ins(username: str, *, failures: int) -> None:
    """The record django-axes keeps of failed sign-ins for a username."""
    AccessAttempt.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="test",
        failures_since_start=failures,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )


def test_password_reset_lifts_a_sign_in_lockout(member, password):
    _failed_sign_ins(member.email.upper(), failures=9)
    services.user_set_password(by=None, user=member, password=password, reason="reset")
    assert not AccessAttempt.objects.exists()


def test_password_change_keeps_the_lockout_record(member, password):
    _failed_sign_ins(member.email, failures=1)
    services.user_set_password(by=member, user=member, password=password, reason="change")
    assert AccessAttempt.objects.count() == 1
