"""Reads for restricted data: what a dataset page shows a person about access, the requests and
grants a person sees, and who decides a dataset's requests."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from interborough.accounts.models import Membership, User
from interborough.catalogue import permissions
from interborough.catalogue.models import (
    AccessGrant,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    Dataset,
    DatasetStatus,
)


@dataclass(frozen=True)
class AccessState:
    """What the dataset page says about reading the data, for one person."""

    can_read: bool
    restricted: bool
    signed_in: bool
    pending_request: AccessRequest | None
    grant: AccessGrant | None  # the person's current grant, if that is how they read it
    may_request: bool  # restricted, published, not readable and nothing pending
    can_decide: bool  # an IG lead of the publisher

    @property
    def grant_expires_at(self) -> datetime | None:
        return self.grant.expires_at if self.grant else None


def _current_grants() -> QuerySet[AccessGrant]:
    now = timezone.now()
    return AccessGrant.objects.filter(
        revoked_at__isnull=True, starts_at__lte=now, expires_at__gt=now
    )


def access_state(*, viewer: User, dataset: Dataset) -> AccessState:
    """What the dataset page should show the viewer about access to its data."""
    signed_in = permissions.is_signed_in(viewer)
    restricted = dataset.access_level == AccessLevel.RESTRICTED
    can_read = permissions.can_read_data(viewer, dataset)
    pending = grant = None
    if signed_in and restricted:
        pending = AccessRequest.objects.filter(
            dataset=dataset, requester=viewer, status=AccessRequestStatus.PENDING
        ).first()
        grant = (
            _current_grants()
            .filter(dataset=dataset, grantee=viewer)
            .order_by("-expires_at")
            .first()
        )
    return AccessState(
        can_read=can_read,
        restricted=restricted,
        signed_in=signed_in,
        pending_request=pending,
        grant=grant if can_read else None,
        may_request=(
            restricted
            and dataset.status == DatasetStatus.PUBLISHED
            and not can_read
            and pending is None
        ),
        can_decide=restricted and permissions.can_decide_access(viewer, dataset),
    )


def _decider_organisations(viewer: User) -> QuerySet[Membership, int]:
    """The ids of the organisations where the viewer decides access (a subquery)."""
    deciding = Membership.objects.filter(user=viewer, role__in=permissions.ACCESS_DECIDER_ROLES)
    return deciding.values_list("organisation_id", flat=True)


def access_requests_waiting(*, viewer: User) -> QuerySet[AccessRequest]:
    """Pending requests for datasets of organisations where the viewer decides access."""
    if not permissions.is_signed_in(viewer):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.filter(
            status=AccessRequestStatus.PENDING,
            dataset__publisher__in=_decider_organisations(viewer),
        )
        .select_related("dataset__publisher", "requester", "organisation")
        .order_by("created_at")
    )


def access_requests_of(*, viewer: User) -> QuerySet[AccessRequest]:
    """The viewer's own requests, newest first."""
    if not permissions.is_signed_in(viewer):
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(requester=viewer).select_related(
        "dataset__publisher", "organisation", "decided_by", "grant"
    )


def access_grants_of(*, viewer: User) -> QuerySet[AccessGrant]:
    """The viewer's current grants, the soonest to expire first."""
    if not permissions.is_signed_in(viewer):
        return AccessGrant.objects.none()
    return (
        _current_grants()
        .filter(grantee=viewer)
        .select_related("dataset__publisher")
        .order_by("expires_at")
    )


def access_grants_to_oversee(*, viewer: User) -> QuerySet[AccessGrant]:
    """Current grants on datasets of organisations where the viewer decides access."""
    if not permissions.is_signed_in(viewer):
        return AccessGrant.objects.none()
    return (
        _current_grants()
        .filter(dataset__publisher__in=_decider_organisations(viewer))
        .select_related("dataset__publisher", "grantee")
        .order_by("expires_at")
    )


def access_request_for(*, viewer: User, pk: int) -> AccessRequest | None:
    """One request, if the viewer asked it or decides for its publisher; None otherwise."""
    if not permissions.is_signed_in(viewer):
        return None
    return (
        AccessRequest.objects.filter(pk=pk)
        .filter(Q(requester=viewer) | Q(dataset__publisher__in=_decider_organisations(viewer)))
        .select_related("dataset__publisher", "requester", "organisation", "decided_by", "grant")
        .first()
    )


def access_grant_for(*, viewer: User, pk: int) -> AccessGrant | None:
    """One grant, if the viewer holds it or decides for its publisher; None otherwise."""
    if not permissions.is_signed_in(viewer):
        return None
    return (
        AccessGrant.objects.filter(pk=pk)
        .filter(Q(grantee=viewer) | Q(dataset__publisher__in=_decider_organisations(viewer)))
        .select_related("dataset__publisher", "grantee")
        .first()
    )


def access_deciders(*, dataset: Dataset) -> list[User]:
    """The active people who decide access requests for the dataset's publisher."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=dataset.publisher_id,
            role__in=permissions.ACCESS_DECIDER_ROLES,
            user__is_active=True,
        ).select_related("user")
    ]
