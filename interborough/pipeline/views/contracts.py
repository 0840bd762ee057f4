"""The contract register: what systems each organisation runs and when their contracts end.

For everyone signed in (boroughs and suppliers); values marked internal show as "Internal"
to anyone outside the owning organisation. Publishers and admins of the owner add, edit and
delete records.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, OrganisationType, User
from interborough.core.csv_export import csv_download
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.pipeline import permissions
from interborough.pipeline.forms.contracts import ConfirmForm, ContractFilterForm, ContractForm
from interborough.pipeline.models import ContractRecord
from interborough.pipeline.selectors import contracts as selectors
from interborough.pipeline.services import contracts as services
from interborough.pipeline.views import viewer_of

CONTRACTS_PER_PAGE = 50
INTERNAL = "Internal"


def _viewer(request: HttpRequest) -> User:
    """The signed-in person, if they may see the register (login_required ran first)."""
    user = viewer_of(request)
    if not permissions.can_view_contracts(user):
        raise PermissionDeniedError
    return user


def _contract_or_404(user: User, pk: int) -> ContractRecord:
    contract = selectors.contract_for_viewer(viewer=user, pk=pk)
    if contract is None:
        raise Http404
    return contract


def _editable_organisations(user: User) -> list[Organisation]:
    """The organisations whose register this person may change."""
    candidates = Organisation.objects.filter(memberships__user=user).defer("boundary")
    return [o for o in candidates.order_by("name") if permissions.can_edit_contracts(user, o)]


def _suppliers() -> list[Organisation]:
    return list(
        Organisation.objects.filter(type=OrganisationType.SUPPLIER, is_active=True)
        .defer("boundary")
        .order_by("name")
    )


def _value_label(contract: ContractRecord, visible: bool) -> str:
    return contract.get_annual_value_band_display() if visible else INTERNAL


def _filter_form(request: HttpRequest, user: User) -> ContractFilterForm:
    owners = Organisation.objects.filter(
        pk__in=selectors.contract_list(viewer=user).values("organisation_id")
    ).order_by("name")
    return ContractFilterForm(request.GET, organisations=list(owners))


@login_required
@require_safe
def contract_list(request: HttpRequest) -> HttpResponse:
    """The register, filterable, with the most used systems."""
    user = _viewer(request)
    form = _filter_form(request, user)
    contracts = selectors.contract_list(viewer=user, **form.filters())
    page = Paginator(contracts, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    visible = selectors.value_visibility(user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pipeline/contract_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, _value_label(c, visible(c))) for c in page],
            "most_used": selectors.products_summary(viewer=user),
            "can_add": bool(_editable_organisations(user)),
            "query": query.urlencode(),
        },
    )


def _csv_rows(contracts: QuerySet[ContractRecord], user: User) -> Iterator[list[Any]]:
    visible = selectors.value_visibility(user)
    for c in contracts.iterator(chunk_size=500):
        shown = visible(c)
        yield [
            c.pk,
            c.organisation.name,
            c.organisation.slug,
            c.product,
            c.category,
            c.supplier_name,
            c.supplier.slug if c.supplier else "",
            c.contract_start.isoformat() if c.contract_start else "",
            c.contract_end.isoformat() if c.contract_end else "",
            c.annual_value_band if shown else "",
            c.value_is_internal,
            c.contract_notice_url,
            c.reprocurement_planned,
            c.notes,
        ]


CSV_HEADER = [
    "id",
    "organisation",
    "organisation_slug",
    "product",
    "category",
    "supplier_name",
    "supplier",
    "contract_start",
    "contract_end",
    "annual_value_band",
    "value_is_internal",
    "contract_notice_url",
    "reprocurement_planned",
    "notes",
]


@login_required
@require_safe
def contract_export_csv(request: HttpRequest) -> HttpResponseBase:
    """The register as CSV, with the list's filters; internal values blank for outsiders."""
    user = _viewer(request)
    form = _filter_form(request, user)
    contracts = selectors.contract_list(viewer=user, **form.filters())
    return csv_download("contracts.csv", CSV_HEADER, _csv_rows(contracts, user))


@login_required
@require_safe
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One contract record, with the other organisations that run the same product."""
    user = _viewer(request)
    contract = _contract_or_404(user, pk)
    visible = selectors.value_visibility(user)
    peers = list(selectors.product_peers(viewer=user, contract=contract))
    return render(
        request,
        "pipeline/contract_detail.html",
        {
            "contract": contract,
            "value": _value_label(contract, visible(contract)),
            "peers": [(p, _value_label(p, visible(p))) for p in peers],
            "can_edit": permissions.can_edit_contracts(user, contract.organisation),
        },
    )


def _organisation_choice(
    request: HttpRequest, user: User
) -> tuple[list[Organisation], Organisation | None]:
    """Where a new record goes: the organisations the person may add to, and the one chosen
    (by ?organisation=<slug>, or the only one they have)."""
    editable = _editable_organisations(user)
    slug = request.GET.get("organisation", "")
    if slug:
        chosen = next((o for o in editable if o.slug == slug), None)
        if chosen is None:
            raise PermissionDeniedError(
                "Only publishers and admins of an organisation add to its contract register."
            )
        return [chosen], chosen
    if not editable:
        raise PermissionDeniedError(
            "Only publishers and admins of an organisation add to its contract register."
        )
    return editable, editable[0] if len(editable) == 1 else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    """Add a contract record (publishers and admins; they choose the organisation if several)."""
    user = _viewer(request)
    organisations, chosen = _organisation_choice(request, user)
    form = ContractForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        suppliers=_suppliers(),
    )
    if request.method == "POST" and form.is_valid():
        organisation = chosen or next(
            o for o in organisations if o.slug == form.cleaned_data["organisation"]
        )
        try:
            contract = services.contract_create(
                by=user, organisation=organisation, data=form.contract_input()
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{contract.product} has been added to the register.")
            return redirect("pipeline:contract-detail", pk=contract.pk)
    return render(
        request,
        "pipeline/contract_form.html",
        {"form": form, "organisation": chosen, "contract": None},
    )


def _editable_contract(request: HttpRequest, pk: int) -> tuple[User, ContractRecord]:
    user = _viewer(request)
    contract = _contract_or_404(user, pk)
    if not permissions.can_edit_contracts(user, contract.organisation):
        raise PermissionDeniedError(
            f"Only publishers and admins of {contract.organisation} change its contract records."
        )
    return user, contract


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a contract record (publishers and admins of its organisation)."""
    user, contract = _editable_contract(request, pk)
    if request.method == "POST":
        form = ContractForm(request.POST, suppliers=_suppliers())
        if form.is_valid():
            try:
                services.contract_update(by=user, contract=contract, data=form.contract_input())
            except (ApplicationError, ValidationError) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "The contract record has been saved.")
                return redirect("pipeline:contract-detail", pk=contract.pk)
    else:
        form = ContractForm(initial=ContractForm.initial_for(contract), suppliers=_suppliers())
    return render(
        request,
        "pipeline/contract_form.html",
        {"form": form, "organisation": contract.organisation, "contract": contract},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a contract record (publishers and admins of its organisation)."""
    user, contract = _editable_contract(request, pk)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        product = contract.product
        services.contract_delete(by=user, contract=contract)
        messages.success(request, f"{product} has been removed from the register.")
        return redirect("pipeline:contract-list")
    return render(request, "pipeline/contract_delete.html", {"contract": contract})
