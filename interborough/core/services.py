"""Audit trail writes. Every service in every app calls `audit_record` inside its transaction."""

from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.utils import timezone

from interborough.core import audit_chain, request_context
from interborough.core.errors import ApplicationError
from interborough.core.models import AuditChainHead, AuditEvent

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
