"""Every write in the sharing app (import from here): drafting, submission, approval, the
lifecycle, and the daily upkeep. See each module for its rules; drafting.py says which errors
they raise."""

from interborough.sharing.services.approval import agreement_approve, agreement_request_changes
from interborough.sharing.services.drafting import (
    agreement_create,
    agreement_import,
    agreement_new_version,
    agreement_section_update,
)
from interborough.sharing.services.lifecycle import (
    agreement_resume,
    agreement_suspend,
    agreement_terminate,
    agreements_advance,
)
from interborough.sharing.services.submission import (
    agreement_submit,
    agreement_withdraw,
    submission_problems,
)
from interborough.sharing.services.transparency import (
    agreement_reminders_send,
    audit_head_publish,
)

__all__ = [
    "agreement_approve",
    "agreement_create",
    "agreement_import",
    "agreement_new_version",
    "agreement_reminders_send",
    "agreement_request_changes",
    "agreement_resume",
    "agreement_section_update",
    "agreement_submit",
    "agreement_suspend",
    "agreement_terminate",
    "agreement_withdraw",
    "agreements_advance",
    "audit_head_publish",
    "submission_problems",
]
