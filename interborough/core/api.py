"""API endpoints for the audit trail (read only: nothing can change it)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from interborough.accounts.permissions import can_view_audit
from interborough.api.auth import current_user
from interborough.api.fields import Pagination, Text100
from interborough.api.schemas import SIGNED_IN_ERRORS, responses
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
    action: Text100 = Field("", description="Actions starting with this, e.g. `api_token.`.")
    actor: Text100 = Field("", description="Part of the actor's email address.")
    organisation: Text100 = Field("", description="An organisation's slug.")
    object_type: Text100 = Field("", description="e.g. `accounts.apitoken`.")
    request_id: Text100 = ""
    since: date | None = None
    until: date | None = None


@router.get("", response=responses(list[AuditEventOut], errors=SIGNED_IN_ERRORS))
@paginate(Pagination)
def list_audit_events(request: HttpRequest, query: Query[AuditQuery]) -> QuerySet[AuditEvent]:
    """The audit trail, newest first (platform staff only)."""
    if not can_view_audit(current_user(request)):
        raise PermissionDenied
    return audit_event_list(filters=AuditFilters(**query.dict()))
