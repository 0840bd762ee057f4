"""Writes that send a draft to the parties: submit it (fixing the text they approve) or take
it back. `agreement_submit` refuses with a ValidationError keyed by section slug, each with every
missing item and problem of that section (see drafting.py for the other errors)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interborough.accounts.models import User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.workflow import move_status
from interborough.sharing import permissions
from interborough.sharing.document import (
    SECTIONS,
    document_problems,
    section_state,
    text_hash,
)
from interborough.sharing.models import (
    AGREEMENT_TRANSITIONS,
    AgreementStatus,
    DataSharingAgreement,
)
from interborough.sharing.services import notify
from interborough.sharing.services.drafting import not_editable
from interborough.sharing.services.rows import document_save


def submission_problems(agreement: DataSharingAgreement) -> dict[str, list[str]]:
    """Every missing item and problem that stops a version being submitted, by section slug."""
    document = agreement.document
    messages: dict[str, list[str]] = {}
    by_key = {key: section.slug for section in SECTIONS for key in section.keys}
    for section in SECTIONS:
        missing = section_state(document, section.slug).missing
        if missing:
            messages.setdefault(section.slug, []).extend(missing)
    for problem in document_problems(document):
        slug = by_key.get(problem.path.split(".")[0], "about")
        if problem.message not in messages.get(slug, []):
            messages.setdefault(slug, []).append(problem.message)
    slugs = {p.get("organisation") for p in document.get("parties") or []}
    if agreement.lead_organisation.slug not in slugs:
        messages.setdefault("parties", []).append(
            f"{agreement.lead_organisation} leads this agreement: add it as a party."
        )
    if len(slugs - {None, ""}) < 2:
        messages.setdefault("parties", []).append(
            "An agreement shares data between at least two organisations: add another party."
        )
    return messages


@transaction.atomic
def agreement_submit(*, by: User, agreement: DataSharingAgreement) -> DataSharingAgreement:
    """Send a complete draft to every party's IG lead for approval, fixing the text they approve
    (its SHA-256 hash). Refuses with a ValidationError by section listing everything missing."""
    if not permissions.can_submit(by, agreement):
        if not agreement.is_editable:
            raise ApplicationError(not_editable(agreement))
        raise PermissionDeniedError(
            f"Only drafters of {agreement.lead_organisation} submit this agreement."
        )
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    problems = submission_problems(agreement)
    if problems:
        raise ValidationError(problems)
    document_save(agreement)  # the rows again: an organisation may have left since the edit
    digest = text_hash(agreement.document)
    move_status(
        agreement,
        AgreementStatus.SUBMITTED,
        AGREEMENT_TRANSITIONS,
        refusal=not_editable(agreement),
        text_hash=digest,
        submitted_at=timezone.now(),
        status_reason="",
    )
    audit_record(
        by=by,
        action="agreement.submit",
        obj=agreement,
        organisation=agreement.lead_organisation,
        after={"text_hash": digest},
    )
    notify.send(
        notify.party_signers(agreement),
        agreement,
        subject="Agreement to approve",
        template="agreement_submitted",
        submitted_by=by,
    )
    return agreement


@transaction.atomic
def agreement_withdraw(*, by: User, agreement: DataSharingAgreement) -> DataSharingAgreement:
    """Take a submitted version back to draft (to change it); approvals given so far lapse,
    because they were given to the text as submitted."""
    if not permissions.can_draft(by, agreement.lead_organisation):
        raise PermissionDeniedError(
            f"Only drafters of {agreement.lead_organisation} withdraw this agreement."
        )
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.SUBMITTED:
        raise ApplicationError(
            f"This version is {agreement.get_status_display().lower()}: only a submitted "
            "version can be withdrawn."
        )
    move_status(
        agreement,
        AgreementStatus.DRAFT,
        AGREEMENT_TRANSITIONS,
        refusal="Only a submitted version can be withdrawn.",
        text_hash="",
    )
    audit_record(
        by=by,
        action="agreement.withdraw",
        obj=agreement,
        organisation=agreement.lead_organisation,
    )
    notify.send(
        notify.party_signers(agreement),
        agreement,
        subject="Agreement withdrawn",
        template="agreement_withdrawn",
        withdrawn_by=by,
    )
    return agreement
