from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from interborough.accounts import selectors, services
from interborough.accounts.models import ApiToken, Organisation, OrganisationType
from interborough.accounts.schemas import ApiTokenOut, MembershipOut, MeOut, OrganisationOut

router = Router(tags=["organisations and people"])


class OrganisationFilters(Schema):
    type: OrganisationType | None = None
    q: str = ""


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


@router.get("/organisations", response=list[OrganisationOut], auth=None)
@paginate(LimitOffsetPagination)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """The public directory of organisations."""
    return selectors.organisation_list(type=filters.type or "", q=filters.q[:100])


@router.get("/organisations/{slug}", response=OrganisationOut, auth=None)
def get_organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    org = selectors.organisation_by_slug(slug=slug)
    if org is None:
        raise Http404
    return _organisation_out(org)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    """The person the token or session belongs to, with their organisations and roles."""
    user = request.user
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        job_title=user.job_title,  # type: ignore[union-attr]
        is_staff=user.is_staff,  # type: ignore[union-attr]
        memberships=[
            MembershipOut(
                organisation=m.organisation.slug, organisation_name=m.organisation.name, role=m.role
            )
            for m in selectors.memberships_of(user=user)  # type: ignore[arg-type]
        ],
    )


def _token_out(token: ApiToken) -> ApiTokenOut:
    return ApiTokenOut(
        id=token.pk,
        name=token.name,
        scope=token.scope,
        prefix=token.prefix,
        organisation=token.organisation.slug if token.organisation else None,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


@router.get("/tokens", response=list[ApiTokenOut])
def list_tokens(request: HttpRequest) -> list[ApiTokenOut]:
    """Your own API tokens (never their secrets)."""
    return [_token_out(t) for t in selectors.api_token_list(viewer=request.user)]  # type: ignore[arg-type]


@router.post("/tokens/{token_id}/revoke", response=ApiTokenOut)
def revoke_token(request: HttpRequest, token_id: int) -> ApiTokenOut:
    """Revoke one of your tokens at once."""
    token = selectors.api_token_list(viewer=request.user).filter(pk=token_id).first()  # type: ignore[arg-type]
    if token is None:
        raise Http404
    return _token_out(services.api_token_revoke(by=request.user, token=token))  # type: ignore[arg-type]
