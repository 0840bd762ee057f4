"""Writes the daily job makes for openness and upkeep: reminders to the parties before review and
end dates, and the audit trail's head hash published beside the register."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from interborough.core.selectors import audit_chain_head
from interborough.core.services import audit_record
from interborough.sharing.models import (
    AgreementReminder,
    AgreementStatus,
    AuditHeadPublication,
    DataSharingAgreement,
    ReminderKind,
)
from interborough.sharing.services import notify

REMINDER_DAYS = 30
SYSTEM_ACTOR = "agreement scheduler"
# Versions whose parties still need reminding of dates: those that are, or will be, in force.
REMINDED_STATUSES = (AgreementStatus.APPROVED, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED)
_DATE_COLUMN = {ReminderKind.REVIEW: "review_date", ReminderKind.END: "end_date"}


def agreement_reminders_send(*, today: date) -> int:
    """Email every party's IG leads once per date when a review or end date is at most 30 days
    away (or today); a day the job did not run is caught up the next. Returns how many
    reminders were sent."""
    horizon = today + timedelta(days=REMINDER_DAYS)
    sent = 0
    for kind, column in _DATE_COLUMN.items():
        due = DataSharingAgreement.objects.filter(
            status__in=REMINDED_STATUSES,
            **{f"{column}__gte": today, f"{column}__lte": horizon},
        ).exclude(
            Exists(
                AgreementReminder.objects.filter(
                    agreement=OuterRef("pk"), kind=kind, due_date=OuterRef(column)
                )
            )
        )
        for agreement in due.select_related("lead_organisation").order_by("pk"):
            if _remind(agreement, kind=kind, due_date=getattr(agreement, column), today=today):
                sent += 1
    return sent


def _remind(agreement: DataSharingAgreement, *, kind: str, due_date: date, today: date) -> bool:
    """One reminder, in its own transaction; False when it had already gone."""
    try:
        with transaction.atomic():
            reminder = AgreementReminder.objects.create(
                agreement=agreement, kind=kind, due_date=due_date, sent_at=timezone.now()
            )
            people = notify.party_signers(agreement)
            audit_record(
                by=None,
                system=SYSTEM_ACTOR,
                action="agreement.remind",
                obj=agreement,
                organisation=agreement.lead_organisation,
                after={"kind": kind, "due_date": due_date, "recipients": len(people)},
            )
            notify.send(
                people,
                agreement,
                subject=f"{ReminderKind(kind).label} in {(due_date - today).days} days"
                if due_date > today
                else f"{ReminderKind(kind).label} is today",
                template="agreement_reminder",
                reminder=reminder,
                days=(due_date - today).days,
            )
    except IntegrityError:  # a run at the same moment sent it
        return False
    return True


def audit_head_publish(*, day: date) -> AuditHeadPublication:
    """Publish the audit trail's current head for `day` (once: a second call that day returns
    the first publication), so anyone can later check the log was not rewritten."""
    existing = AuditHeadPublication.objects.filter(day=day).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            sequence, head_hash = audit_chain_head()
            publication = AuditHeadPublication.objects.create(
                day=day, sequence=sequence, head_hash=head_hash, published_at=timezone.now()
            )
            # The event recording the publication follows the head it publishes.
            audit_record(
                by=None,
                system=SYSTEM_ACTOR,
                action="audit.head_publish",
                obj=publication,
                after={"day": day, "sequence": sequence, "head_hash": head_hash},
            )
    except IntegrityError:  # published by a run at the same moment
        return AuditHeadPublication.objects.get(day=day)
    return publication
