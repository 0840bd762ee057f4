"""Writes while a version waits for the parties: each party's information governance lead
approves the exact text (by its hash) or sends it back with a comment. When the last party
approves, the version is approved, and active at once if its start date has come."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_text
from interborough.sharing import permissions
from interborough.sharing.document import text_hash as document_hash
from interborough.sharing.models import (
    AgreementApproval,
    AgreementStatus,
    ApprovalDecision,
    DataSharingAgreement,
)
from interborough.sharing.services import notify
from interborough.sharing.services.lifecycle import activate, transition

COMMENT_MAX_LENGTH = 5000


def _check_may_decide(
    by: User, agreement: DataSharingAgreement, organisation: Organisation
) -> None:
    if permissions.can_decide(by, agreement, organisation):
        return
    if by.is_authenticated and by.is_staff:
        raise PermissionDeniedError(
            "Platform staff do not decide on agreements: each party's information governance "
            "lead does."
        )
    raise PermissionDeniedError(
        f"Only an information governance lead of {organisation} decides for it, and only "
        "when it is a party to the agreement."
    )


def _check_waiting(agreement: DataSharingAgreement) -> None:
    if agreement.status != AgreementStatus.SUBMITTED:
        raise ApplicationError(
            f"This version is {agreement.get_status_display().lower()}: only a submitted "
            "version waits for decisions."
        )


def _approved_organisation_ids(agreement: DataSharingAgreement) -> set[int]:
    return set(
        AgreementApproval.objects.filter(
            agreement=agreement,
            text_hash=agreement.text_hash,
            decision=ApprovalDecision.APPROVED,
        ).values_list("organisation_id", flat=True)
    )


@transaction.atomic
def agreement_approve(
    *,
    by: User,
    agreement: DataSharingAgreement,
    organisation: Organisation,
    text_hash: str,
) -> DataSharingAgreement:
    """Approve the submitted text for one party. `text_hash` is the hash of the text the
    approver read: if the version changed since, or its stored text no longer matches the
    hash fixed at submission, nothing is approved."""
    _check_may_decide(by, agreement, organisation)
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _check_waiting(agreement)
    if text_hash != agreement.text_hash:
        raise ApplicationError(
            "The agreement has changed since you read it: read this version again before "
            "approving it.",
            field="text_hash",
        )
    if document_hash(agreement.document) != agreement.text_hash:
        raise ApplicationError(
            "This version's stored text does not match the text submitted for approval, so "
            "it cannot be approved. Tell platform staff: the text may have been altered."
        )
    approved = _approved_organisation_ids(agreement)
    if organisation.pk in approved:
        raise ApplicationError(f"{organisation} has already approved this text.")
    now = timezone.now()
    try:
        with transaction.atomic():
            approval = AgreementApproval.objects.create(
                agreement=agreement,
                organisation=organisation,
                decided_by=by,
                decided_at=now,
                decision=ApprovalDecision.APPROVED,
                text_hash=agreement.text_hash,
            )
    except IntegrityError as exc:  # another IG lead of the same party, at the same moment
        raise ApplicationError(f"{organisation} has already approved this text.") from exc
    audit_record(
        by=by,
        action="agreement.approve",
        obj=agreement,
        organisation=organisation,
        after={"approval": approval.pk, "text_hash": approval.text_hash},
    )
    parties = set(agreement.parties.values_list("organisation_id", flat=True))
    if parties <= approved | {organisation.pk}:
        transition(
            agreement,
            AgreementStatus.APPROVED,
            by=by,
            action="agreement.approved",
            approved_at=now,
        )
        if agreement.start_date is not None and agreement.start_date <= timezone.localdate():
            activate(agreement, by=by, now=now)
        notify.send(
            {*notify.lead_drafters(agreement), *notify.party_signers(agreement)},
            agreement,
            subject="Agreement approved by every party",
            template="agreement_approved",
        )
    return agreement


@transaction.atomic
def agreement_request_changes(
    *,
    by: User,
    agreement: DataSharingAgreement,
    organisation: Organisation,
    comment: str,
) -> DataSharingAgreement:
    """Send a submitted version back to the lead organisation's drafters, saying what to
    change (for one party, by its IG lead)."""
    _check_may_decide(by, agreement, organisation)
    comment = clean_text(
        comment,
        field="comment",
        label="changes you need",
        max_length=COMMENT_MAX_LENGTH,
        required=True,
    )
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _check_waiting(agreement)
    approval = AgreementApproval.objects.create(
        agreement=agreement,
        organisation=organisation,
        decided_by=by,
        decided_at=timezone.now(),
        decision=ApprovalDecision.CHANGES_REQUESTED,
        text_hash=agreement.text_hash,
        comment=comment,
    )
    transition(
        agreement,
        AgreementStatus.CHANGES_REQUESTED,
        by=by,
        action="agreement.request_changes",
        details={"organisation": organisation.slug, "approval": approval.pk},
        status_reason=comment,
    )
    notify.send(
        notify.lead_drafters(agreement),
        agreement,
        subject="Changes requested",
        template="agreement_changes_requested",
        path=notify.draft_path(agreement),
        organisation=organisation,
        actor=by,
        comment=comment,
    )
    return agreement
