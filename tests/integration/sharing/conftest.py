"""Fixtures shared by the sharing tests: a drafter at Camden, the two parties (Camden and
Hackney), and a complete draft Camden leads (modules may define their own instead)."""

import pytest

from interborough.sharing.models import AgreementStatus
from tests.factories.accounts import MembershipFactory
from tests.factories.sharing import agreement_row
from tests.integration.sharing.drafting import REF


@pytest.fixture
def drafter(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def parties(organisation, other_organisation):
    return [organisation, other_organisation]


@pytest.fixture
def draft(parties, drafter):
    """A complete draft led by Camden, with Hackney as the other party."""
    return agreement_row(parties, status=AgreementStatus.DRAFT, reference=REF, by=drafter)
