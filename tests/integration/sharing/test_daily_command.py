"""The daily upkeep, as the management command cron runs and as a background task."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from interborough.core.selectors import audit_chain_head
from interborough.sharing.models import AgreementReminder, AgreementStatus, AuditHeadPublication
from interborough.sharing.tasks import sharing_daily
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(organisation, other_organisation):
    """One agreement to activate (ending in 20 days: a reminder), one to expire."""
    today = timezone.localdate()
    starting = agreement_row(
        [organisation, other_organisation],
        status=AgreementStatus.APPROVED,
        start=today,
        end=today + timedelta(days=20),
    )
    ending = agreement_row(
        [organisation, other_organisation],
        status=AgreementStatus.ACTIVE,
        start=today - timedelta(days=400),
        end=today,
    )
    return starting, ending


def test_sharing_daily_command_runs_each_step_and_says_what_it_did(due):
    starting, ending = due
    out = StringIO()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("sharing_daily", stdout=out)

    lines = out.getvalue().splitlines()
    today = timezone.localdate()
    assert lines[0] == f"Agreements on {today:%Y-%m-%d}: 1 activated, 1 expired."
    assert lines[1] == "Reminders: 1 sent."  # the new one ends within 30 days
    sequence, head_hash = AuditHeadPublication.objects.values_list("sequence", "head_hash").get()
    assert lines[2] == f"Audit head for {today:%Y-%m-%d}: event {sequence}, hash {head_hash}."
    assert len(lines) == 3
    starting.refresh_from_db()
    ending.refresh_from_db()
    assert (starting.status, ending.status) == ("active", "expired")
    assert AgreementReminder.objects.get().agreement == starting


def test_sharing_daily_command_twice_in_a_day_does_nothing_more(due):
    call_command("sharing_daily", stdout=StringIO())
    out = StringIO()

    call_command("sharing_daily", stdout=out)

    assert "0 activated, 0 expired" in out.getvalue()
    assert "Reminders: 0 sent." in out.getvalue()
    assert AuditHeadPublication.objects.count() == 1


def test_sharing_daily_task_does_the_same(due):
    result = sharing_daily.enqueue()

    assert result.return_value == {
        "activated": 1,
        "expired": 1,
        "reminders": 1,
        "audit_head_sequence": AuditHeadPublication.objects.get().sequence,
    }
    assert AuditHeadPublication.objects.get().sequence < audit_chain_head()[0]
