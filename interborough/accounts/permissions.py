"""Who may do what in accounts: one place, used by views, API and the authorisation test."""

from enum import StrEnum

from interborough.accounts.models import Membership, Organisation, Role, User


class Capability(StrEnum):
    VIEW_INTERNAL = "view_internal"
    PUBLISH = "publish"
    SIGN_AGREEMENTS = "sign_agreements"
    APPROVE_OUTPUTS = "approve_outputs"
    MANAGE_MEMBERS = "manage_members"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.MEMBER: frozenset({Capability.VIEW_INTERNAL}),
    Role.PUBLISHER: frozenset({Capability.VIEW_INTERNAL, Capability.PUBLISH}),
    Role.IG_LEAD: frozenset(
        {Capability.VIEW_INTERNAL, Capability.SIGN_AGREEMENTS, Capability.APPROVE_OUTPUTS}
    ),
    Role.ORG_ADMIN: frozenset(
        {Capability.VIEW_INTERNAL, Capability.PUBLISH, Capability.MANAGE_MEMBERS}
    ),
}

# Roles whose holders must sign in with a second factor (as must platform staff).
TWO_FACTOR_ROLES = frozenset({Role.IG_LEAD, Role.ORG_ADMIN})


def acting_organisation_id(user: User) -> int | None:
    """The one organisation a request acts for, when its API token was issued for one."""
    return getattr(user, "acting_organisation_id", None)


def role_of(user: User, organisation: Organisation) -> str | None:
    """The person's role in the organisation; none through a token issued for another one."""
    if not user.is_authenticated:
        return None
    acting = acting_organisation_id(user)
    if acting is not None and acting != organisation.pk:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def has_capability(user: User, organisation: Organisation, capability: Capability) -> bool:
    """True when the person's role in the organisation grants the capability."""
    role = role_of(user, organisation)
    return role is not None and capability in ROLE_CAPABILITIES[role]


def can_manage_members(user: User, organisation: Organisation) -> bool:
    return user.is_authenticated and (
        user.is_staff or has_capability(user, organisation, Capability.MANAGE_MEMBERS)
    )


def can_onboard_organisations(user: User) -> bool:
    """Adding, deactivating and reactivating organisations is for platform staff only."""
    return user.is_authenticated and user.is_active and user.is_staff


def can_view_audit(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def requires_two_factor(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    annotated = getattr(user, "two_factor_role", None)  # set by EmailBackend.get_user
    if annotated is not None:
        return bool(annotated)
    return user.memberships.filter(role__in=TWO_FACTOR_ROLES).exists()


def can_reset_two_factor(user: User) -> bool:
    """Only platform staff reset someone else's authenticator app (after checking who asks)."""
    return user.is_authenticated and user.is_active and user.is_staff
