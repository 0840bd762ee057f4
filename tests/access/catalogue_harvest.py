"""Who may reach the harvesting pages.

The list answers everyone signed in (each sees their organisations' sources; staff see all).
A source and its job history are for members of its organisation and platform staff; adding
and running sources is for the organisation's publishers and admins only. The world has no
harvest source yet, so one of Camden's is made here (the lead may move it into world.py); its
address is never fetched: a refused request makes no run, and an allowed one is queued in the
test's transaction, whose task never runs.
"""

from typing import Any

from interborough.catalogue.models import HarvestKind, HarvestSource
from tests.access.rules import ORG_MEMBER, ORG_ROLE, SIGNED_IN, Route
from tests.access.world import World

EDITORS = ORG_ROLE("publisher", "org_admin", staff=False)


def _source(world: World) -> HarvestSource:
    source, _ = HarvestSource.objects.get_or_create(
        organisation=world.organisation,
        url="https://data.example.org/catalog.ttl",
        defaults={"name": "Example catalogue", "kind": HarvestKind.DCAT},
    )
    return source


def _pk(world: World) -> dict[str, Any]:
    return {"pk": _source(world).pk}


def _new_source(world: World) -> dict[str, Any]:
    return {
        "name": "London Datastore",
        "kind": "ckan",
        "url": "https://data.london.gov.uk/",
        "every_hours": "24",
    }


ACCESS = {
    "catalogue:harvest-source-list": Route(SIGNED_IN),
    "catalogue:harvest-source-create": Route(
        EDITORS,
        methods=("GET", "POST"),
        data=_new_source,
        path=lambda w: f"/harvest/new?organisation={w.organisation.slug}",
        note="the organisation is chosen by ?organisation=<slug> (or on the form)",
    ),
    "catalogue:harvest-source-detail": Route(ORG_MEMBER, kwargs=_pk),
    "catalogue:harvest-run": Route(EDITORS, kwargs=_pk, methods=("POST",)),
}
