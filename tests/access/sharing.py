"""Who may reach each data sharing agreement page (everything under /agreements/).

The register, what is published beside it, the template library and agreed versions in the
register are public; a resident reads them without signing in. The world's `active`, `submitted`
and `suspended` agreements are between Camden and Hackney; its `private_draft` is Camden and
Islington's, so Hackney's people are outsiders to it (a 404) while Camden's members and platform
staff read it. On a draft's pages, Camden's drafters (publishers, admins, IG leads) edit; anyone
else who may read the draft (a plain member, staff) is sent to its read page, so they too end on
a page. Approving, sending back, suspending, resuming, terminating and starting a new version
are for IG leads of a party (Camden's, here), never staff; others who can read the version get
a 403. Starting or importing an agreement for Camden (`?organisation=camden`) is for Camden's
drafters.
"""

import json
from typing import Any

from django.urls import reverse

from tests.access.rules import ORG_MEMBER, ORG_ROLE, PUBLIC, SIGNED_IN, Route
from tests.access.world import World
from tests.factories.sharing import full_document

DRAFTERS = ORG_ROLE("publisher", "ig_lead", "org_admin", staff=False)
IG_LEAD = ORG_ROLE("ig_lead", staff=False)
GET_POST = ("GET", "POST")


def _version(name: str, **extra: Any) -> Any:
    """URL kwargs of one of the world's agreement versions."""

    def kwargs(world: World) -> dict[str, Any]:
        agreement = getattr(world.sharing, name)
        return {"reference": agreement.reference, "version": agreement.version, **extra}

    return kwargs


def _for_camden(name: str) -> Any:
    """A starting page, narrowed to Camden (as pipeline:project-create is)."""
    return lambda w: f"{reverse(name)}?organisation={w.organisation.slug}"


def _new_agreement(world: World) -> dict[str, Any]:
    return {
        "organisation": world.organisation.slug,
        "title": "Free school meals auto-enrolment",
        "template": "fsm-auto-enrolment",
        "parties": [world.other_organisation.slug],
    }


def _imported(world: World) -> dict[str, Any]:
    document = full_document([world.organisation, world.other_organisation])
    return {"organisation": world.organisation.slug, "text": json.dumps(document)}


def _purpose(world: World) -> dict[str, Any]:
    return {
        "description": "Count households placed across borough boundaries.",
        "dpv_purposes": ["dpv:ServiceProvision"],
        "public_benefit": "Fewer families lose touch with schools and GPs.",
        "success_measures": "A quarterly table of placements between boroughs.",
    }


def _approval(world: World) -> dict[str, Any]:
    return {"organisation": world.organisation.slug, "text_hash": world.sharing.submitted.text_hash}


ACCESS = {
    # --- the register and what is published beside it (views/register.py) ---
    "sharing:register": Route(PUBLIC),
    "sharing:register-csv": Route(PUBLIC),
    "sharing:register-json": Route(PUBLIC),
    "sharing:schema": Route(PUBLIC),
    "sharing:audit-heads": Route(PUBLIC),
    "sharing:audit-heads-json": Route(PUBLIC),
    "sharing:actions": Route(SIGNED_IN),
    # --- reading an agreement (views/agreements.py): an agreed version in the register ---
    "sharing:agreement-detail": Route(
        PUBLIC, kwargs=lambda w: {"reference": w.sharing.active.reference}
    ),
    "sharing:version-detail": Route(PUBLIC, kwargs=_version("active")),
    "sharing:version-print": Route(PUBLIC, kwargs=_version("active")),
    "sharing:version-export": Route(PUBLIC, kwargs=_version("active", fmt="json")),
    "sharing:version-diff": Route(
        PUBLIC, kwargs=lambda w: {"reference": w.sharing.active.reference}
    ),
    # --- starting an agreement, and the template library (views/drafting_start.py) ---
    "sharing:template-list": Route(PUBLIC),
    "sharing:template-detail": Route(PUBLIC, kwargs=lambda w: {"key": "homelessness-ta"}),
    "sharing:agreement-new": Route(
        DRAFTERS,
        methods=GET_POST,
        data=_new_agreement,
        path=_for_camden("sharing:agreement-new"),
        note="the organisation is named by ?organisation=<slug> (or chosen on the form)",
    ),
    "sharing:agreement-import": Route(
        DRAFTERS,
        methods=GET_POST,
        data=_imported,
        path=_for_camden("sharing:agreement-import"),
        note="the organisation is named by ?organisation=<slug> (or chosen on the form)",
    ),
    # --- a draft (views/drafting.py, drafting_sections.py): Camden and Islington's ---
    "sharing:draft-tasks": Route(ORG_MEMBER, kwargs=_version("private_draft")),
    "sharing:draft-section": Route(
        ORG_MEMBER,
        methods=GET_POST,
        data=_purpose,
        kwargs=_version("private_draft", section="purpose"),
        note="readers who may not edit are sent to the version's page",
    ),
    "sharing:draft-dataset": Route(
        ORG_MEMBER,
        methods=GET_POST,
        kwargs=_version("private_draft", key="placements"),
        note="readers who may not edit are sent to the version's page",
    ),
    "sharing:draft-submit": Route(
        ORG_MEMBER,
        methods=("POST",),
        kwargs=_version("private_draft"),
        note="readers who may not edit are sent to the version's page",
    ),
    # --- decisions (views/decisions.py) ---
    "sharing:version-approve": Route(
        IG_LEAD, methods=GET_POST, kwargs=_version("submitted"), data=_approval
    ),
    "sharing:version-request-changes": Route(
        IG_LEAD,
        methods=GET_POST,
        kwargs=_version("submitted"),
        data=lambda w: {
            "organisation": w.organisation.slug,
            "comment": "Section 6: say how long the linked table is kept.",
        },
    ),
    "sharing:version-withdraw": Route(
        DRAFTERS,
        methods=("POST",),
        kwargs=_version("submitted"),
        note="the lead organisation's drafters; others who can read the version get a 403",
    ),
    "sharing:version-suspend": Route(
        IG_LEAD,
        methods=GET_POST,
        kwargs=_version("active"),
        data=lambda w: {"reason": "A suspected breach is being investigated."},
    ),
    "sharing:version-resume": Route(IG_LEAD, methods=("POST",), kwargs=_version("suspended")),
    "sharing:version-terminate": Route(
        IG_LEAD,
        methods=GET_POST,
        kwargs=_version("active"),
        data=lambda w: {"reason": "The service it supported has closed."},
    ),
    "sharing:version-new": Route(IG_LEAD, methods=("POST",), kwargs=_version("active")),
}
