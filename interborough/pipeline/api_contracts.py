"""API endpoints for the contract register, market needs and planned procurements (OCDS)."""

from dataclasses import replace
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from interborough.accounts.models import Organisation
from interborough.accounts.selectors import organisation_by_slug
from interborough.api.auth import (
    PUBLIC_OR_SIGNED_IN,
    caller_or_anonymous,
    current_user,
    ensure_token_acts_for,
)
from interborough.api.fields import Id, Pagination
from interborough.api.schemas import SIGNED_IN_ERRORS, responses
from interborough.core.errors import ApplicationError
from interborough.pipeline import ocds
from interborough.pipeline.models import ContractRecord, Project
from interborough.pipeline.schemas_contracts import (
    ContractFilters,
    ContractIn,
    ContractOut,
    ContractPatch,
    MarketNeedFilters,
    MarketNeedOut,
    OcdsPackageOut,
)
from interborough.pipeline.selectors import contracts as selectors
from interborough.pipeline.services import contracts as services
from interborough.pipeline.services.contracts import ContractInput, contract_input_from

router = Router(tags=["pipeline: market and contracts"])

READ_ERRORS = (*SIGNED_IN_ERRORS, 404)
PUBLIC_READ_ERRORS = (401,)  # a token that is sent must be valid
WRITE_ERRORS = (400, *SIGNED_IN_ERRORS, 404)


def _contract(request: HttpRequest, contract_id: int) -> ContractRecord:
    contract = selectors.contract_for_viewer(viewer=current_user(request), pk=contract_id)
    if contract is None:
        raise Http404
    return contract


def _owner(slug: str) -> Organisation:
    organisation = organisation_by_slug(slug=slug)
    if organisation is None:
        raise ApplicationError(
            "There is no active organisation with this slug.", field="organisation"
        )
    return organisation


@router.get("/contracts", response=responses(list[ContractOut], errors=SIGNED_IN_ERRORS))
@paginate(Pagination)
def list_contracts(
    request: HttpRequest, filters: Query[ContractFilters]
) -> QuerySet[ContractRecord]:
    """The contract register (anyone signed in); internal value bands are null to outsiders."""
    return selectors.contract_list(
        viewer=current_user(request),
        q=filters.q,
        product=filters.product,
        supplier=filters.supplier,
        organisation=filters.organisation,
        ending_within_days=filters.ending_within_days,
        reprocurement_only=filters.reprocurement_only,
    )


@router.post("/contracts", response=responses(ContractOut, status=201, errors=WRITE_ERRORS))
def create_contract(request: HttpRequest, payload: ContractIn) -> Status[ContractRecord]:
    """Add a contract record to an organisation's register (its publishers and admins)."""
    organisation = _owner(payload.organisation)
    ensure_token_acts_for(request, organisation)
    fields = payload.dict(exclude={"organisation"})
    contract = services.contract_create(
        by=current_user(request),
        organisation=organisation,
        data=ContractInput(**{**fields, "supplier": fields["supplier"] or ""}),
    )
    return Status(201, contract)


@router.get("/contracts/{contract_id}", response=responses(ContractOut, errors=READ_ERRORS))
def get_contract(request: HttpRequest, contract_id: Path[Id]) -> ContractRecord:
    """One contract record."""
    return _contract(request, contract_id)


@router.patch("/contracts/{contract_id}", response=responses(ContractOut, errors=WRITE_ERRORS))
def update_contract(
    request: HttpRequest, contract_id: Path[Id], payload: ContractPatch
) -> ContractRecord:
    """Change the fields sent (publishers and admins of the owning organisation)."""
    contract = _contract(request, contract_id)
    ensure_token_acts_for(request, contract.organisation)
    changes = payload.dict(exclude_unset=True)
    if "supplier" in changes and changes["supplier"] is None:
        changes["supplier"] = ""  # null unlinks the supplier's organisation
    data = replace(contract_input_from(contract), **changes)
    return services.contract_update(by=current_user(request), contract=contract, data=data)


@router.delete(
    "/contracts/{contract_id}", response=responses(None, status=204, errors=WRITE_ERRORS)
)
def delete_contract(request: HttpRequest, contract_id: Path[Id]) -> Status[None]:
    """Delete a contract record (publishers and admins of the owning organisation)."""
    contract = _contract(request, contract_id)
    ensure_token_acts_for(request, contract.organisation)
    services.contract_delete(by=current_user(request), contract=contract)
    return Status(204, None)


@router.get(
    "/market-needs",
    response=responses(list[MarketNeedOut], errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
@paginate(Pagination)
def list_market_needs(request: HttpRequest, filters: Query[MarketNeedFilters]) -> QuerySet[Project]:
    """Published market needs, soonest first: public ones for anyone, all of them signed in."""
    return selectors.market_needs(
        viewer=caller_or_anonymous(request),  # type: ignore[arg-type]
        theme=filters.theme,
        organisation=filters.organisation,
        due_within_days=filters.due_within_days,
        q=filters.q,
    )


@router.get(
    "/market/ocds",
    response=responses(OcdsPackageOut, errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
def market_ocds(request: HttpRequest) -> dict[str, Any]:
    """Planned procurements as an OCDS 1.1 release package (tender.status "planning").

    Anyone gets the public market needs; signed in, every published need and the planned
    re-procurements of contracts ending within 18 months. Internal values never appear.
    """
    return ocds.release_package(
        viewer=caller_or_anonymous(request),  # type: ignore[arg-type]
        uri=request.build_absolute_uri(reverse("pipeline:market-ocds")),
    )
