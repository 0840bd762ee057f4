"""API endpoints for organisations, their members and invitations, you, and your tokens."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from interborough.accounts import selectors, services
from interborough.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    TokenScope,
)
from interborough.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MembershipOut,
    MeOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
)
from interborough.api.auth import (
    current_token,
    current_user,
    ensure_not_broader,
    ensure_token_acts_for,
    insufficient_scope,
)
from interborough.api.fields import Id, Pagination, Slug
from interborough.api.schemas import PUBLIC_ERRORS, SIGNED_IN_ERRORS, responses
from interborough.core.errors import ApplicationError

router = Router(tags=["organisations and people"])

DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
READ_ERRORS = (*SIGNED_IN_ERRORS, 404)
WRITE_ERRORS = (400, *SIGNED_IN_ERRORS, 404)


def _organisation(slug: str) -> Organisation:
    organisation = selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _organisation_out(org: Organisation) -> OrganisationOut:
    return OrganisationOut(
        slug=org.slug,
        name=org.name,
        short_name=org.short_name,
        type=org.type,
        gss_code=org.gss_code,
        website=org.website,
        description=org.description,
    )


@router.get("/organisations", response=responses(list[OrganisationOut]), auth=None)
@paginate(Pagination)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """The public directory of organisations."""
    return selectors.organisation_list(type=filters.type or "", q=filters.q)


@router.post(
    "/organisations",
    response=responses(OrganisationOut, status=201, errors=(400, *SIGNED_IN_ERRORS)),
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[OrganisationOut]:
    """Add an organisation, optionally inviting its first admin (platform staff only)."""
    token = current_token(request)
    if token is not None and token.organisation_id is not None:
        raise insufficient_scope(
            "This token acts for one organisation; adding organisations needs a token issued "
            "without one."
        )
    organisation = services.organisation_create(
        by=current_user(request),
        name=payload.name,
        type=payload.type.value,
        short_name=payload.short_name,
        website=payload.website,
        description=payload.description,
        gss_code=payload.gss_code,
        first_admin_email=payload.first_admin_email or "",
    )
    return Status(201, _organisation_out(organisation))


@router.get(
    "/organisations/{slug}", response=responses(OrganisationOut, errors=PUBLIC_ERRORS), auth=None
)
def get_organisation(request: HttpRequest, slug: Path[Slug]) -> OrganisationOut:
    """One organisation's public profile."""
    return _organisation_out(_organisation(slug))


@router.get(
    "/organisations/{slug}/members", response=responses(list[MemberOut], errors=READ_ERRORS)
)
@paginate(Pagination)
def list_members(request: HttpRequest, slug: Path[Slug]) -> QuerySet[Membership]:
    """The people in an organisation (its own members and platform staff only)."""
    organisation = _organisation(slug)
    ensure_token_acts_for(request, organisation)
    members = selectors.organisation_members(
        viewer=current_user(request), organisation=organisation
    )
    return members.order_by("user__full_name", "pk")


def _invitation_out(invitation: Invitation) -> InvitationOut:
    return InvitationOut(
        id=invitation.pk,
        organisation=invitation.organisation.slug,
        email=invitation.email,
        role=Role(invitation.role),
        invited_by=invitation.invited_by.email,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
        revoked_at=invitation.revoked_at,
    )


@router.post(
    "/organisations/{slug}/invitations",
    response=responses(InvitationOut, status=201, errors=WRITE_ERRORS),
)
def create_invitation(
    request: HttpRequest, slug: Path[Slug], payload: InvitationIn
) -> Status[InvitationOut]:
    """Invite someone by email to join the organisation (its admins and platform staff)."""
    organisation = _organisation(slug)
    ensure_token_acts_for(request, organisation)
    invitation, _secret = services.invitation_create(
        by=current_user(request), organisation=organisation, email=payload.email, role=payload.role
    )
    return Status(201, _invitation_out(invitation))


@router.get("/me", response=responses(MeOut, errors=SIGNED_IN_ERRORS))
def me(request: HttpRequest) -> MeOut:
    """The person the token or session belongs to, with their organisations and roles."""
    user = current_user(request)
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        job_title=user.job_title,
        is_staff=user.is_staff,
        memberships=[
            MembershipOut(
                organisation=m.organisation.slug, organisation_name=m.organisation.name, role=m.role
            )
            for m in selectors.memberships_of(user=user)
        ],
    )


def _token_out(token: ApiToken) -> ApiTokenOut:
    return ApiTokenOut(
        id=token.pk,
        name=token.name,
        scope=TokenScope(token.scope),
        prefix=token.prefix,
        organisation=token.organisation.slug if token.organisation else None,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


@router.get("/tokens", response=responses(list[ApiTokenOut], errors=SIGNED_IN_ERRORS))
def list_tokens(request: HttpRequest) -> list[ApiTokenOut]:
    """Your own API tokens (never their secrets)."""
    return [_token_out(t) for t in selectors.api_token_list(viewer=current_user(request))]


def _token_organisation(slug: str | None) -> Organisation | None:
    if slug is None:
        return None
    organisation = selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise ApplicationError("There is no organisation with this slug.", field="organisation")
    return organisation


def _default_expiry(request: HttpRequest) -> datetime:
    """90 days, or the creating token's own expiry if that comes sooner."""
    default = timezone.now() + DEFAULT_TOKEN_LIFETIME
    token = current_token(request)
    return min(default, token.expires_at) if token is not None else default


@router.post("/tokens", response=responses(ApiTokenCreatedOut, status=201, errors=WRITE_ERRORS))
def create_token(request: HttpRequest, payload: ApiTokenIn) -> Status[ApiTokenCreatedOut]:
    """Create a token for yourself; its secret is in this response and never shown again."""
    organisation = _token_organisation(payload.organisation)
    expires_at = payload.expires_at or _default_expiry(request)
    ensure_not_broader(
        request, scope=payload.scope, organisation=organisation, expires_at=expires_at
    )
    token, issued = services.api_token_create(
        by=current_user(request),
        name=payload.name,
        scope=payload.scope,
        expires_at=expires_at,
        organisation=organisation,
    )
    out = ApiTokenCreatedOut(**_token_out(token).dict(), secret=issued.secret)
    return Status(201, out)


@router.post("/tokens/{token_id}/revoke", response=responses(ApiTokenOut, errors=WRITE_ERRORS))
def revoke_token(request: HttpRequest, token_id: Path[Id]) -> ApiTokenOut:
    """Revoke one of your tokens at once (someone else's token is a 404)."""
    user = current_user(request)
    token = selectors.api_token_list(viewer=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return _token_out(services.api_token_revoke(by=user, token=token))
