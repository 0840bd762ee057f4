"""Who may call each data sharing agreement operation in API v1 ('METHOD /api/v1/path').

The register and agreed versions in it are public. Every other version is seen by the members
of its parties and by platform staff; anyone else gets a 404 (an anonymous caller a 401). The
world's private draft is Camden and Islington's, so Hackney's people are outsiders to it.
Drafting (importing) is for Camden's publishers, admins and IG leads; approving a submitted
version for Camden is for Camden's IG lead alone, never staff.
"""

from typing import Any

from tests.access.rules import ORG_MEMBER, ORG_ROLE, PUBLIC, Route
from tests.access.world import World
from tests.factories.sharing import full_document

DRAFTERS = ORG_ROLE("publisher", "ig_lead", "org_admin", staff=False)
IG_LEAD = ORG_ROLE("ig_lead", staff=False)


def _version(world: World, name: str) -> dict[str, Any]:
    agreement = getattr(world.sharing, name)
    return {"reference": agreement.reference, "version": agreement.version}


def _import(world: World) -> dict[str, Any]:
    document = full_document([world.organisation, world.other_organisation])
    return {"organisation": world.organisation.slug, "document": document}


def _approval(world: World) -> dict[str, Any]:
    return {"organisation": world.organisation.slug, "text_hash": world.sharing.submitted.text_hash}


ACCESS = {
    "GET /api/v1/agreements": Route(PUBLIC),
    "GET /api/v1/agreements/{reference}": Route(
        PUBLIC, kwargs=lambda w: {"reference": w.sharing.active.reference}
    ),
    "GET /api/v1/agreements/{reference}/versions/{version}": Route(
        ORG_MEMBER, kwargs=lambda w: _version(w, "private_draft")
    ),
    "GET /api/v1/agreements/{reference}/diff": Route(
        ORG_MEMBER,
        path=lambda w: f"/api/v1/agreements/{w.sharing.private_draft.reference}/diff?from=1&to=1",
    ),
    "POST /api/v1/agreements/import": Route(DRAFTERS, data=_import),
    "POST /api/v1/agreements/{reference}/versions/{version}/approve": Route(
        IG_LEAD, kwargs=lambda w: _version(w, "submitted"), data=_approval
    ),
}
