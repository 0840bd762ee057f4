"""Who may reach the market view and the contract register, pages and API v1 operations.

The market view is public (what each person sees in it is tested in
tests/integration/pipeline/test_market.py); the register is for anyone signed in; records are
changed only by publishers and admins of the owning organisation, never by platform staff.
"""

from typing import Any

from tests.access.rules import ORG_ROLE, PUBLIC, SIGNED_IN, Route
from tests.access.world import World

# Publishers and admins of the contract's organisation; never staff (the record is theirs).
EDITORS = ORG_ROLE("publisher", "org_admin", staff=False)
GET_POST = ("GET", "POST")


def contract(world: World) -> dict[str, int]:
    return {"pk": world.pipeline.contract.pk}


def contract_id(world: World) -> dict[str, int]:
    return {"contract_id": world.pipeline.contract.pk}


def contract_form(world: World) -> dict[str, Any]:
    return {
        "product": "Repairs scheduling",
        "supplier_name": "Example Systems Ltd",
        "annual_value_band": "25k_100k",
        "contract_end": "31/3/2028",
        "reprocurement_planned": "on",
    }


ACCESS = {
    # --- the market view (views/market.py) ---
    "pipeline:market": Route(PUBLIC),
    "pipeline:market-ocds": Route(PUBLIC),
    # --- the contract register (views/contracts.py) ---
    "pipeline:contract-list": Route(SIGNED_IN),
    "pipeline:contract-export-csv": Route(SIGNED_IN),
    "pipeline:contract-detail": Route(SIGNED_IN, kwargs=contract),
    "pipeline:contract-create": Route(
        EDITORS,
        methods=GET_POST,
        data=contract_form,
        path=lambda w: f"/contracts/new?organisation={w.organisation.slug}",
        note="the organisation is chosen by ?organisation=<slug> (or on the form)",
    ),
    "pipeline:contract-edit": Route(
        EDITORS,
        methods=GET_POST,
        data=contract_form,
        path=lambda w: f"/contracts/{w.pipeline.contract.pk}/edit",
    ),
    "pipeline:contract-delete": Route(
        EDITORS, methods=GET_POST, path=lambda w: f"/contracts/{w.pipeline.contract.pk}/delete"
    ),
    # --- API v1 (api_contracts.py) ---
    "GET /api/v1/contracts": Route(SIGNED_IN),
    "POST /api/v1/contracts": Route(
        EDITORS,
        data=lambda w: {
            "organisation": w.organisation.slug,
            "product": "Repairs scheduling",
            "supplier_name": "Example Systems Ltd",
        },
    ),
    "GET /api/v1/contracts/{contract_id}": Route(SIGNED_IN, kwargs=contract_id),
    "PATCH /api/v1/contracts/{contract_id}": Route(
        EDITORS, kwargs=contract_id, data=lambda w: {"notes": "Renewal under review"}
    ),
    "DELETE /api/v1/contracts/{contract_id}": Route(EDITORS, kwargs=contract_id),
    "GET /api/v1/market-needs": Route(PUBLIC),
    "GET /api/v1/market/ocds": Route(PUBLIC),
}
