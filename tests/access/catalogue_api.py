"""Who may call the data store's resource and records operations in API v1.

Resource metadata is public for published datasets. The open dataset's records are for
everyone; the restricted dataset's records only for the publisher's own people (nobody in the
world holds a grant): anonymous callers get a 401, everyone else signed in a 403.
"""

from typing import Any

from tests.access.rules import ORG_ROLE, PUBLIC, Route
from tests.access.world import World

PUBLISHER_PEOPLE = ORG_ROLE("member", "publisher", "ig_lead", "org_admin", staff=False)


def _open(world: World) -> dict[str, Any]:
    return {"resource_id": world.catalogue.resource.pk}


def _restricted(world: World) -> dict[str, Any]:
    return {"resource_id": world.catalogue.restricted_resource.pk}


ACCESS = {
    "GET /api/v1/resources/{resource_id}": Route(PUBLIC, kwargs=_restricted),
    "GET /api/v1/resources/{resource_id}/records": Route(PUBLIC, kwargs=_open),
    "GET /api/v1/resources/{resource_id}/versions/{number}/records": Route(
        PUBLISHER_PEOPLE, kwargs=lambda w: {**_restricted(w), "number": 1}
    ),
}
