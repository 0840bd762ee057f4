from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from interborough.accounts.permissions import can_view_audit
from interborough.core.models import AuditEvent
from interborough.core.selectors import AuditFilters, audit_event_list

router = Router(tags=["audit trail"])


class AuditEventOut(Schema):
    sequence: int
    occurred_at: datetime
    actor: str
    organisation: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    request_id: str
    hash: str
    previous_hash: str

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str:
        return obj.actor_label

    @staticmethod
    def resolve_organisation(obj: AuditEvent) -> str | None:
        return obj.organisation.slug if obj.organisation else None


class AuditQuery(Schema):
    action: str = ""
    actor: str = ""
    organisation: str = ""
    object_type: str = ""
    request_id: str = ""
    since: date | None = None
    until: date | None = None


@router.get("", response=list[AuditEventOut])
@paginate(LimitOffsetPagination)
def list_audit_events(request: HttpRequest, query: Query[AuditQuery]) -> QuerySet[AuditEvent]:
    """The audit trail, newest first (platform staff only)."""
    if not can_view_audit(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    filters = {k: (v[:100] if isinstance(v, str) else v) for k, v in query.dict().items()}
    return audit_event_list(filters=AuditFilters(**filters))
