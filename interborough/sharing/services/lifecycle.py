"""Writes over an agreed version's life: it becomes active on its start date (superseding the
version before it), may be suspended, resumed or terminated by the parties' IG leads, and
expires on its end date. `agreements_advance` is the daily job that moves dates along."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from interborough.accounts.models import User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_text
from interborough.core.workflow import move_status
from interborough.sharing import permissions
from interborough.sharing.models import (
    AGREEMENT_TRANSITIONS,
    AgreementStatus,
    DataSharingAgreement,
)
from interborough.sharing.services import notify

REASON_MAX_LENGTH = 2000
SYSTEM_ACTOR = "agreement scheduler"
# Older versions of the same agreement that a newly active version ends.
SUPERSEDABLE = (AgreementStatus.APPROVED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED)


def transition(
    agreement: DataSharingAgreement,
    to: str,
    *,
    by: User | None,
    action: str,
    details: dict[str, Any] | None = None,
    **fields: Any,
) -> None:
    """The one transition of an agreement version, checked against AGREEMENT_TRANSITIONS and
    audited with `details` (by a person, or by the scheduler when `by` is None)."""
    before = agreement.status
    move_status(
        agreement,
        to,
        AGREEMENT_TRANSITIONS,
        refusal=f"This version is {agreement.get_status_display().lower()}: it cannot become "
        f"{AgreementStatus(to).label.lower()}.",
        **fields,
    )
    audit_record(
        by=by,
        system=SYSTEM_ACTOR,
        action=action,
        obj=agreement,
        organisation=agreement.lead_organisation,
        before={"status": before},
        after={
            "status": to,
            **{k: v for k, v in fields.items() if k in ("status_reason", "text_hash")},
            **(details or {}),
        },
    )


def activate(agreement: DataSharingAgreement, *, by: User | None, now: datetime) -> None:
    """Make an approved version active and end the older versions it replaces."""
    transition(
        agreement, AgreementStatus.ACTIVE, by=by, action="agreement.activate", activated_at=now
    )
    older = DataSharingAgreement.objects.select_for_update().filter(
        reference=agreement.reference, version__lt=agreement.version, status__in=SUPERSEDABLE
    )
    for previous in older:
        transition(
            previous,
            AgreementStatus.TERMINATED,
            by=by,
            action="agreement.supersede",
            ended_at=now,
            status_reason=f"Superseded by version {agreement.version}",
        )


def _clean_reason(reason: str) -> str:
    return clean_text(
        reason, field="reason", label="reason", max_length=REASON_MAX_LENGTH, required=True
    )


def _check_may_manage(by: User, agreement: DataSharingAgreement, doing: str) -> None:
    if not permissions.can_manage(by, agreement):
        raise PermissionDeniedError(
            f"Only information governance leads of the parties {doing} this agreement."
        )


@transaction.atomic
def agreement_suspend(
    *, by: User, agreement: DataSharingAgreement, reason: str
) -> DataSharingAgreement:
    """Stop an active agreement letting data flow for now (say, during a breach inquiry)."""
    _check_may_manage(by, agreement, "suspend")
    reason = _clean_reason(reason)
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    transition(
        agreement,
        AgreementStatus.SUSPENDED,
        by=by,
        action="agreement.suspend",
        status_reason=reason,
    )
    notify.send(
        notify.party_signers(agreement),
        agreement,
        subject="Agreement suspended",
        template="agreement_suspended",
        actor=by,
        reason=reason,
    )
    return agreement


@transaction.atomic
def agreement_resume(*, by: User, agreement: DataSharingAgreement) -> DataSharingAgreement:
    """Let a suspended agreement's data flow again, if its end date has not come."""
    _check_may_manage(by, agreement, "resume")
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.end_date is not None and agreement.end_date <= timezone.localdate():
        raise ApplicationError(
            f"This agreement ended on {agreement.end_date:%-d %B %Y}: start a new version "
            "with new dates instead."
        )
    transition(
        agreement, AgreementStatus.ACTIVE, by=by, action="agreement.resume", status_reason=""
    )
    notify.send(
        notify.party_signers(agreement),
        agreement,
        subject="Agreement resumed",
        template="agreement_resumed",
        actor=by,
    )
    return agreement


@transaction.atomic
def agreement_terminate(
    *, by: User, agreement: DataSharingAgreement, reason: str
) -> DataSharingAgreement:
    """End an agreed version for good before its end date; the exit terms then apply."""
    _check_may_manage(by, agreement, "terminate")
    reason = _clean_reason(reason)
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    transition(
        agreement,
        AgreementStatus.TERMINATED,
        by=by,
        action="agreement.terminate",
        ended_at=timezone.now(),
        status_reason=reason,
    )
    notify.send(
        notify.party_signers(agreement),
        agreement,
        subject="Agreement terminated",
        template="agreement_terminated",
        actor=by,
        reason=reason,
    )
    return agreement


def agreements_advance(*, today: date) -> dict[str, int]:
    """The daily move along the calendar: approved versions whose start date has come become
    active; active and suspended ones whose end date has come expire (on that day). Each
    version moves in its own transaction, so one failure does not hold the others back."""
    now = timezone.now()
    activated = expired = 0
    due = DataSharingAgreement.objects.filter(
        status=AgreementStatus.APPROVED, start_date__lte=today
    ).order_by("reference", "version")
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            agreement = DataSharingAgreement.objects.select_for_update().get(pk=pk)
            if agreement.status == AgreementStatus.APPROVED:
                activate(agreement, by=None, now=now)
                activated += 1
    ending = DataSharingAgreement.objects.filter(
        status__in=(AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED), end_date__lte=today
    )
    for pk in list(ending.values_list("pk", flat=True)):
        with transaction.atomic():
            agreement = DataSharingAgreement.objects.select_for_update().get(pk=pk)
            if agreement.status in (AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED):
                transition(
                    agreement,
                    AgreementStatus.EXPIRED,
                    by=None,
                    action="agreement.expire",
                    ended_at=now,
                )
                expired += 1
    return {"activated": activated, "expired": expired}
