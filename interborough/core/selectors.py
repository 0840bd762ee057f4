"""Audit trail reads."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from interborough.core import audit_chain
from interborough.core.models import AuditChainHead, AuditEvent, AuditVerification


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    organisation: str = ""
    object_type: str = ""
    request_id: str = ""
    since: date | None = None
    until: date | None = None


def audit_event_list(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events newest first, filtered; staff-only (callers check)."""
    qs = AuditEvent.objects.select_related("actor", "organisation")
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.request_id:
        qs = qs.filter(request_id=filters.request_id)
    if filters.since:
        qs = qs.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(occurred_at__date__lte=filters.until)
    return qs.order_by("-sequence")


def audit_action_choices() -> list[str]:
    """Distinct actions recorded so far, for the filter form."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_chain_head() -> tuple[int, str]:
    """The chain's tip: the newest event's sequence number and hash."""
    head = AuditChainHead.objects.filter(id=1).first()
    return (head.sequence, head.hash) if head else (0, audit_chain.GENESIS_HASH)


def audit_chain_verify(
    *, progress: Callable[[int], None] | None = None
) -> audit_chain.VerifyResult:
    """Recompute the chain up to its current head from stored rows; name the first broken link."""
    head_sequence, head_hash = audit_chain_head()
    links = (
        audit_chain.ChainLink(e.sequence, e.previous_hash, e.hash, e.chain_content())
        for e in AuditEvent.objects.filter(sequence__lte=head_sequence)
        .order_by("sequence")
        .iterator(chunk_size=2000)
    )
    return audit_chain.verify(
        links, head_sequence=head_sequence, head_hash=head_hash, progress=progress
    )


def audit_verification_list(*, limit: int = 5) -> QuerySet[AuditVerification]:
    """The most recent chain verifications, newest first (staff only; callers check)."""
    return AuditVerification.objects.select_related("requested_by").order_by("-created_at")[:limit]


def audit_verification_get(*, pk: int) -> AuditVerification | None:
    return AuditVerification.objects.select_related("requested_by").filter(pk=pk).first()
