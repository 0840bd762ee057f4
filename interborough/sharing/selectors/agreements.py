"""Reads of agreement versions for the reading and drafting pages."""

from django.db.models import QuerySet

from interborough.accounts.models import Organisation, User
from interborough.sharing import permissions
from interborough.sharing.models import DataSharingAgreement


def _with_related(rows: QuerySet[DataSharingAgreement]) -> QuerySet[DataSharingAgreement]:
    return rows.select_related("lead_organisation", "supersedes", "created_by").prefetch_related(
        "parties__organisation", "approvals__organisation", "approvals__decided_by"
    )


def agreement_versions(*, reference: str) -> list[DataSharingAgreement]:
    """Every version of an agreement, newest first (check each one's visibility before showing
    more than its number and status)."""
    rows = DataSharingAgreement.objects.filter(reference=reference).order_by("-version")
    return list(_with_related(rows))


def agreement_version_for(
    *, viewer: User, reference: str, version: int | None = None
) -> DataSharingAgreement | None:
    """One version the viewer may read in full (`version` None: the newest they may read);
    None when it does not exist or is not theirs to read."""
    rows = DataSharingAgreement.objects.filter(reference=reference).filter(
        permissions.visible_agreements_q(viewer)
    )
    if version is not None:
        rows = rows.filter(version=version)
    return _with_related(rows.order_by("-version")).first()


def organisation_choices_for_drafting(*, viewer: User) -> QuerySet[Organisation]:
    """The active organisations the viewer may start an agreement for."""
    ids = permissions.organisation_ids_with_roles(viewer, permissions.DRAFTER_ROLES)
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")


def party_choices(*, exclude: Organisation | None = None) -> QuerySet[Organisation]:
    """The organisations that may be named as parties: every active one."""
    rows = Organisation.objects.filter(is_active=True).order_by("name")
    return rows.exclude(pk=exclude.pk) if exclude is not None else rows
