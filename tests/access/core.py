"""Who may see the audit trail (nobody can change it: it has no write route)."""

from tests.access.rules import STAFF, Route

ACCESS = {
    "core:audit-list": Route(STAFF),
}
