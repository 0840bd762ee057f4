"""The agreement workflow as a table: every pair of statuses, allowed or refused through the one
transition service."""

import itertools

import pytest

from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.sharing.models import AGREEMENT_TRANSITIONS, AgreementStatus
from interborough.sharing.services.lifecycle import transition
from tests.factories.accounts import OrganisationFactory
from tests.factories.sharing import agreement_row

S = AgreementStatus

# The workflow the issue describes, written out again here (not read from the map it checks).
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),  # sent to every party
    (S.SUBMITTED, S.APPROVED),  # the last party approved
    (S.SUBMITTED, S.CHANGES_REQUESTED),  # a party sent it back
    (S.SUBMITTED, S.DRAFT),  # withdrawn by the drafters
    (S.CHANGES_REQUESTED, S.DRAFT),  # edited
    (S.CHANGES_REQUESTED, S.SUBMITTED),  # resubmitted unchanged
    (S.APPROVED, S.ACTIVE),  # its start date came
    (S.APPROVED, S.TERMINATED),  # ended before it began, or superseded
    (S.ACTIVE, S.SUSPENDED),
    (S.ACTIVE, S.EXPIRED),  # its end date came
    (S.ACTIVE, S.TERMINATED),
    (S.SUSPENDED, S.ACTIVE),  # resumed
    (S.SUSPENDED, S.EXPIRED),
    (S.SUSPENDED, S.TERMINATED),
}
PAIRS = list(itertools.product(S.values, repeat=2))


def test_the_transitions_map_is_the_table():
    assert set(AGREEMENT_TRANSITIONS) == set(S.values)
    assert {(a, b) for a, tos in AGREEMENT_TRANSITIONS.items() for b in tos} == ALLOWED


def test_expired_and_terminated_are_final():
    assert not AGREEMENT_TRANSITIONS[S.EXPIRED]
    assert not AGREEMENT_TRANSITIONS[S.TERMINATED]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_allows_exactly_the_tables_moves(start, to):
    agreement = agreement_row([OrganisationFactory()], status=start)

    if (start, to) in ALLOWED:
        transition(agreement, to, by=None, action="agreement.test")
        agreement.refresh_from_db()
        assert agreement.status == to
        event = AuditEvent.objects.get(action="agreement.test")
        assert event.changes == {"before": {"status": start}, "after": {"status": to}}
        assert event.actor_label == "agreement scheduler"
    else:
        with pytest.raises(ApplicationError, match="cannot become"):
            transition(agreement, to, by=None, action="agreement.test")
        agreement.refresh_from_db()
        assert agreement.status == start
        assert not AuditEvent.objects.exists()
