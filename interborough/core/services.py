"""Audit trail writes. Every service in every app calls `audit_record` inside its transaction.

Also the background verification of the whole chain that staff can request.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from interborough.core import audit_chain, request_context
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import (
    VERIFICATION_TRANSITIONS,
    AuditChainHead,
    AuditEvent,
    AuditVerification,
    VerificationStatus,
)
from interborough.core.selectors import audit_chain_head, audit_chain_verify
from interborough.core.workflow import move_status

if TYPE_CHECKING:
    from interborough.accounts.models import Organisation, User


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(
    *,
    by: "User | None",
    action: str,
    obj: models.Model | None = None,
    organisation: "Organisation | None" = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    system: str = "system",
) -> AuditEvent:
    """Append one hash-chained audit event; must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise ApplicationError("Audit events must be written inside the service's transaction.")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"sequence": 0, "hash": audit_chain.GENESIS_HASH}
    )
    changes: dict[str, Any] = {}
    if before is not None:
        changes["before"] = _json_safe(before)
    if after is not None:
        changes["after"] = _json_safe(after)
    event = AuditEvent(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        actor=by if by is not None and by.pk else None,
        actor_label=(by.email if by is not None and by.pk else system)[:254],
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes,
        request_id=request_context.current_request_id(),
        previous_hash=head.hash,
    )
    event.hash = audit_chain.event_hash(event.previous_hash, event.chain_content())
    event.save(force_insert=True)
    head.sequence = event.sequence
    head.hash = event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


# Fields an audit event never needs: the row's id and its own bookkeeping.
_NOT_RECORDED = frozenset({"id", "created_at", "updated_at"})


def record_values(
    obj: models.Model, *, skip: Iterable[str] = (), related: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A row as an audit event records it: its own fields (foreign keys by id) less `skip`,
    and each many-to-many named in `related` as the sorted values of the given field."""
    left_out = _NOT_RECORDED | set(skip)
    values = {
        f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in left_out
    }
    for name, key in (related or {}).items():
        values[name] = sorted(getattr(obj, name).values_list(key, flat=True))
    return values


def audit_changes(
    *,
    by: "User | None",
    action: str,
    obj: models.Model,
    organisation: "Organisation | None",
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditEvent:
    """`audit_record` for an edit: only the fields whose values changed, before and after."""
    changed = [k for k in after if before.get(k) != after[k]]
    return audit_record(
        by=by,
        action=action,
        obj=obj,
        organisation=organisation,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
    )


def _verification_move(verification: AuditVerification, to: str, **fields: Any) -> None:
    """The one transition of a verification, checked against VERIFICATION_TRANSITIONS."""
    move_status(
        verification,
        to,
        VERIFICATION_TRANSITIONS,
        refusal=f"A {verification.status} verification cannot become {to}.",
        code="invalid",
        **fields,
    )


@transaction.atomic
def audit_verification_request(*, by: "User") -> AuditVerification:
    """Staff ask for the whole chain to be checked in the background; returns the tracking row."""
    from interborough.accounts.permissions import can_view_audit
    from interborough.core.tasks import verify_audit_chain

    if not can_view_audit(by):
        raise PermissionDeniedError("Only platform staff can verify the audit trail.")
    if AuditVerification.objects.filter(
        status__in=[VerificationStatus.QUEUED, VerificationStatus.RUNNING]
    ).exists():
        raise ApplicationError("A verification is already queued or running; wait for it to end.")
    total, _ = audit_chain_head()
    verification = AuditVerification.objects.create(requested_by=by, total=total)
    audit_record(
        by=by, action="audit.verification_request", obj=verification, after={"total": total}
    )
    transaction.on_commit(lambda: verify_audit_chain.enqueue(verification.pk))
    return verification


def audit_verification_run(*, verification_id: int) -> AuditVerification:
    """Run a queued verification, reporting progress on its row as it goes (the task calls this)."""
    with transaction.atomic():
        verification = AuditVerification.objects.select_for_update().get(pk=verification_id)
        _verification_move(
            verification,
            VerificationStatus.RUNNING,
            started_at=timezone.now(),
            total=audit_chain_head()[0],
        )

    def progress(checked: int) -> None:
        AuditVerification.objects.filter(pk=verification_id).update(checked=checked)

    result = audit_chain_verify(progress=progress)
    with transaction.atomic():
        verification.refresh_from_db()
        _verification_move(
            verification,
            VerificationStatus.PASSED if result.ok else VerificationStatus.FAILED,
            checked=result.checked,
            total=max(verification.total, result.checked),  # events appended since it started
            broken_at=result.broken_at,
            reason=result.reason[:200],
            finished_at=timezone.now(),
        )
        audit_record(
            by=None,
            system="audit verifier",
            action="audit.verification_finish",
            obj=verification,
            after={"ok": result.ok, "checked": result.checked, "broken_at": result.broken_at},
        )
    return verification
