"""Every non-trivial read in the sharing app (import from here), scoped to the viewer where a
viewer is involved."""

from interborough.sharing.selectors.actions import (
    ActionList,
    DueDate,
    PendingApproval,
    agreements_awaiting,
)
from interborough.sharing.selectors.agreements import (
    agreement_version_for,
    agreement_versions,
    organisation_choices_for_drafting,
    party_choices,
)
from interborough.sharing.selectors.register import (
    audit_head_publications,
    register_agreements,
    register_list,
    register_organisations,
)

__all__ = [
    "ActionList",
    "DueDate",
    "PendingApproval",
    "agreement_version_for",
    "agreement_versions",
    "agreements_awaiting",
    "audit_head_publications",
    "organisation_choices_for_drafting",
    "party_choices",
    "register_agreements",
    "register_list",
    "register_organisations",
]
