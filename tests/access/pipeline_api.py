"""Who may call each pipeline project operation in API v1 ('METHOD /api/v1/path').

Projects are edited only by publishers and admins of the owning organisation; platform staff
are refused (the record is the borough's), as are the owner's plain members and IG leads.
"""

from collections.abc import Callable
from typing import Any

from interborough.pipeline.models import Project, ProjectStatus
from interborough.pipeline.services.projects import project_archive
from tests.access.rules import ORG_ROLE, OWNER, PUBLIC, SIGNED_IN, Route
from tests.access.world import World
from tests.factories.pipeline import ProjectFactory

# Publishers and admins of the project's owner; never staff.
EDITORS = ORG_ROLE("publisher", "org_admin", staff=False)


def _extra(world: World, name: str, make: Callable[[World], Any]) -> Any:
    """An object this table needs beyond the shared world, made once per world."""
    made = world.__dict__.setdefault("_pipeline_api", {})
    if name not in made:
        made[name] = make(world)
    return made[name]


def _other_project(world: World) -> Project:
    """A published project of the other organisation (Hackney), to ask to contribute to."""
    return _extra(
        world,
        "other_project",
        lambda w: ProjectFactory(
            organisation=w.other_organisation,
            title="Hackney repairs chatbot",
            status=ProjectStatus.PUBLISHED,
        ),
    )


def _archived(world: World) -> Project:
    """A Camden project that was published and then archived, to restore."""

    def make(w: World) -> Project:
        project = ProjectFactory(
            organisation=w.organisation, title="Old Camden pilot", status=ProjectStatus.PUBLISHED
        )
        return project_archive(by=None, project=project)

    return _extra(world, "archived", make)


def project(world: World) -> dict[str, int]:
    return {"project_id": world.pipeline.project.pk}


def draft(world: World) -> dict[str, int]:
    return {"project_id": world.pipeline.draft.pk}


NEW_PROJECT = {
    "organisation": "camden",
    "title": "Parking permits online",
    "summary": "Residents apply for and renew parking permits online.",
    "themes": ["transport"],
    "tags": ["parking"],
}

ACCESS = {
    "GET /api/v1/projects": Route(PUBLIC),
    "POST /api/v1/projects": Route(EDITORS, data=lambda w: dict(NEW_PROJECT)),
    # The world's project is published but not public: anonymous callers are asked to sign in.
    "GET /api/v1/projects/{project_id}": Route(SIGNED_IN, kwargs=project),
    "PATCH /api/v1/projects/{project_id}": Route(
        EDITORS, kwargs=project, data=lambda w: {"summary": "Tenants book repairs online."}
    ),
    "DELETE /api/v1/projects/{project_id}": Route(EDITORS, kwargs=draft),
    "POST /api/v1/projects/{project_id}/publish": Route(EDITORS, kwargs=draft),
    "POST /api/v1/projects/{project_id}/archive": Route(EDITORS, kwargs=project),
    "POST /api/v1/projects/{project_id}/restore": Route(
        EDITORS, kwargs=lambda w: {"project_id": _archived(w).pk}
    ),
    "GET /api/v1/projects/{project_id}/updates": Route(SIGNED_IN, kwargs=project),
    "POST /api/v1/projects/{project_id}/updates": Route(
        EDITORS, kwargs=project, data=lambda w: {"text": "Alpha started.", "phase": "alpha"}
    ),
    "GET /api/v1/projects/{project_id}/similar": Route(SIGNED_IN, kwargs=project),
    "POST /api/v1/projects/{project_id}/watch": Route(SIGNED_IN, kwargs=project),
    "DELETE /api/v1/projects/{project_id}/watch": Route(SIGNED_IN, kwargs=project),
    "GET /api/v1/projects/{project_id}/contributions": Route(EDITORS, kwargs=project),
    # Asking is for people outside the owner: here, Camden's people ask Hackney.
    "POST /api/v1/projects/{project_id}/contributions": Route(
        SIGNED_IN,
        kwargs=lambda w: {"project_id": _other_project(w).pk},
        data=lambda w: {"message": "We run the same repairs service and can share research."},
    ),
    "POST /api/v1/projects/{project_id}/contributions/{contribution_id}/decision": Route(
        EDITORS,
        kwargs=lambda w: {
            "project_id": w.pipeline.project.pk,
            "contribution_id": w.pipeline.contribution.pk,
        },
        data=lambda w: {"approve": True},
    ),
    "GET /api/v1/themes": Route(PUBLIC),
    "GET /api/v1/me/subscriptions": Route(SIGNED_IN),
    "POST /api/v1/me/subscriptions": Route(SIGNED_IN, data=lambda w: {"theme": "transport"}),
    "DELETE /api/v1/me/subscriptions/{subscription_id}": Route(
        OWNER, kwargs=lambda w: {"subscription_id": w.pipeline.subscription.pk}
    ),
}
