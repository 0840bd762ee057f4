"""Who may reach each project page and each people-and-projects page.

The world's project is Camden's, published but not public; its draft is Camden's too. Projects
are changed only by publishers and admins of the owner, never by platform staff (the record is
the borough's). A project someone cannot see answers 404 (an anonymous visitor is asked to sign
in); one they see but may not change answers 403. Routes with a project in the path give a
`path`, so the cross-organisation check (which swaps in another `slug`) reuses the same URL.
"""

from typing import Any

from django.urls import reverse

from tests.access.rules import ORG_ROLE, OWNER, PUBLIC, SIGNED_IN, Route
from tests.access.world import World

# Publishers and admins of the project's owner; never staff.
EDITORS = ORG_ROLE("publisher", "org_admin", staff=False)
GET_POST = ("GET", "POST")


def _on(name: str, project: str = "project") -> Any:
    """The URL of a project route, for the world's published project or its draft."""
    return lambda w: reverse(name, args=[getattr(w.pipeline, project).pk])


def project_form(world: World) -> dict[str, Any]:
    return {
        "title": "Parking permits online",
        "summary": "Residents apply for and renew parking permits online.",
        "phase": "discovery",
        "budget_band": "unknown",
        "funding_source": "unknown",
        "themes": ["transport"],
        "tags": "parking, permits",
    }


ACCESS = {
    # --- projects (views/projects.py) ---
    "pipeline:project-list": Route(PUBLIC),
    "pipeline:project-create": Route(
        EDITORS,
        methods=GET_POST,
        data=project_form,
        path=lambda w: f"{reverse('pipeline:project-create')}?organisation={w.organisation.slug}",
        note="the organisation is named by ?organisation=<slug> (or chosen on the form)",
    ),
    # Published, not public: anonymous visitors are asked to sign in.
    "pipeline:project-detail": Route(SIGNED_IN, kwargs=lambda w: {"pk": w.pipeline.project.pk}),
    "pipeline:project-edit": Route(
        EDITORS, methods=GET_POST, data=project_form, path=_on("pipeline:project-edit")
    ),
    "pipeline:project-publish": Route(
        EDITORS, methods=GET_POST, path=_on("pipeline:project-publish", "draft")
    ),
    "pipeline:project-archive": Route(
        EDITORS, methods=GET_POST, path=_on("pipeline:project-archive")
    ),
    "pipeline:project-restore": Route(
        EDITORS,
        methods=GET_POST,
        path=_on("pipeline:project-restore"),
        note="the project is not archived: the page says so and POST reports the refusal",
    ),
    "pipeline:project-delete": Route(
        EDITORS, methods=GET_POST, path=_on("pipeline:project-delete", "draft")
    ),
    "pipeline:status-update-add": Route(
        EDITORS,
        methods=GET_POST,
        data=lambda w: {"text": "User research finished.", "phase": "alpha"},
        path=_on("pipeline:status-update-add"),
        note="approved contributors may post too (tests/integration/pipeline)",
    ),
    # --- people and projects (views/people.py) ---
    "pipeline:project-watch": Route(
        SIGNED_IN,
        methods=("POST",),
        data=lambda w: {"watch": "yes"},
        kwargs=lambda w: {"pk": w.pipeline.project.pk},
    ),
    "pipeline:project-contribute": Route(
        SIGNED_IN,
        methods=GET_POST,
        data=lambda w: {"message": "We built the same thing in Hackney."},
        kwargs=lambda w: {"pk": w.pipeline.project.pk},
        note="the owner's own people are told why they cannot ask (the service's refusal)",
    ),
    "pipeline:contribution-withdraw": Route(
        SIGNED_IN,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.pipeline.project.pk},
        note="withdraws the person's own request; without one, it says so",
    ),
    "pipeline:contribution-list": Route(EDITORS, path=_on("pipeline:contribution-list")),
    "pipeline:contribution-decide": Route(
        EDITORS,
        methods=("POST",),
        data=lambda w: {"approve": "yes"},
        path=lambda w: reverse(
            "pipeline:contribution-decide",
            args=[w.pipeline.project.pk, w.pipeline.contribution.pk],
        ),
    ),
    "pipeline:subscription-list": Route(
        SIGNED_IN, methods=GET_POST, data=lambda w: {"theme": "net-zero", "tag": ""}
    ),
    "pipeline:subscription-delete": Route(
        OWNER, methods=("POST",), kwargs=lambda w: {"pk": w.pipeline.subscription.pk}
    ),
}
