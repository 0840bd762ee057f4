"""Writes for restricted data: ask for access, withdraw the ask, decide it (the publisher's
information governance lead) and revoke a grant. Every step is audited; the people concerned
are emailed after commit."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import Membership, Organisation, User
from interborough.catalogue import permissions
from interborough.catalogue.models import (
    AccessDuration,
    AccessGrant,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    Dataset,
    DatasetStatus,
)
from interborough.catalogue.models.access import ACCESS_REQUEST_TRANSITIONS
from interborough.catalogue.selectors.access import access_deciders
from interborough.core.email import email_after_commit
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_text
from interborough.core.validation import FieldErrors
from interborough.core.workflow import move_status

PURPOSE_MIN_LENGTH = 20
PURPOSE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


def _clean_purpose(value: str) -> str:
    purpose = clean_text(
        value, field="purpose", label="purpose", max_length=PURPOSE_MAX_LENGTH, required=True
    )
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise ApplicationError(
            "Describe what you need the data for in a sentence or two "
            f"(at least {PURPOSE_MIN_LENGTH} characters), so the publisher can decide.",
            field="purpose",
        )
    return purpose


def _clean_duration(value: int) -> int:
    if value not in AccessDuration.values:
        choices = ", ".join(str(label) for label in AccessDuration.labels)
        raise ApplicationError(
            f"Choose how long you need access for: {choices}.", field="duration_days"
        )
    return value


def _clean_organisation(by: User, organisation: Organisation | None) -> Organisation | None:
    if (
        organisation is not None
        and not Membership.objects.filter(user=by, organisation=organisation).exists()
    ):
        raise ApplicationError(
            "You can only ask on behalf of an organisation you belong to.", field="organisation"
        )
    return organisation


def _check_may_request(by: User, dataset: Dataset) -> None:
    if dataset.status != DatasetStatus.PUBLISHED:
        raise ApplicationError("You can only ask for access to a published dataset.")
    if dataset.access_level != AccessLevel.RESTRICTED:
        raise ApplicationError(
            "This dataset is not restricted: you do not need to ask for access to its data."
        )
    if permissions.can_read_data(by, dataset):
        raise ApplicationError("You can already read this dataset's data.")
    if AccessRequest.objects.filter(
        dataset=dataset, requester=by, status=AccessRequestStatus.PENDING
    ).exists():
        raise ApplicationError(
            "You have already asked for access to this dataset. Wait for the decision, or "
            "withdraw that request before asking again."
        )


def access_request_create(
    *,
    by: User,
    dataset: Dataset,
    purpose: str,
    duration_days: int,
    organisation: Organisation | None = None,
) -> AccessRequest:
    """Ask for access to a published restricted dataset's data, for a purpose and a time."""
    if not permissions.is_signed_in(by):
        raise PermissionDeniedError("Sign in to ask for access to data.")
    _check_may_request(by, dataset)
    errors = FieldErrors()
    purpose = errors.check("purpose", _clean_purpose, purpose)
    duration_days = errors.check("duration_days", _clean_duration, duration_days)
    organisation = errors.check("organisation", _clean_organisation, by, organisation)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            request = AccessRequest.objects.create(
                dataset=dataset,
                requester=by,
                organisation=organisation,
                purpose=purpose,
                duration_days=duration_days,
            )
            audit_record(
                by=by,
                action="access_request.create",
                obj=request,
                organisation=dataset.publisher,
                after={
                    "dataset": dataset.slug,
                    "purpose": purpose,
                    "duration_days": duration_days,
                    "organisation": organisation.slug if organisation else None,
                },
            )
            email_after_commit(
                access_deciders(dataset=dataset),
                subject=f"Request for access to {dataset.title}",
                template="catalogue/email/access_request.txt",
                context={
                    "request": request,
                    "dataset": dataset,
                    "path": reverse("catalogue:access-request-detail", args=[request.pk]),
                },
            )
    except IntegrityError as exc:  # a second pending request, sent at the same moment
        raise ApplicationError(
            "You have already asked for access to this dataset. Wait for the decision."
        ) from exc
    return request


@transaction.atomic
def access_request_withdraw(*, by: User, request: AccessRequest) -> AccessRequest:
    """The requester withdraws a request that is still waiting for a decision."""
    if request.requester_id != by.pk:
        raise PermissionDeniedError("Only the person who asked can withdraw a request.")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    move_status(
        request,
        AccessRequestStatus.WITHDRAWN,
        ACCESS_REQUEST_TRANSITIONS,
        refusal=f"This request is {request.get_status_display().lower()}: "
        "only a request waiting for a decision can be withdrawn.",
    )
    audit_record(
        by=by,
        action="access_request.withdraw",
        obj=request,
        organisation=request.dataset.publisher,
    )
    return request


def _clean_reason(value: str, *, approve: bool) -> str:
    reason = clean_text(value, field="reason", label="reason", max_length=REASON_MAX_LENGTH)
    if not approve and not reason:
        raise ApplicationError(
            "Enter the reason for refusing, so the requester knows what to change.",
            field="reason",
        )
    return reason


@transaction.atomic
def access_request_decide(
    *, by: User, request: AccessRequest, approve: bool, reason: str
) -> AccessRequest:
    """An IG lead of the publisher approves (creating a grant from now for the asked duration)
    or refuses (with a reason) a waiting request."""
    dataset = request.dataset
    if not permissions.can_decide_access(by, dataset):
        raise PermissionDeniedError(
            f"Only information governance leads of {dataset.publisher} decide access requests."
        )
    reason = _clean_reason(reason, approve=approve)
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    now = timezone.now()
    to = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REFUSED
    move_status(
        request,
        to,
        ACCESS_REQUEST_TRANSITIONS,
        refusal=f"This request is already {request.get_status_display().lower()}.",
        decided_by=by,
        decided_at=now,
        reason=reason,
    )
    grant = None
    if approve:
        grant = AccessGrant.objects.create(
            dataset=dataset,
            grantee=request.requester,
            request=request,
            granted_by=by,
            starts_at=now,
            expires_at=now + timedelta(days=request.duration_days),
        )
    audit_record(
        by=by,
        action=f"access_request.{'approve' if approve else 'refuse'}",
        obj=request,
        organisation=dataset.publisher,
        after={
            "reason": reason,
            "grantee": request.requester_id,
            "grant": grant.pk if grant else None,
            "expires_at": grant.expires_at if grant else None,
        },
    )
    email_after_commit(
        [request.requester],
        subject=f"Your request for {dataset.title} was {'approved' if approve else 'refused'}",
        template="catalogue/email/access_decision.txt",
        context={
            "request": request,
            "dataset": dataset,
            "approved": approve,
            "grant": grant,
            "path": reverse("catalogue:access-request-detail", args=[request.pk]),
        },
    )
    return request


@transaction.atomic
def access_grant_revoke(*, by: User, grant: AccessGrant) -> AccessGrant:
    """End a grant now: an IG lead of the publisher, or the grantee giving it up."""
    if not permissions.can_revoke_grant(by, grant):
        raise PermissionDeniedError(
            "Only the person holding a grant, or an information governance lead of the "
            "publisher, can revoke it."
        )
    grant = AccessGrant.objects.select_for_update().select_related("dataset").get(pk=grant.pk)
    now = timezone.now()
    if grant.revoked_at is not None:
        raise ApplicationError("This grant has already been revoked.")
    if grant.expires_at <= now:
        raise ApplicationError("This grant has already expired.")
    grant.revoked_at = now
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        by=by,
        action="access_grant.revoke",
        obj=grant,
        organisation=grant.dataset.publisher,
        after={"grantee": grant.grantee_id, "by_grantee": grant.grantee_id == by.pk},
    )
    if grant.grantee_id != by.pk:
        email_after_commit(
            [grant.grantee],
            subject=f"Your access to {grant.dataset.title} has ended",
            template="catalogue/email/access_revoked.txt",
            context={"grant": grant, "dataset": grant.dataset},
        )
    return grant
