"""Who may see the audit trail (nobody can change it: it has no write route)."""

from tests.access.rules import STAFF, Route

ACCESS = {
    "core:audit-list": Route(STAFF),
    "core:audit-verification-create": Route(STAFF, methods=("POST",)),
    "core:audit-verification": Route(STAFF, kwargs=lambda w: {"pk": w.verification.pk}),
}
