"""Who may download a resource's data and its uploaded file (catalogue views/data.py).

The open dataset's data is for everyone. The restricted dataset's data is for the publisher's
own people only (nobody in the world holds a grant): anonymous visitors are asked to sign in,
everyone else signed in (other organisations, platform staff) gets a 403.
"""

from typing import Any

from tests.access.rules import ORG_ROLE, PUBLIC, Route
from tests.access.world import World

# Every role of the publisher reads its restricted data; staff have no role there.
PUBLISHER_PEOPLE = ORG_ROLE("member", "publisher", "ig_lead", "org_admin", staff=False)


def _open(world: World) -> dict[str, Any]:
    resource = world.catalogue.resource
    return {"slug": resource.dataset.slug, "resource_id": resource.pk}


def _restricted(world: World) -> dict[str, Any]:
    resource = world.catalogue.restricted_resource
    return {"slug": resource.dataset.slug, "resource_id": resource.pk}


ACCESS = {
    "catalogue:resource-download": Route(PUBLIC, kwargs=lambda w: {**_open(w), "fmt": "csv"}),
    "catalogue:version-download": Route(
        PUBLISHER_PEOPLE, kwargs=lambda w: {**_restricted(w), "number": 1, "fmt": "json"}
    ),
    "catalogue:version-source": Route(
        PUBLISHER_PEOPLE, kwargs=lambda w: {**_restricted(w), "number": 1}
    ),
}
