"""Reads for organisations, people, memberships, invitations and tokens, scoped to the viewer."""

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts import permissions
from interborough.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationType,
    User,
)
from interborough.core.errors import PermissionDeniedError


def organisation_list(*, type: str = "", q: str = "") -> QuerySet[Organisation]:
    """Active organisations for the public directory, with member counts."""
    qs = Organisation.objects.filter(is_active=True).defer("boundary")
    if type in OrganisationType.values:
        qs = qs.filter(type=type)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(gss_code__iexact=q))
    return qs.order_by("name")


def organisation_by_slug(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug, is_active=True).first()


def organisation_for_viewer(*, viewer: User, slug: str) -> Organisation | None:
    """An organisation's page: active ones for everyone, deactivated ones for platform staff too."""
    qs = Organisation.objects.filter(slug=slug)
    if not permissions.can_onboard_organisations(viewer):
        qs = qs.filter(is_active=True)
    return qs.first()


def organisation_deactivated_list(*, viewer: User) -> QuerySet[Organisation]:
    """Deactivated organisations, for platform staff (nobody else sees them)."""
    if not permissions.can_onboard_organisations(viewer):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=False).defer("boundary").order_by("name")


def borough_boundaries_version() -> str:
    """Changes whenever a local authority's record (and so possibly its boundary) changes."""
    latest = (
        Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return latest.isoformat() if latest else "none"


def borough_feature_collection() -> dict:
    """Local authorities as a GeoJSON FeatureCollection for the directory map."""
    features = [
        {
            "type": "Feature",
            "geometry": org.boundary,
            "properties": {
                "code": org.gss_code,
                "name": org.short_name or org.name,
                "slug": org.slug,
            },
        }
        for org in Organisation.objects.filter(
            type=OrganisationType.LOCAL_AUTHORITY, is_active=True, boundary__isnull=False
        ).order_by("gss_code")
    ]
    return {"type": "FeatureCollection", "features": features}


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """The viewer's own memberships, with organisations."""
    return Membership.objects.filter(user=user).select_related("organisation")


def organisations_where_publishing(*, user: User) -> list[Organisation]:
    """The active organisations this person may publish for (projects, datasets)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return [
        m.organisation
        for m in memberships_of(user=user)
        if m.organisation.is_active
        and permissions.has_capability(user, m.organisation, permissions.Capability.PUBLISH)
    ]


def organisation_members(*, viewer: User, organisation: Organisation) -> QuerySet[Membership]:
    """Members of an organisation; visible to its own members and to platform staff."""
    if not (
        viewer.is_staff
        or Membership.objects.filter(user=viewer, organisation=organisation).exists()
    ):
        raise PermissionDeniedError("Only members of this organisation can see its people.")
    return Membership.objects.filter(organisation=organisation).select_related("user")


def organisation_open_invitations(
    *, viewer: User, organisation: Organisation
) -> QuerySet[Invitation]:
    """Open invitations, for those who manage the organisation's members."""
    if not permissions.can_manage_members(viewer, organisation):
        raise PermissionDeniedError()
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def api_token_list(*, viewer: User) -> QuerySet[ApiToken]:
    """The viewer's own API tokens, newest first."""
    return ApiToken.objects.filter(user=viewer).select_related("organisation")


def two_factor_device(*, user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def organisation_membership(*, organisation: Organisation, pk: int) -> Membership | None:
    """One membership of an organisation (None when the id belongs to another organisation)."""
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )


def organisation_invitation(*, organisation: Organisation, pk: int) -> Invitation | None:
    """One invitation to an organisation (None when the id belongs to another organisation)."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
