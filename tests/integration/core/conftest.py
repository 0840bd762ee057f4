import pytest

from interborough.accounts.services import organisation_update
from interborough.core.models import AuditEvent


@pytest.fixture
def trail(org_admin, organisation) -> list[int]:
    """Four audited writes; the sequence numbers of every event in the chain."""
    for n in range(4):
        organisation_update(
            by=org_admin,
            organisation=organisation,
            description=f"Version {n}",
            website="https://camden.gov.uk",
            ico_registration="Z1234567",
        )
    return list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
