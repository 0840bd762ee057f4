"""An agreed version's life: suspend, resume, terminate; the calendar (activate, expire);
reminders before review and end dates; the audit trail's published head."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.utils import timezone

from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.core.selectors import audit_chain_head
from interborough.sharing.models import AgreementReminder, AgreementStatus, AuditHeadPublication
from interborough.sharing.services import (
    agreement_reminders_send,
    agreement_resume,
    agreement_suspend,
    agreement_terminate,
    agreements_advance,
    audit_head_publish,
)
from tests.factories.accounts import MembershipFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def camden_lead(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def hackney_lead(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="ig_lead").user


@pytest.fixture
def active(organisation, other_organisation):
    return agreement_row([organisation, other_organisation], status=AgreementStatus.ACTIVE)


def _row(organisation, other_organisation, status, start_days, end_days, **kwargs):
    return agreement_row(
        [organisation, other_organisation],
        status=status,
        start=TODAY + timedelta(days=start_days),
        end=TODAY + timedelta(days=end_days),
        **kwargs,
    )


# --- suspend, resume, terminate ------------------------------------------------------------


def test_agreement_suspend_records_the_reason_and_tells_the_parties(
    active, hackney_lead, camden_lead
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        agreement = agreement_suspend(by=hackney_lead, agreement=active, reason="Breach inquiry.")

    assert agreement.status == AgreementStatus.SUSPENDED
    assert agreement.status_reason == "Breach inquiry."
    assert {m.to[0] for m in mail.outbox} == {hackney_lead.email, camden_lead.email}
    assert "Breach inquiry." in mail.outbox[0].body
    event = AuditEvent.objects.get(action="agreement.suspend")
    assert event.actor == hackney_lead
    assert event.changes["after"] == {"status": "suspended", "status_reason": "Breach inquiry."}


def test_agreement_resume_lets_it_work_again(active, camden_lead):
    suspended = agreement_suspend(by=camden_lead, agreement=active, reason="Inquiry.")

    agreement = agreement_resume(by=camden_lead, agreement=suspended)

    assert (agreement.status, agreement.status_reason) == (AgreementStatus.ACTIVE, "")


def test_agreement_resume_refuses_once_the_end_date_has_come(
    organisation, other_organisation, camden_lead
):
    ended = _row(organisation, other_organisation, AgreementStatus.SUSPENDED, -30, 0)

    with pytest.raises(ApplicationError, match="new version"):
        agreement_resume(by=camden_lead, agreement=ended)


def test_agreement_terminate_ends_it_for_good(active, camden_lead):
    agreement = agreement_terminate(by=camden_lead, agreement=active, reason="Project closed.")

    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.ended_at is not None and agreement.status_reason == "Project closed."
    with pytest.raises(ApplicationError, match="cannot become"):
        agreement_resume(by=camden_lead, agreement=agreement)


@pytest.mark.parametrize("service", [agreement_suspend, agreement_terminate])
def test_suspending_and_terminating_need_a_reason(active, camden_lead, service):
    with pytest.raises(ApplicationError) as refused:
        service(by=camden_lead, agreement=active, reason="  ")

    assert refused.value.field == "reason"
    active.refresh_from_db()
    assert active.status == AgreementStatus.ACTIVE


def test_managing_an_agreement_is_for_the_parties_ig_leads(active, organisation, staff):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user

    for person in (publisher, staff):
        with pytest.raises(PermissionDenied):
            agreement_suspend(by=person, agreement=active, reason="Because.")
        with pytest.raises(PermissionDenied):
            agreement_terminate(by=person, agreement=active, reason="Because.")
    with pytest.raises(PermissionDenied):
        agreement_resume(by=publisher, agreement=active)


def test_suspending_refuses_a_version_that_is_not_active(
    organisation, other_organisation, camden_lead
):
    draft = agreement_row([organisation, other_organisation], status=AgreementStatus.DRAFT)

    with pytest.raises(ApplicationError, match="cannot become suspended"):
        agreement_suspend(by=camden_lead, agreement=draft, reason="Because.")


# --- agreements_advance -----------------------------------------------------------------------


def test_agreements_advance_activates_approved_ones_whose_start_has_come(
    organisation, other_organisation
):
    due = _row(organisation, other_organisation, AgreementStatus.APPROVED, 0, 30)
    later = _row(organisation, other_organisation, AgreementStatus.APPROVED, 1, 30)
    draft = _row(organisation, other_organisation, AgreementStatus.DRAFT, -5, 30)

    result = agreements_advance(today=TODAY)

    assert result == {"activated": 1, "expired": 0}
    for row, status in ((due, "active"), (later, "approved"), (draft, "draft")):
        row.refresh_from_db()
        assert row.status == status
    assert due.activated_at is not None
    event = AuditEvent.objects.get(action="agreement.activate")
    assert event.actor is None and event.actor_label == "agreement scheduler"


def test_agreements_advance_expires_on_the_end_date(organisation, other_organisation):
    ending = _row(organisation, other_organisation, AgreementStatus.ACTIVE, -30, 0)
    suspended = _row(organisation, other_organisation, AgreementStatus.SUSPENDED, -30, -1)
    tomorrow = _row(organisation, other_organisation, AgreementStatus.ACTIVE, -30, 1)

    assert agreements_advance(today=TODAY) == {"activated": 0, "expired": 2}

    for row, status in ((ending, "expired"), (suspended, "expired"), (tomorrow, "active")):
        row.refresh_from_db()
        assert row.status == status
    assert ending.ended_at is not None
    assert agreements_advance(today=TODAY) == {"activated": 0, "expired": 0}  # idempotent


def test_agreements_advance_activation_supersedes_the_previous_version(
    organisation, other_organisation
):
    first = _row(organisation, other_organisation, "active", -300, 60, reference="DSA-2026-0100")
    second = _row(
        organisation, other_organisation, "approved", 0, 700, reference="DSA-2026-0100", version=2
    )

    agreements_advance(today=TODAY)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("terminated", "active")
    assert first.status_reason == "Superseded by version 2"


def test_agreements_advance_both_activates_and_expires_a_short_agreement_it_missed(
    organisation, other_organisation
):
    missed = _row(organisation, other_organisation, AgreementStatus.APPROVED, -10, -2)

    assert agreements_advance(today=TODAY) == {"activated": 1, "expired": 1}
    missed.refresh_from_db()
    assert missed.status == AgreementStatus.EXPIRED


# --- agreement_reminders_send ----------------------------------------------------------------


def test_agreement_reminders_send_emails_the_parties_30_days_ahead_once(
    organisation, other_organisation, camden_lead, hackney_lead
):
    agreement = agreement_row(
        [organisation, other_organisation],
        start=TODAY - timedelta(days=335),  # review date: start + 365 = in 30 days
        end=TODAY + timedelta(days=400),
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert agreement_reminders_send(today=TODAY) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert agreement_reminders_send(today=TODAY + timedelta(days=1)) == 0

    reminder = AgreementReminder.objects.get()
    assert (reminder.agreement, reminder.kind) == (agreement, "review")
    assert reminder.due_date == TODAY + timedelta(days=30)
    assert {m.to[0] for m in mail.outbox} == {camden_lead.email, hackney_lead.email}
    assert "in 30 days" in mail.outbox[0].subject
    assert "review" in mail.outbox[0].body


def test_agreement_reminders_send_on_the_day_and_not_before_the_window(
    organisation, other_organisation
):
    _row(organisation, other_organisation, AgreementStatus.ACTIVE, -400, 0)  # ends today
    _row(organisation, other_organisation, AgreementStatus.ACTIVE, -400, 31)  # not yet
    _row(organisation, other_organisation, AgreementStatus.EXPIRED, -400, 5)  # over already
    _row(organisation, other_organisation, AgreementStatus.DRAFT, -400, 5)  # never agreed

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert agreement_reminders_send(today=TODAY) == 1

    reminder = AgreementReminder.objects.get()
    assert (reminder.kind, reminder.due_date) == ("end", TODAY)
    assert AuditEvent.objects.get(action="agreement.remind").changes["after"]["kind"] == "end"


def test_agreement_reminders_send_again_when_the_date_moves(organisation, other_organisation):
    agreement = _row(organisation, other_organisation, AgreementStatus.ACTIVE, -400, 10)
    agreement_reminders_send(today=TODAY)
    agreement.end_date = TODAY + timedelta(days=20)
    agreement.save()

    assert agreement_reminders_send(today=TODAY) == 1
    assert AgreementReminder.objects.filter(kind="end").count() == 2


# --- audit_head_publish -------------------------------------------------------------------


def test_audit_head_publish_copies_the_chain_head_once_a_day(active, camden_lead):
    agreement_suspend(by=camden_lead, agreement=active, reason="Something to audit.")
    sequence, head_hash = audit_chain_head()

    publication = audit_head_publish(day=TODAY)
    again = audit_head_publish(day=TODAY)

    assert (publication.day, publication.sequence, publication.head_hash) == (
        TODAY,
        sequence,
        head_hash,
    )
    assert again == publication
    assert AuditHeadPublication.objects.count() == 1
    event = AuditEvent.objects.get(action="audit.head_publish")
    assert event.sequence == sequence + 1  # recorded after the head it publishes
    assert event.changes["after"]["head_hash"] == head_hash
