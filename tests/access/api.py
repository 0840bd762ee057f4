"""Who may call each API v1 operation ('METHOD /api/v1/path'), and its non-operation URLs."""

from tests.access.rules import NOWHERE, ORG_MEMBER, ORG_ROLE, OWNER, PUBLIC, SIGNED_IN, STAFF, Route
from tests.access.world import World


def org(world: World) -> dict[str, str]:
    return {"slug": world.organisation.slug}


ACCESS = {
    # Operations, as the OpenAPI schema lists them.
    "GET /api/v1/organisations": Route(PUBLIC),
    "POST /api/v1/organisations": Route(
        STAFF,
        data=lambda w: {
            "name": "Riverside Digital Co-operative",
            "type": "supplier",
            "first_admin_email": "founder@riverside.example",
        },
    ),
    "GET /api/v1/organisations/{slug}": Route(PUBLIC, kwargs=org),
    "GET /api/v1/organisations/{slug}/members": Route(ORG_MEMBER, kwargs=org),
    "POST /api/v1/organisations/{slug}/invitations": Route(
        ORG_ROLE("org_admin"),
        kwargs=org,
        data=lambda w: {"email": "someone.new@example.london", "role": "org_admin"},
    ),
    "GET /api/v1/me": Route(SIGNED_IN),
    "GET /api/v1/tokens": Route(SIGNED_IN),
    "POST /api/v1/tokens": Route(SIGNED_IN, data=lambda w: {"name": "Authorisation test"}),
    "POST /api/v1/tokens/{token_id}/revoke": Route(
        OWNER, kwargs=lambda w: {"token_id": w.token.pk}
    ),
    "GET /api/v1/audit-events": Route(STAFF),
    # The API's own pages: the contract and its documentation are public.
    "api-v1:openapi-json": Route(PUBLIC),
    "api-v1:openapi-view": Route(PUBLIC),
    "api-v1:api-root": Route(NOWHERE),
    "api-v1:not-found": Route(NOWHERE, path=lambda w: "/api/v1/no/such/endpoint"),
}
