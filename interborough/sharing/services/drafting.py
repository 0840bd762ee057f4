"""Writes while an agreement is being drafted: start one (blank, from a template, or imported),
change one section at a time, and start a new version of an agreed one (submitting and
withdrawing are in submission.py).

Refusals a form can show field by field are ValidationErrors:
- `agreement_section_update` and `agreement_import`: keyed by the dotted document path of each
  problem (e.g. "data.datasets.0.fields.2.name"; "__all__" for the document as a whole);
- `agreement_submit`: keyed by section slug ("about", "parties", ...), each with every missing
  item and problem of that section, so the task list can show them all at once.
Business-rule refusals are ApplicationErrors; permission refusals PermissionDeniedErrors.
"""

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_line
from interborough.core.workflow import move_status
from interborough.sharing import permissions
from interborough.sharing.diff import diff
from interborough.sharing.document import (
    SECTIONS,
    blank_document,
)
from interborough.sharing.models import (
    AGREEMENT_TRANSITIONS,
    AgreementStatus,
    DataSharingAgreement,
)
from interborough.sharing.services.rows import check_schema, document_save
from interborough.sharing.templates_library import TEMPLATES, template_document

TITLE_MAX_LENGTH = 200
# Keys the platform sets: drafters never change them through a section.
PLATFORM_KEYS = frozenset({"format", "reference", "version", "supersedes"})
REFERENCE_ATTEMPTS = 5
OPEN_STATUSES = (
    AgreementStatus.DRAFT,
    AgreementStatus.SUBMITTED,
    AgreementStatus.CHANGES_REQUESTED,
)


def _next_reference(year: int) -> str:
    """The next free reference of the year, DSA-<year>-<4 digits> (more digits after 9999)."""
    prefix = f"DSA-{year}-"
    numbers = [
        int(ref[len(prefix) :])
        for ref in DataSharingAgreement.objects.filter(reference__startswith=prefix)
        .values_list("reference", flat=True)
        .distinct()
        if ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _create_first_version(
    *, by: User, organisation: Organisation, template: str, build: Any
) -> DataSharingAgreement:
    """Insert version 1 under a fresh reference; `build(reference)` returns its document.

    Two people starting agreements at the same moment can pick the same number: the unique
    (reference, version) constraint refuses the second, which tries the next number.
    """
    for _ in range(REFERENCE_ATTEMPTS):
        reference = _next_reference(timezone.localdate().year)
        document = build(reference)
        try:
            with transaction.atomic():
                agreement = DataSharingAgreement.objects.create(
                    reference=reference,
                    version=1,
                    title=document.get("title") or "",
                    lead_organisation=organisation,
                    created_by=by,
                    template=template,
                    document=document,
                )
        except IntegrityError:
            continue
        document_save(agreement)
        return agreement
    raise ApplicationError("Could not give the agreement a reference just now; try again.")


def party_entry(organisation: Organisation) -> dict[str, Any]:
    """A party entry pre-filled from the organisation's record, the rest not answered yet."""
    return {
        "organisation": organisation.slug,
        "name": organisation.name,
        "ico_registration": organisation.ico_registration,
        "role": "controller",
        "article6_basis": None,
        "dpo": {"name": "", "email": ""},
        "signatory": {"name": "", "job_title": "", "email": ""},
        "dspt_status": None,
        "cyber_essentials": None,
    }


def _check_may_draft(by: User, organisation: Organisation) -> None:
    if not permissions.can_draft(by, organisation):
        raise PermissionDeniedError(
            f"Only publishers, organisation admins and information governance leads of "
            f"{organisation} draft agreements for it."
        )


@transaction.atomic
def agreement_create(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    template: str = "",
    parties: list[Organisation] | None = None,
) -> DataSharingAgreement:
    """Start a draft agreement led by `organisation`, blank or from a template, with the
    organisation and the others given as parties (pre-filled from their records)."""
    _check_may_draft(by, organisation)
    title = clean_line(
        title, field="title", label="title", max_length=TITLE_MAX_LENGTH, required=True
    )
    if template and template not in TEMPLATES:
        raise ApplicationError(
            f"There is no template “{template}”: choose one from the list, or start blank.",
            field="template",
        )
    others = [o for o in dict.fromkeys(parties or []) if o.pk != organisation.pk]
    inactive = [str(o) for o in others if not o.is_active]
    if inactive:
        raise ApplicationError(
            f"{', '.join(inactive)} is no longer active on the platform: choose active parties.",
            field="parties",
        )

    def build(reference: str) -> dict[str, Any]:
        entries = [party_entry(o) for o in [organisation, *others]]
        if template:
            document = template_document(
                template, reference=reference, title=title, parties=entries
            )
        else:
            document = blank_document(reference=reference, title=title)
            document["parties"] = entries
        document.update(reference=reference, version=1, supersedes=None)
        check_schema(document)
        return document

    agreement = _create_first_version(
        by=by, organisation=organisation, template=template, build=build
    )
    audit_record(
        by=by,
        action="agreement.create",
        obj=agreement,
        organisation=organisation,
        after={
            "reference": agreement.reference,
            "title": title,
            "template": template,
            "parties": [o.slug for o in [organisation, *others]],
        },
    )
    return agreement


@transaction.atomic
def agreement_import(
    *, by: User, organisation: Organisation, document: dict[str, Any]
) -> DataSharingAgreement:
    """A new draft led by `organisation` from a parsed YAML or JSON document (say, another
    agreement's export): it gets a new reference; the organisation is added as a party if the
    document does not name it."""
    _check_may_draft(by, organisation)
    if not isinstance(document, dict):
        raise ValidationError({"__all__": ["The file must hold one agreement document."]})
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": ["The document has no title: add one and import again."]})
    imported = copy.deepcopy(document)
    parties = imported.get("parties")
    if isinstance(parties, list) and not any(
        isinstance(p, dict) and p.get("organisation") == organisation.slug for p in parties
    ):
        parties.insert(0, party_entry(organisation))

    def build(reference: str) -> dict[str, Any]:
        imported.update(reference=reference, version=1, supersedes=None)
        check_schema(imported)
        return imported

    agreement = _create_first_version(by=by, organisation=organisation, template="", build=build)
    audit_record(
        by=by,
        action="agreement.import",
        obj=agreement,
        organisation=organisation,
        after={"reference": agreement.reference, "title": agreement.title},
    )
    return agreement


def _section(slug: str) -> Any:
    for section in SECTIONS:
        if section.slug == slug:
            return section
    raise ApplicationError(f"There is no section “{slug}” in an agreement.", field="section")


@transaction.atomic
def agreement_section_update(
    *, by: User, agreement: DataSharingAgreement, section: str, values: dict[str, Any]
) -> DataSharingAgreement:
    """Replace one section's keys in a draft (or a version sent back, which becomes a draft
    again); the audit trail records what changed, field by field."""
    part = _section(section)
    if not permissions.can_edit(by, agreement):
        if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.CHANGES_REQUESTED):
            raise ApplicationError(not_editable(agreement))
        raise PermissionDeniedError(
            f"Only drafters of {agreement.lead_organisation} change this agreement."
        )
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_editable:
        raise ApplicationError(not_editable(agreement))
    keys = frozenset(part.keys) - PLATFORM_KEYS
    unknown = sorted(set(values) - keys - PLATFORM_KEYS)
    if unknown:
        raise ApplicationError(
            f"The {part.title} section has no {', '.join(unknown)}.", field="section"
        )
    before = copy.deepcopy(agreement.document)
    after = copy.deepcopy(before)
    after.update({k: copy.deepcopy(v) for k, v in values.items() if k in keys})
    check_schema(after, keys=keys)
    if section == "parties":
        _check_lead_stays(agreement, after)
    changes = diff(before, after)
    if not changes:
        return agreement
    agreement.document = after
    fields: tuple[str, ...] = ("text_hash",)
    agreement.text_hash = ""  # whatever was submitted before is not this text
    if agreement.status == AgreementStatus.CHANGES_REQUESTED:
        move_status(
            agreement,
            AgreementStatus.DRAFT,
            AGREEMENT_TRANSITIONS,
            refusal=not_editable(agreement),
        )
    document_save(agreement, fields=fields)
    audit_record(
        by=by,
        action="agreement.section_update",
        obj=agreement,
        organisation=agreement.lead_organisation,
        before={"section": section, **{c.path: c.before for c in changes}},
        after={"section": section, **{c.path: c.after for c in changes}},
    )
    return agreement


def not_editable(agreement: DataSharingAgreement) -> str:
    state = agreement.get_status_display().lower()
    if agreement.is_agreed:
        return f"This version is {state}: start a new version to change the agreement."
    if agreement.status == AgreementStatus.SUBMITTED:
        return "This version is submitted for approval: withdraw it first to change it."
    return f"This version is {state}: it can be changed only while it is a draft."


def _check_lead_stays(agreement: DataSharingAgreement, document: dict[str, Any]) -> None:
    slug = agreement.lead_organisation.slug
    if not any(p.get("organisation") == slug for p in document.get("parties") or []):
        raise ValidationError(
            {"parties": [f"{agreement.lead_organisation} leads this agreement: keep it a party."]}
        )


@transaction.atomic
def agreement_new_version(*, by: User, agreement: DataSharingAgreement) -> DataSharingAgreement:
    """A draft of the next version, copied from an agreed one; the agreed version keeps working
    until the new one is approved and becomes active."""
    if not permissions.can_manage(by, agreement):
        raise PermissionDeniedError(
            "Only information governance leads of the parties start a new version."
        )
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (
        AgreementStatus.APPROVED,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
        AgreementStatus.EXPIRED,
    ):
        raise ApplicationError(
            f"This version is {agreement.get_status_display().lower()}: a new version starts "
            "from an approved, active, suspended or expired one."
        )
    versions = DataSharingAgreement.objects.filter(reference=agreement.reference)
    open_version = versions.filter(status__in=OPEN_STATUSES).order_by("-version").first()
    if open_version is not None:
        raise ApplicationError(
            f"Version {open_version.version} is already {open_version.get_status_display().lower()}"
            ": finish it, or withdraw it, before starting another."
        )
    number = max(versions.values_list("version", flat=True)) + 1
    document = copy.deepcopy(agreement.document)
    document.update(version=number, supersedes=agreement.version)
    new = DataSharingAgreement.objects.create(
        reference=agreement.reference,
        version=number,
        title=agreement.title,
        supersedes=agreement,
        lead_organisation=agreement.lead_organisation,
        created_by=by,
        template=agreement.template,
        document=document,
    )
    try:
        document_save(new)
    except ValidationError as exc:  # a party or dataset has gone since this version was agreed
        raise ApplicationError(
            f"Version {number} cannot be started: {' '.join(exc.messages)} Ask platform staff."
        ) from exc
    audit_record(
        by=by,
        action="agreement.new_version",
        obj=new,
        organisation=new.lead_organisation,
        after={"reference": new.reference, "version": number, "from_version": agreement.version},
    )
    return new
