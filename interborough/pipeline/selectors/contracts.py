"""Reads for the market view and the contract register, scoped to the viewer.

The contract register is for signed-in people only (boroughs and suppliers); market needs are
public where their project is public. permissions.py decides both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from interborough.accounts.models import User
from interborough.pipeline import permissions
from interborough.pipeline.models import ContractRecord, Project, ProjectStatus

# Suppliers plan a bid months ahead: "upcoming" means within about 18 months by default.
REPROCUREMENT_HORIZON_DAYS = 540
MAX_WINDOW_DAYS = 3650


def _today() -> date:
    return timezone.localdate()


def _contracts(viewer: User) -> QuerySet[ContractRecord]:
    if not permissions.can_view_contracts(viewer):
        return ContractRecord.objects.none()
    return ContractRecord.objects.filter(organisation__is_active=True).select_related(
        "organisation", "supplier"
    )


def contract_list(
    *,
    viewer: User,
    q: str = "",
    product: str = "",
    supplier: str = "",
    organisation: str = "",
    ending_within_days: int | None = None,
    reprocurement_only: bool = False,
) -> QuerySet[ContractRecord]:
    """The contract register for a signed-in person, filtered; nobody else sees any of it."""
    qs = _contracts(viewer)
    if q := q.strip():
        qs = qs.filter(
            Q(product__icontains=q) | Q(category__icontains=q) | Q(supplier_name__icontains=q)
        )
    if product := product.strip():
        qs = qs.filter(product__icontains=product)
    if supplier := supplier.strip():
        qs = qs.filter(Q(supplier_name__icontains=supplier) | Q(supplier__slug=supplier))
    if organisation := organisation.strip():
        qs = qs.filter(organisation__slug=organisation)
    if ending_within_days is not None:
        today = _today()
        days = max(0, min(ending_within_days, MAX_WINDOW_DAYS))
        qs = qs.filter(contract_end__gte=today, contract_end__lte=today + timedelta(days=days))
    if reprocurement_only:
        qs = qs.filter(reprocurement_planned=True)
    return qs.order_by(F("contract_end").asc(nulls_last=True), Lower("product"), "pk")


def contract_for_viewer(*, viewer: User, pk: int) -> ContractRecord | None:
    """One contract record, if the viewer may see the register."""
    return _contracts(viewer).filter(pk=pk).first()


def product_peers(*, viewer: User, contract: ContractRecord) -> QuerySet[ContractRecord]:
    """Other organisations running the same product from the same supplier (to procure jointly)."""
    same_supplier = Q(supplier_name__iexact=contract.supplier_name)
    if contract.supplier_id is not None:
        same_supplier |= Q(supplier_id=contract.supplier_id)
    return (
        _contracts(viewer)
        .filter(same_supplier, product__iexact=contract.product)
        .exclude(organisation_id=contract.organisation_id)
        .order_by("organisation__name", "pk")
    )


def products_summary(*, viewer: User, limit: int = 10) -> list[dict[str, Any]]:
    """The most used systems: each product (any letter case) with how many organisations run it."""
    rows = (
        _contracts(viewer)
        .annotate(key=Lower("product"))
        .values("key")
        .annotate(product=Min("product"), organisations=Count("organisation", distinct=True))
        .order_by("-organisations", "key")[:limit]
    )
    return [{"product": r["product"], "organisations": r["organisations"]} for r in rows]


def upcoming_reprocurements(
    *, viewer: User, within_days: int = REPROCUREMENT_HORIZON_DAYS
) -> QuerySet[ContractRecord]:
    """Contracts ending soon that their organisation plans to procure again (for suppliers)."""
    return contract_list(viewer=viewer, ending_within_days=within_days, reprocurement_only=True)


def value_visibility(viewer: User) -> Callable[[ContractRecord], bool]:
    """A check of permissions.can_see_contract_value, asked once per organisation on a page."""
    answers: dict[tuple[int, bool], bool] = {}

    def visible(contract: ContractRecord) -> bool:
        key = (contract.organisation_id, contract.value_is_internal)
        if key not in answers:
            answers[key] = permissions.can_see_contract_value(viewer, contract)
        return answers[key]

    return visible


# --- market needs -----------------------------------------------------------------------


def market_needs(
    *,
    viewer: User,
    theme: str = "",
    organisation: str = "",
    due_within_days: int | None = None,
    q: str = "",
) -> QuerySet[Project]:
    """Published, non-archived projects wanting market engagement that the viewer may see."""
    qs = Project.objects.filter(
        permissions.visible_projects_q(viewer),
        status=ProjectStatus.PUBLISHED,
        market_engagement_wanted=True,
        organisation__is_active=True,
    )
    if theme := theme.strip():
        qs = qs.filter(themes__slug=theme)
    if organisation := organisation.strip():
        qs = qs.filter(organisation__slug=organisation)
    if due_within_days is not None:
        today = _today()
        days = max(0, min(due_within_days, MAX_WINDOW_DAYS))
        qs = qs.filter(market_need_by__gte=today, market_need_by__lte=today + timedelta(days=days))
    if q := q.strip():
        qs = qs.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(market_need__icontains=q)
        )
    return (
        qs.select_related("organisation")
        .prefetch_related("themes")
        .order_by(F("market_need_by").asc(nulls_last=True), "title", "pk")
    )


@dataclass(frozen=True)
class QuarterCount:
    label: str
    count: int


def _quarter_label(year: int, quarter: int) -> str:
    months = ("January to March", "April to June", "July to September", "October to December")
    return f"{months[quarter - 1]} {year}"


def market_needs_by_quarter(*, needs: QuerySet[Project]) -> list[QuarterCount]:
    """How many needs fall due in each calendar quarter from now, then passed and undated ones."""
    today = _today()
    counts: dict[tuple[int, int], int] = {}
    passed = undated = 0
    for due in needs.order_by().values_list("market_need_by", flat=True):
        if due is None:
            undated += 1
        elif due < today:
            passed += 1
        else:
            key = (due.year, (due.month - 1) // 3 + 1)
            counts[key] = counts.get(key, 0) + 1
    rows = []
    if counts:
        (year, quarter), last = min(counts), max(counts)
        while (year, quarter) <= last:  # empty quarters in between show as 0: a timeline
            rows.append(QuarterCount(_quarter_label(year, quarter), counts.get((year, quarter), 0)))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    if passed:
        rows.append(QuarterCount("Date already passed", passed))
    if undated:
        rows.append(QuarterCount("No date given", undated))
    return rows
