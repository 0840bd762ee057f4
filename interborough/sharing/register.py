"""The public register's rows: one agreement version as the register publishes it.

The columns are a superset of the Digital Economy Act 2017 register's (name, purpose, benefits,
legal power, data, controllers, processors, method, retention, dates, contact). The register
page, its CSV and JSON exports and the API's register list carry the same rows with the same
keys (`REGISTER_COLUMNS`).
"""

from typing import Any

from interborough.sharing import vocab
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.reading import items, obj

CONTROLLER_ROLES = frozenset({"controller", "joint_controller"})

# Every column of the register: key (the CSV header and the JSON key), then the page's heading.
REGISTER_COLUMNS: list[tuple[str, str]] = [
    ("reference", "Reference"),
    ("version", "Version"),
    ("name", "Name"),
    ("status", "Status"),
    ("summary", "Summary"),
    ("purpose", "Purpose"),
    ("benefits", "Benefits"),
    ("legal_power", "Legal power"),
    ("data", "Data"),
    ("data_subjects", "Whose data"),
    ("controllers", "Controllers"),
    ("processors", "Processors"),
    ("method", "Method"),
    ("retention", "Retention"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
    ("review_date", "Review date"),
    ("contact", "Contact"),
    ("url", "Address"),
]
# Columns that hold several values: lists in the JSON, joined with "; " in the CSV.
LIST_COLUMNS = frozenset(
    {"legal_power", "data", "data_subjects", "controllers", "processors", "retention"}
)


def _retention(dataset: dict[str, Any]) -> str:
    months = obj(dataset.get("retention")).get("period_months")
    kept = f"kept {months} months" if isinstance(months, int) else "retention not given"
    return f"{dataset.get('title') or dataset.get('key') or 'Dataset'}: {kept}"


def _gateway(gateway: dict[str, Any]) -> str:
    code = gateway.get("code")
    return str(gateway.get("citation") or vocab.STATUTORY_GATEWAYS.get(str(code), code))


def register_row(agreement: DataSharingAgreement, *, url: str) -> dict[str, Any]:
    """One agreement version as a register row, keyed as `REGISTER_COLUMNS` (lists unjoined).
    Reads the agreement's parties with their organisations: prefetch them for many rows."""
    document = obj(agreement.document)
    purpose = obj(document.get("purpose"))
    data = obj(document.get("data"))
    datasets = items(data.get("datasets"))
    parties = list(agreement.parties.all())
    method = obj(document.get("processing")).get("sharing_method")
    return {
        "reference": agreement.reference,
        "version": agreement.version,
        "name": agreement.title,
        "status": agreement.status,
        "summary": agreement.public_summary,
        "purpose": purpose.get("description") or "",
        "benefits": purpose.get("public_benefit") or "",
        "legal_power": [
            _gateway(g) for g in items(obj(document.get("legal_basis")).get("statutory_gateways"))
        ],
        "data": [str(d.get("title") or d.get("key")) for d in datasets],
        "data_subjects": [str(s) for s in data.get("data_subjects") or [] if s],
        "controllers": [p.organisation.name for p in parties if p.role in CONTROLLER_ROLES],
        "processors": [p.organisation.name for p in parties if p.role not in CONTROLLER_ROLES],
        "method": vocab.SHARING_METHODS.get(method, method) if isinstance(method, str) else "",
        "retention": [_retention(d) for d in datasets],
        "start_date": agreement.start_date.isoformat() if agreement.start_date else None,
        "end_date": agreement.end_date.isoformat() if agreement.end_date else None,
        "review_date": agreement.review_date.isoformat() if agreement.review_date else None,
        "contact": str(obj(document.get("register")).get("contact") or ""),
        "url": url,
    }


def csv_cells(row: dict[str, Any]) -> list[Any]:
    """A register row as CSV cells in column order, lists joined with "; "."""
    return ["; ".join(row[key]) if key in LIST_COLUMNS else row[key] for key, _ in REGISTER_COLUMNS]
