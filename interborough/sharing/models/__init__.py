"""Data sharing agreements (one row per version), their parties and approvals, what they cover,
and what the platform publishes about them."""

from interborough.sharing.models.agreements import (
    AGREED_STATUSES,
    AGREEMENT_TRANSITIONS,
    EDITABLE_STATUSES,
    AgreementStatus,
    DataSharingAgreement,
)
from interborough.sharing.models.coverage import AgreementDataset
from interborough.sharing.models.parties import (
    AgreementApproval,
    AgreementParty,
    ApprovalDecision,
    PartyRole,
)
from interborough.sharing.models.transparency import (
    AgreementReminder,
    AuditHeadPublication,
    ReminderKind,
)

__all__ = [
    "AGREED_STATUSES",
    "AGREEMENT_TRANSITIONS",
    "EDITABLE_STATUSES",
    "AgreementApproval",
    "AgreementDataset",
    "AgreementParty",
    "AgreementReminder",
    "AgreementStatus",
    "ApprovalDecision",
    "AuditHeadPublication",
    "DataSharingAgreement",
    "PartyRole",
    "ReminderKind",
]
