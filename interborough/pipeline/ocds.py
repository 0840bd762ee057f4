"""Planned procurements as an OCDS 1.1 release package (tender.status "planning").

One release per published market need (a project wanting market engagement) and one per
contract record whose organisation plans to procure again and whose contract ends within
18 months. Identifiers are stable: the ocid names the project or contract record, and the
release id adds the time it was last changed, so an unchanged record keeps its release id.
Contract values marked internal never appear here, whoever asks.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.pipeline.models import BudgetBand, ContractRecord, Project, ValueBand
from interborough.pipeline.selectors import contracts as selectors

OCDS_VERSION = "1.1"
# The buyer's identifier is its ONS GSS code; this label names that scheme in our releases.
GSS_SCHEME = "GB-GSS"
REPROCUREMENT_MONTHS = 18
PUBLISHER_NAME = "Interborough"


def ocid_prefix() -> str:
    return str(settings.INTERBOROUGH_OCDS_PREFIX)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _instant(value: datetime) -> str:
    """An OCDS date-time: ISO 8601 in UTC, to the second."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day(value: date) -> str:
    """A calendar date as the start of that day in London, as an OCDS date-time."""
    local = datetime.combine(value, time.min, tzinfo=timezone.get_default_timezone())
    return _instant(local)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _party(organisation: Organisation) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": organisation.slug,
        "name": organisation.name,
        "roles": ["buyer"],
    }
    if organisation.gss_code:
        party["identifier"] = {
            "scheme": GSS_SCHEME,
            "id": organisation.gss_code,
            "legalName": organisation.name,
        }
    if organisation.website:
        party["details"] = {"url": organisation.website}
    return party


def _release(
    *, ocid: str, changed: datetime, organisation: Organisation, tender: dict[str, Any]
) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "id": f"{ocid}-{_stamp(changed)}",
        "date": _instant(changed),
        "tag": ["planning"],
        "initiationType": "tender",
        "language": "en",
        "parties": [_party(organisation)],
        "buyer": {"id": organisation.slug, "name": organisation.name},
        "tender": {"id": f"{ocid}-tender", "status": "planning", **tender},
    }


def project_release(project: Project, *, prefix: str) -> dict[str, Any]:
    """The release for one published market need."""
    ocid = f"{prefix}-project-{project.pk}"
    tender: dict[str, Any] = {
        "title": project.title,
        "description": project.market_need or project.summary,
    }
    if project.market_need_by:
        tender["tenderPeriod"] = {"endDate": _day(project.market_need_by)}
    release = _release(
        ocid=ocid, changed=project.updated_at, organisation=project.organisation, tender=tender
    )
    planning: dict[str, Any] = {"rationale": project.summary}
    if project.budget_band and project.budget_band != BudgetBand.UNKNOWN:
        label = BudgetBand(project.budget_band).label
        planning["budget"] = {"description": f"Project budget band: {label}"}
    release["planning"] = planning
    return release


def contract_release(contract: ContractRecord, *, prefix: str) -> dict[str, Any]:
    """The release for one planned re-procurement; the value band only when not internal."""
    ocid = f"{prefix}-contract-{contract.pk}"
    description = (
        f"{contract.organisation.name} plans to procure {contract.product} again: the current "
        f"contract with {contract.supplier_name}"
    )
    description += f" ends on {contract.contract_end:%d %B %Y}." if contract.contract_end else "."
    tender: dict[str, Any] = {"title": f"Re-procurement of {contract.product}"}
    if contract.category:
        tender["title"] += f" ({contract.category})"
    tender["description"] = description
    if contract.contract_end:
        tender["contractPeriod"] = {"startDate": _day(contract.contract_end + timedelta(days=1))}
    release = _release(
        ocid=ocid, changed=contract.updated_at, organisation=contract.organisation, tender=tender
    )
    show_band = not contract.value_is_internal and contract.annual_value_band != ValueBand.UNKNOWN
    if show_band:
        label = ValueBand(contract.annual_value_band).label
        release["planning"] = {"budget": {"description": f"Current annual value band: {label}"}}
    if contract.contract_notice_url:
        release["tender"]["documents"] = [
            {
                "id": f"{ocid}-notice",
                "documentType": "contractNotice",
                "title": "Notice of the current contract",
                "url": contract.contract_notice_url,
            }
        ]
    return release


def planned_contracts(*, viewer: User, today: date | None = None) -> Iterable[ContractRecord]:
    """Re-procurements planned with the contract ending within 18 months (signed-in only)."""
    today = today or timezone.localdate()
    days = (add_months(today, REPROCUREMENT_MONTHS) - today).days
    return selectors.upcoming_reprocurements(viewer=viewer, within_days=days)


def release_package(*, viewer: User, uri: str, today: date | None = None) -> dict[str, Any]:
    """The release package the viewer may see: public needs for anyone, more when signed in."""
    prefix = ocid_prefix()
    releases = [
        project_release(project, prefix=prefix) for project in selectors.market_needs(viewer=viewer)
    ]
    releases += [
        contract_release(contract, prefix=prefix)
        for contract in planned_contracts(viewer=viewer, today=today)
    ]
    dates = [r["date"] for r in releases]
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": max(dates) if dates else _instant(timezone.now()),
        "publisher": {"name": PUBLISHER_NAME},
        "releases": releases,
    }
