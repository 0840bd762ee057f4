"""Services written with the foundation: reference organisations, people, memberships, tokens."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interborough.accounts import services
from interborough.accounts.models import ApiToken, Membership, Organisation, OrganisationType, Role
from interborough.accounts.permissions import Capability, has_capability, requires_two_factor
from interborough.accounts.tokens import secret_hash
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisations_load_reference_creates_all_33_london_authorities_with_boundaries():
    services.organisations_load_reference()
    councils = Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY)
    assert councils.count() == 33
    codes = sorted(councils.values_list("gss_code", flat=True))
    assert codes == [f"E09{n:06d}" for n in range(1, 34)]
    assert councils.get(gss_code="E09000001").short_name == "City of London"
    assert councils.get(gss_code="E09000033").name == "Westminster City Council"
    assert all(c.boundary and c.boundary["type"] in {"Polygon", "MultiPolygon"} for c in councils)


def test_organisations_load_reference_includes_partner_bodies_of_each_type():
    services.organisations_load_reference()
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert {"gla", "tfl", "london-fire-brigade", "met-police", "london-councils"} <= slugs
    types = set(Organisation.objects.values_list("type", flat=True))
    assert {OrganisationType.PUBLIC_BODY, OrganisationType.UNIVERSITY} <= types


def test_organisations_load_reference_is_idempotent_and_audited_once():
    first = services.organisations_load_reference()
    events = AuditEvent.objects.count()
    second = services.organisations_load_reference()
    assert first == Organisation.objects.count()
    assert second == 0
    assert AuditEvent.objects.count() == events


def test_user_create_rejects_duplicates_case_insensitively():
    services.user_create(by=None, email="Ada@Camden.gov.uk", full_name="Ada")
    with pytest.raises(ApplicationError, match="already exists"):
        services.user_create(by=None, email="ada@camden.GOV.uk", full_name="Ada again")


def test_user_create_applies_password_rules():
    with pytest.raises(ApplicationError) as err:
        services.user_create(by=None, email="weak@example.london", full_name="W", password="123")
    assert err.value.field == "password"


def test_user_create_hashes_passwords_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = services.user_create(
        by=None, email="argon@example.london", full_name="A", password="a-long-enough-passphrase"
    )
    assert user.password.startswith("argon2$")


def test_membership_change_role_keeps_at_least_one_admin(org_admin, organisation):
    membership = Membership.objects.get(user=org_admin)
    with pytest.raises(ApplicationError, match="at least one admin"):
        services.membership_change_role(by=org_admin, membership=membership, role=Role.MEMBER)


def test_membership_change_role_is_forbidden_to_plain_members(member, organisation):
    other = MembershipFactory(organisation=organisation)
    with pytest.raises(PermissionDeniedError):
        services.membership_change_role(by=member, membership=other, role=Role.PUBLISHER)


def test_membership_remove_revokes_the_persons_tokens_for_that_organisation(
    org_admin, member, organisation
):
    token, _ = services.api_token_create(
        by=member,
        name="t",
        scope="read",
        organisation=organisation,
        expires_at=timezone.now() + timedelta(days=5),
    )
    services.membership_remove(by=org_admin, membership=Membership.objects.get(user=member))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_invitation_create_emails_a_link_and_stores_only_a_hash(
    org_admin, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, issued = services.invitation_create(
            by=org_admin, organisation=organisation, email="New@Camden.gov.uk", role=Role.PUBLISHER
        )
    assert invitation.token_hash == secret_hash(issued.secret)
    assert issued.secret not in str(invitation.__dict__)
    assert len(mail.outbox) == 1 and issued.secret in mail.outbox[0].body


def test_invitation_accept_creates_the_account_and_membership(org_admin, organisation):
    _, issued = services.invitation_create(
        by=org_admin, organisation=organisation, email="joiner@camden.gov.uk", role=Role.PUBLISHER
    )
    membership = services.invitation_accept(
        secret=issued.secret, user=None, full_name="Jo Iner", password="a-long-enough-passphrase"
    )
    assert membership.role == Role.PUBLISHER
    with pytest.raises(ApplicationError, match="expired or has already been used"):
        services.invitation_accept(
            secret=issued.secret, user=None, full_name="Again", password="a-long-enough-passphrase"
        )


def test_invitation_accept_refuses_a_different_signed_in_person(org_admin, organisation, member):
    _, issued = services.invitation_create(
        by=org_admin, organisation=organisation, email="someone@camden.gov.uk"
    )
    with pytest.raises(ApplicationError, match="different email"):
        services.invitation_accept(secret=issued.secret, user=member)


def test_api_token_create_stores_only_a_hash_and_shows_the_secret_once(member):
    token, issued = services.api_token_create(
        by=member, name="ETL", scope="write", expires_at=timezone.now() + timedelta(days=30)
    )
    assert issued.secret.startswith("ib_")
    assert ApiToken.objects.filter(token_hash=secret_hash(issued.secret)).exists()
    assert not ApiToken.objects.filter(token_hash=issued.secret).exists()
    assert token.prefix == issued.secret[: len(token.prefix)]


@pytest.mark.parametrize(("days", "message"), [(-1, "future"), (400, "at most a year")])
def test_api_token_create_bounds_the_expiry(member, days, message):
    with pytest.raises(ApplicationError, match=message):
        services.api_token_create(
            by=member, name="x", scope="read", expires_at=timezone.now() + timedelta(days=days)
        )


def test_api_token_create_refuses_someone_elses_organisation(member, other_organisation):
    with pytest.raises(ApplicationError, match="your own organisations"):
        services.api_token_create(
            by=member,
            name="x",
            scope="read",
            organisation=other_organisation,
            expires_at=timezone.now() + timedelta(days=1),
        )


def test_api_token_authenticate_records_use_and_refuses_revoked_or_expired(member):
    token, issued = services.api_token_create(
        by=member, name="x", scope="read", expires_at=timezone.now() + timedelta(days=1)
    )
    assert services.api_token_authenticate(issued.secret).pk == token.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    services.api_token_revoke(by=member, token=token)
    assert services.api_token_authenticate(issued.secret) is None
    _, expired = services.api_token_create(
        by=member, name="y", scope="read", expires_at=timezone.now() + timedelta(seconds=30)
    )
    ApiToken.objects.filter(name="y").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.api_token_authenticate(expired.secret) is None


@pytest.mark.parametrize("garbage", ["", "ib_", "ib_" + "x" * 500, "Bearer ib_abc", "\x00ib_x"])
def test_api_token_authenticate_rejects_garbage(member, garbage):
    assert services.api_token_authenticate(garbage) is None


def test_api_token_revoke_is_only_for_the_owner_or_staff(member, staff):
    token, _ = services.api_token_create(
        by=member, name="x", scope="read", expires_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(PermissionDeniedError):
        services.api_token_revoke(by=UserFactory(), token=token)
    services.api_token_revoke(by=staff, token=token)


@pytest.mark.parametrize(
    ("role", "capability", "expected"),
    [
        (Role.MEMBER, Capability.PUBLISH, False),
        (Role.PUBLISHER, Capability.PUBLISH, True),
        (Role.IG_LEAD, Capability.SIGN_AGREEMENTS, True),
        (Role.PUBLISHER, Capability.SIGN_AGREEMENTS, False),
        (Role.ORG_ADMIN, Capability.MANAGE_MEMBERS, True),
        (Role.IG_LEAD, Capability.MANAGE_MEMBERS, False),
    ],
)
def test_role_capabilities(organisation, role, capability, expected):
    user = MembershipFactory(organisation=organisation, role=role).user
    assert has_capability(user, organisation, capability) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.MEMBER, False), (Role.PUBLISHER, False), (Role.IG_LEAD, True), (Role.ORG_ADMIN, True)],
)
def test_two_factor_is_required_for_ig_leads_admins_and_staff(organisation, staff, role, expected):
    assert (
        requires_two_factor(MembershipFactory(organisation=organisation, role=role).user)
        is expected
    )
    assert requires_two_factor(staff) is True


def test_api_token_create_refuses_a_deactivated_organisation(member, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(is_active=False)
    organisation.refresh_from_db()
    with pytest.raises(ApplicationError, match="your own organisations"):
        services.api_token_create(
            by=member,
            name="x",
            scope="read",
            organisation=organisation,
            expires_at=timezone.now() + timedelta(days=1),
        )
