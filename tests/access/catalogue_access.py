"""Who may reach the restricted-data pages, the follow button and the usage figures.

A request or grant is seen only by the person it is about and by the publisher's information
governance leads; everyone else gets a 404 (its existence is private), platform staff too. So
that no person in the rules' audiences is the requester, the pages of one request or grant point
at ones made here for the world's `invitee` (who belongs to no organisation) on Camden's
restricted dataset. Withdrawing is for the requester alone: that route points at a request by
the plain member for a restricted dataset of the other organisation (Hackney).
"""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from interborough.catalogue.models import (
    AccessDuration,
    AccessGrant,
    AccessLevel,
    AccessRequest,
    DatasetStatus,
)
from tests.access.rules import ORG_MEMBER, ORG_ROLE, OWNER, SIGNED_IN, Route
from tests.access.world import World
from tests.factories.catalogue import DatasetFactory

# The publisher's IG leads; a 404 for everyone else, staff included.
DECIDERS = ORG_ROLE("ig_lead", staff=False, hidden=True)
PURPOSE = "Plan joint outreach with Camden's housing team."


def _invitee_request(world: World) -> AccessRequest:
    request, _ = AccessRequest.objects.get_or_create(
        dataset=world.catalogue.restricted,
        requester=world.invitee,
        defaults={"purpose": PURPOSE, "duration_days": AccessDuration.ONE_MONTH},
    )
    return request


def _invitee_grant(world: World) -> AccessGrant:
    now = timezone.now()
    grant, _ = AccessGrant.objects.get_or_create(
        dataset=world.catalogue.restricted,
        grantee=world.invitee,
        defaults={"starts_at": now, "expires_at": now + timedelta(days=30)},
    )
    return grant


def _member_request(world: World) -> AccessRequest:
    hackney_data = DatasetFactory(
        publisher=world.other_organisation,
        title="Hackney temporary accommodation placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    return AccessRequest.objects.create(
        dataset=hackney_data,
        requester=world.member,
        purpose=PURPOSE,
        duration_days=AccessDuration.ONE_MONTH,
    )


def _on_request(name: str) -> Any:
    return lambda w: reverse(name, args=[_invitee_request(w).pk])


ACCESS = {
    "catalogue:access-request": Route(
        SIGNED_IN,
        methods=("GET", "POST"),
        kwargs=lambda w: {"slug": w.catalogue.restricted.slug},
        data=lambda w: {"purpose": PURPOSE, "duration_days": "90"},
        note="Camden's own people can already read it: the page says so and POST creates nothing",
    ),
    "catalogue:access-request-list": Route(SIGNED_IN),
    "catalogue:access-request-detail": Route(
        DECIDERS,
        path=_on_request("catalogue:access-request-detail"),
        note="the requester sees it too (tests/integration/catalogue/test_access.py)",
    ),
    "catalogue:access-request-decide": Route(
        DECIDERS,
        methods=("POST",),
        data=lambda w: {"decision": "approve", "reason": ""},
        path=_on_request("catalogue:access-request-decide"),
    ),
    "catalogue:access-request-withdraw": Route(
        OWNER,
        methods=("POST",),
        path=lambda w: reverse("catalogue:access-request-withdraw", args=[_member_request(w).pk]),
    ),
    "catalogue:access-grant-revoke": Route(
        DECIDERS,
        methods=("POST",),
        path=lambda w: reverse("catalogue:access-grant-revoke", args=[_invitee_grant(w).pk]),
        note="the grantee may give it up too (tests/integration/catalogue/test_access.py)",
    ),
    "catalogue:dataset-follow": Route(
        SIGNED_IN,
        methods=("POST",),
        kwargs=lambda w: {"slug": w.catalogue.dataset.slug},
        data=lambda w: {"follow": "yes"},
    ),
    "catalogue:dataset-usage": Route(
        ORG_MEMBER, kwargs=lambda w: {"slug": w.catalogue.dataset.slug}
    ),
}
