"""The contract register: one set of rules for a contract's fields, and the writes.

`clean_contract_input` checks every field and raises a Django ValidationError naming each
wrong field (forms show them in the error summary, the API as a 422, the CSV import row by
row). `ContractLookups` holds the supplier organisations, so an import of many rows does not
query them once per row.
"""

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.db import transaction

from interborough.accounts.models import Organisation, OrganisationType, User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_changes, audit_record, record_values
from interborough.core.text import clean_line, clean_text, clean_web_address
from interborough.core.validation import FieldErrors
from interborough.pipeline import permissions
from interborough.pipeline.models import ContractRecord, ValueBand


@dataclass(frozen=True)
class ContractInput:
    """A contract's fields as a person gave them (strings, flags and dates)."""

    product: str = ""
    category: str = ""
    supplier_name: str = ""
    supplier: str = ""  # slug of a supplier organisation on the platform, optional
    contract_start: date | None = None
    contract_end: date | None = None
    annual_value_band: str = ValueBand.UNKNOWN
    value_is_internal: bool = False
    contract_notice_url: str = ""
    reprocurement_planned: bool = False
    notes: str = ""


def contract_input_from(contract: ContractRecord) -> ContractInput:
    """A contract's fields as they are now, in the shape a person gives them (to edit them)."""
    values = {
        f.name: getattr(contract, f.name) for f in fields(ContractInput) if f.name != "supplier"
    }
    return ContractInput(**values, supplier=contract.supplier.slug if contract.supplier else "")


@dataclass
class ContractLookups:
    """Reference data for checking contracts, loaded once (per request or per import)."""

    suppliers: dict[str, Organisation] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "ContractLookups":
        return cls(
            suppliers={
                o.slug: o
                for o in Organisation.objects.filter(
                    is_active=True, type=OrganisationType.SUPPLIER
                ).defer("boundary")
            }
        )


def _supplier(slug: str, lookups: ContractLookups) -> Organisation | None:
    slug = slug.strip()
    if not slug:
        return None
    supplier = lookups.suppliers.get(slug)
    if supplier is None:
        raise ApplicationError(
            f"There is no active supplier “{slug[:100]}” on the platform. Leave it blank if "
            "the supplier is not on the platform.",
            field="supplier",
        )
    return supplier


def _value_band(value: str) -> str:
    if value not in ValueBand.values:
        allowed = ", ".join(ValueBand.values)
        raise ApplicationError(
            f"Choose the annual value from: {allowed}.", field="annual_value_band"
        )
    return value


def clean_contract_input(
    *, data: ContractInput, lookups: ContractLookups | None = None
) -> dict[str, Any]:
    """Check every field; return model field values or raise ValidationError for each wrong one."""
    lookups = lookups or ContractLookups.load()
    errors = FieldErrors()
    values: dict[str, Any] = {}
    check = errors.check

    for name, label, limit, required, fn in (
        ("product", "product", 200, True, clean_line),
        ("category", "category", 100, False, clean_line),
        ("supplier_name", "supplier name", 200, True, clean_line),
        ("notes", "notes", 1000, False, clean_text),
    ):
        values[name] = check(
            name,
            fn,
            getattr(data, name) or "",
            field=name,
            label=label,
            max_length=limit,
            required=required,
        )
    values["contract_notice_url"] = check(
        "contract_notice_url",
        clean_web_address,
        data.contract_notice_url or "",
        field="contract_notice_url",
        label="contract notice link",
    )
    values["annual_value_band"] = check(
        "annual_value_band", _value_band, data.annual_value_band or ValueBand.UNKNOWN
    )
    values["supplier"] = check("supplier", _supplier, data.supplier or "", lookups)
    if data.contract_start and data.contract_end and data.contract_end < data.contract_start:
        errors.add("contract_end", "The contract end date must be on or after the start date.")
    errors.raise_if_any()
    values.update(
        contract_start=data.contract_start,
        contract_end=data.contract_end,
        value_is_internal=bool(data.value_is_internal),
        reprocurement_planned=bool(data.reprocurement_planned),
    )
    return values


# --- writes ----------------------------------------------------------------------------


def _snapshot(contract: ContractRecord) -> dict[str, Any]:
    """The fields an audit event records (the supplier by its slug)."""
    values = record_values(contract, skip={"supplier", "organisation"})
    values["organisation"] = contract.organisation.slug
    values["supplier"] = contract.supplier.slug if contract.supplier else None
    return values


def _ensure_editor(by: User, organisation: Organisation) -> None:
    if not permissions.can_edit_contracts(by, organisation):
        raise PermissionDeniedError(
            f"Only publishers and admins of {organisation} add or change its contract records."
        )


@transaction.atomic
def contract_create(
    *,
    by: User,
    organisation: Organisation,
    data: ContractInput,
    lookups: ContractLookups | None = None,
) -> ContractRecord:
    """Add a contract record to the organisation's register (its publishers and admins)."""
    _ensure_editor(by, organisation)
    values = clean_contract_input(data=data, lookups=lookups)
    contract = ContractRecord.objects.create(organisation=organisation, created_by=by, **values)
    audit_record(
        by=by,
        action="contract.create",
        obj=contract,
        organisation=organisation,
        after=_snapshot(contract),
    )
    return contract


@transaction.atomic
def contract_update(*, by: User, contract: ContractRecord, data: ContractInput) -> ContractRecord:
    """Change a contract record; what changed goes in the audit trail."""
    _ensure_editor(by, contract.organisation)
    contract = (
        ContractRecord.objects.select_for_update(of=("self",))
        .select_related("organisation", "supplier")
        .get(pk=contract.pk)
    )
    values = clean_contract_input(data=data)
    before = _snapshot(contract)
    for name, value in values.items():
        setattr(contract, name, value)
    contract.save()
    after = _snapshot(contract)
    audit_changes(
        by=by,
        action="contract.update",
        obj=contract,
        organisation=contract.organisation,
        before=before,
        after=after,
    )
    return contract


@transaction.atomic
def contract_delete(*, by: User, contract: ContractRecord) -> None:
    """Remove a contract record from the register; the audit trail keeps what it said."""
    _ensure_editor(by, contract.organisation)
    before = _snapshot(contract)
    audit_record(
        by=by,
        action="contract.delete",
        obj=contract,
        organisation=contract.organisation,
        before=before,
    )
    contract.delete()
