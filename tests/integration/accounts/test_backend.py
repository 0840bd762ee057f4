import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts.backends import EmailBackend
from interborough.accounts.middleware import must_verify_two_factor
from interborough.accounts.models import Role
from tests.factories.accounts import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "device", "expected"),
    [
        (Role.MEMBER, False, False),
        (Role.PUBLISHER, True, True),
        (Role.IG_LEAD, False, True),
        (Role.ORG_ADMIN, False, True),
    ],
)
def test_get_user_carries_the_two_factor_facts_and_they_match_a_fresh_lookup(
    organisation, role, device, expected
):
    user = MembershipFactory(organisation=organisation, role=role).user
    if device:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    loaded = EmailBackend().get_user(user.pk)
    assert must_verify_two_factor(loaded) is expected
    assert must_verify_two_factor(type(user).objects.get(pk=user.pk)) is expected


def test_get_user_refuses_deactivated_people(db):
    user = UserFactory(is_active=False)
    assert EmailBackend().get_user(user.pk) is None


def test_email_sign_in_is_case_insensitive(db, password):
    user = UserFactory(email="ada@camden.example")
    assert (
        EmailBackend().authenticate(None, username="  ADA@Camden.Example ", password=password)
        == user
    )
    assert (
        EmailBackend().authenticate(None, username="ada@camden.example", password="wrong") is None
    )
