"""Whom the sharing services email, and the emails themselves (sending is core/email.py, after
commit)."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from interborough.accounts.models import Membership, User
from interborough.core.email import email_after_commit
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.permissions import DRAFTER_ROLES, SIGNER_ROLES


def version_path(agreement: DataSharingAgreement) -> str:
    """The address of one version's page, for links in emails."""
    return reverse("sharing:version-detail", args=[agreement.reference, agreement.version])


def draft_path(agreement: DataSharingAgreement) -> str:
    """The address of a draft's task list, for links asking drafters to change it."""
    return reverse("sharing:draft-tasks", args=[agreement.reference, agreement.version])


def party_signers(agreement: DataSharingAgreement) -> list[User]:
    """The active IG leads of the agreement's parties."""
    return _people(agreement.parties.values_list("organisation_id", flat=True), SIGNER_ROLES)


def lead_drafters(agreement: DataSharingAgreement) -> list[User]:
    """The active people who draft for the lead organisation, and whoever started the draft."""
    people = _people([agreement.lead_organisation_id], DRAFTER_ROLES)
    creator = agreement.created_by
    if creator is not None and creator.is_active and creator not in people:
        people.append(creator)
    return people


def _people(organisation_ids: Iterable[int], roles: frozenset[str]) -> list[User]:
    memberships = Membership.objects.filter(
        organisation_id__in=list(organisation_ids),
        organisation__is_active=True,
        role__in=roles,
        user__is_active=True,
    ).select_related("user")
    return list({m.user_id: m.user for m in memberships}.values())


def send(
    recipients: Iterable[User],
    agreement: DataSharingAgreement,
    *,
    subject: str,
    template: str,
    **context: Any,
) -> int:
    """One email per person about this agreement version (after commit); returns how many.
    The link is to the version's page unless the context gives another `path`."""
    return email_after_commit(
        recipients,
        subject=f"{subject}: {agreement.reference} {agreement.title}",
        template=f"sharing/email/{template}.txt",
        context={"agreement": agreement, "path": version_path(agreement), **context},
    )
