"""Who the pipeline emails about an organisation's projects (sending is core/email.py)."""

from interborough.accounts.models import Membership, Organisation, User
from interborough.pipeline.permissions import OWNER_ROLES


def owners_of(organisation: Organisation) -> list[User]:
    """The people who look after an organisation's projects: its publishers and admins."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, role__in=OWNER_ROLES, user__is_active=True
        ).select_related("user")
    ]
