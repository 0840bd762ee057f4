"""What waits for one person's action on agreements: the "actions" page and the home page's
attention panel read it."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.sharing import permissions
from interborough.sharing.models import (
    AgreementApproval,
    AgreementParty,
    AgreementStatus,
    ApprovalDecision,
    DataSharingAgreement,
)

DUE_SOON_DAYS = 60


@dataclass(frozen=True)
class PendingApproval:
    """A submitted version and the parties it concerns (those the viewer may approve for, or
    those that still owe an approval)."""

    agreement: DataSharingAgreement
    organisations: list[Organisation]


@dataclass(frozen=True)
class DueDate:
    """A review or end date coming up on an active agreement."""

    agreement: DataSharingAgreement
    kind: str  # "review" or "end" (ReminderKind)
    due_date: date

    @property
    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days


@dataclass(frozen=True)
class ActionList:
    """Everything waiting for one person, as lists ready for templates."""

    to_approve: list[PendingApproval] = field(default_factory=list)
    to_finish: list[DataSharingAgreement] = field(default_factory=list)
    waiting_on_others: list[PendingApproval] = field(default_factory=list)
    due_soon: list[DueDate] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many things wait for the person themselves (others' approvals not counted)."""
        return len(self.to_approve) + len(self.to_finish) + len(self.due_soon)

    def __bool__(self) -> bool:
        return bool(self.count or self.waiting_on_others)


def _submitted() -> QuerySet[DataSharingAgreement]:
    """Submitted versions with their parties and their approvals, ready to compare."""
    approvals = AgreementApproval.objects.filter(decision=ApprovalDecision.APPROVED)
    return (
        DataSharingAgreement.objects.filter(status=AgreementStatus.SUBMITTED)
        .select_related("lead_organisation")
        .prefetch_related(
            "parties__organisation", Prefetch("approvals", queryset=approvals, to_attr="yes")
        )
        .order_by("submitted_at", "pk")
    )


def _has_party(organisation_ids: set[int]) -> Exists:
    return Exists(
        AgreementParty.objects.filter(
            agreement=OuterRef("pk"), organisation_id__in=organisation_ids
        )
    )


def _owing(agreement: DataSharingAgreement) -> list[Organisation]:
    """The parties that have not approved the text submitted."""
    done = {a.organisation_id for a in agreement.yes if a.text_hash == agreement.text_hash}  # type: ignore[attr-defined]
    parties = sorted(agreement.parties.all(), key=lambda p: p.organisation.name)
    return [p.organisation for p in parties if p.organisation_id not in done]


def agreements_awaiting(*, viewer: User) -> ActionList:
    """What waits for the viewer: versions to approve for their organisations, drafts to finish
    (and versions sent back), their organisations' submissions still waiting on other parties,
    and review or end dates of their organisations' active agreements within 60 days."""
    if not permissions.is_signed_in(viewer):
        return ActionList()
    member_ids = permissions.member_organisation_ids(viewer)
    signing_ids = (
        set()
        if viewer.is_staff
        else permissions.organisation_ids_with_roles(viewer, permissions.SIGNER_ROLES)
    )
    drafting_ids = permissions.organisation_ids_with_roles(viewer, permissions.DRAFTER_ROLES)

    to_approve = []
    for agreement in _submitted().filter(_has_party(signing_ids)):
        mine = [o for o in _owing(agreement) if o.pk in signing_ids]
        if mine:
            to_approve.append(PendingApproval(agreement, mine))
    waiting = [
        PendingApproval(agreement, _owing(agreement))
        for agreement in _submitted().filter(lead_organisation_id__in=member_ids)
    ]
    to_finish = list(
        DataSharingAgreement.objects.filter(
            status__in=(AgreementStatus.CHANGES_REQUESTED, AgreementStatus.DRAFT),
            lead_organisation_id__in=drafting_ids,
        )
        .select_related("lead_organisation")
        .order_by("status", "-updated_at")  # changes requested first, then drafts
    )
    return ActionList(
        to_approve=to_approve,
        to_finish=to_finish,
        waiting_on_others=waiting,
        due_soon=_due_soon(member_ids),
    )


def _due_soon(organisation_ids: set[int]) -> list[DueDate]:
    today = timezone.localdate()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    active = (
        DataSharingAgreement.objects.filter(status=AgreementStatus.ACTIVE)
        .filter(_has_party(organisation_ids))
        .select_related("lead_organisation")
    )
    due: list[DueDate] = []
    for agreement in active:
        for kind, day in (("review", agreement.review_date), ("end", agreement.end_date)):
            if day is not None and today <= day <= horizon:
                due.append(DueDate(agreement, kind, day))
    return sorted(due, key=lambda d: (d.due_date, d.agreement.reference, d.kind))
