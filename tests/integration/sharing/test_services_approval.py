"""Approval services: every party's IG lead approves the exact text, or sends it back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.utils import timezone

from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.sharing.models import (
    AgreementApproval,
    AgreementStatus,
    ApprovalDecision,
    DataSharingAgreement,
)
from interborough.sharing.services import (
    agreement_approve,
    agreement_import,
    agreement_new_version,
    agreement_request_changes,
    agreement_section_update,
    agreement_submit,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.sharing import agreement_row, full_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafter(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def camden_lead(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def hackney_lead(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="ig_lead").user


def _submitted(drafter, organisation, other_organisation, **dates):
    document = full_document([organisation, other_organisation], **dates)
    draft = agreement_import(by=drafter, organisation=organisation, document=document)
    return agreement_submit(by=drafter, agreement=draft)


@pytest.fixture
def submitted(drafter, organisation, other_organisation):
    return _submitted(drafter, organisation, other_organisation)


def _approve(by, agreement, organisation):
    return agreement_approve(
        by=by, agreement=agreement, organisation=organisation, text_hash=agreement.text_hash
    )


def test_agreement_approve_records_who_when_and_the_text_hash(submitted, camden_lead, organisation):
    agreement = _approve(camden_lead, submitted, organisation)

    approval = AgreementApproval.objects.get()
    assert (approval.organisation, approval.decided_by) == (organisation, camden_lead)
    assert approval.decision == ApprovalDecision.APPROVED
    assert approval.text_hash == submitted.text_hash and approval.decided_at is not None
    assert agreement.status == AgreementStatus.SUBMITTED  # Hackney has not approved yet
    event = AuditEvent.objects.get(action="agreement.approve")
    assert event.organisation == organisation
    assert event.changes["after"]["text_hash"] == submitted.text_hash


def test_agreement_approve_by_the_last_party_activates_an_agreement_that_has_started(
    submitted, camden_lead, hackney_lead, drafter, organisation, other_organisation
):
    _approve(camden_lead, submitted, organisation)

    with TestCase.captureOnCommitCallbacks(execute=True):
        agreement = _approve(hackney_lead, submitted, other_organisation)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.approved_at is not None and agreement.activated_at is not None
    assert {m.to[0] for m in mail.outbox} == {drafter.email, camden_lead.email, hackney_lead.email}
    assert "approved by every party" in mail.outbox[0].subject
    assert "It is active now" in mail.outbox[0].body


def test_agreement_approve_leaves_a_future_agreement_approved_until_its_start(
    drafter, camden_lead, hackney_lead, organisation, other_organisation
):
    start = timezone.localdate() + timedelta(days=10)
    agreement = _submitted(drafter, organisation, other_organisation, start=start)

    _approve(camden_lead, agreement, organisation)
    agreement = _approve(hackney_lead, agreement, other_organisation)

    assert agreement.status == AgreementStatus.APPROVED
    assert agreement.activated_at is None


def test_agreement_approve_refuses_a_text_other_than_the_one_submitted(
    submitted, camden_lead, organisation
):
    with pytest.raises(ApplicationError, match="changed since you read it"):
        agreement_approve(
            by=camden_lead, agreement=submitted, organisation=organisation, text_hash="0" * 64
        )
    assert not AgreementApproval.objects.exists()


def test_agreement_approve_refuses_a_stored_text_altered_after_submission(
    submitted, camden_lead, organisation
):
    document = {**submitted.document, "title": "Something else entirely"}
    DataSharingAgreement.objects.filter(pk=submitted.pk).update(document=document)

    with pytest.raises(ApplicationError, match="may have been altered"):
        _approve(camden_lead, submitted, organisation)
    assert not AgreementApproval.objects.exists()


def test_agreement_approve_once_per_party_per_text(submitted, camden_lead, organisation):
    _approve(camden_lead, submitted, organisation)
    second_lead = MembershipFactory(organisation=organisation, role="ig_lead").user

    with pytest.raises(ApplicationError, match="already approved"):
        _approve(second_lead, submitted, organisation)
    assert AgreementApproval.objects.count() == 1


def test_agreement_approve_nobody_approves_for_another_organisation(
    submitted, camden_lead, other_organisation
):
    with pytest.raises(PermissionDenied, match="London Borough of Hackney"):
        _approve(camden_lead, submitted, other_organisation)


def test_agreement_approve_refuses_platform_staff_and_non_leads(
    submitted, organisation, staff, drafter
):
    MembershipFactory(user=staff, organisation=organisation, role="ig_lead")

    with pytest.raises(PermissionDenied, match="Platform staff"):
        _approve(staff, submitted, organisation)
    with pytest.raises(PermissionDenied):
        _approve(drafter, submitted, organisation)
    assert not AgreementApproval.objects.exists()


def test_agreement_approve_refuses_an_organisation_that_is_not_a_party(submitted):
    stranger = OrganisationFactory()
    lead = MembershipFactory(organisation=stranger, role="ig_lead").user

    with pytest.raises(PermissionDenied):
        _approve(lead, submitted, stranger)


def test_agreement_approve_through_a_token_only_for_its_organisation(
    submitted, organisation, other_organisation
):
    lead = MembershipFactory(organisation=organisation, role="ig_lead").user
    MembershipFactory(user=lead, organisation=other_organisation, role="ig_lead")
    lead.acting_organisation_id = organisation.pk

    with pytest.raises(PermissionDenied):
        _approve(lead, submitted, other_organisation)
    _approve(lead, submitted, organisation)
    assert AgreementApproval.objects.get().organisation == organisation


def test_agreement_approve_refuses_a_version_not_waiting(camden_lead, organisation, hackney_lead):
    active = agreement_row([organisation], status=AgreementStatus.ACTIVE)

    with pytest.raises(ApplicationError, match="only a submitted version"):
        _approve(camden_lead, active, organisation)


def test_agreement_approve_of_a_new_version_supersedes_the_one_in_force(
    camden_lead, hackney_lead, drafter, organisation, other_organisation
):
    first = agreement_row([organisation, other_organisation], status=AgreementStatus.ACTIVE)
    draft = agreement_new_version(by=camden_lead, agreement=first)
    ethics = {**draft.document["ethics"], "transparency": "Also in the council newsletter."}
    draft = agreement_section_update(
        by=drafter, agreement=draft, section="ethics", values={"ethics": ethics}
    )
    second = agreement_submit(by=drafter, agreement=draft)

    _approve(camden_lead, second, organisation)
    second = _approve(hackney_lead, second, other_organisation)

    first.refresh_from_db()
    assert second.status == AgreementStatus.ACTIVE
    assert first.status == AgreementStatus.TERMINATED
    assert first.status_reason == "Superseded by version 2"
    assert first.ended_at is not None


# --- agreement_request_changes ---------------------------------------------------------------


def test_agreement_request_changes_sends_it_back_to_the_drafters(
    submitted, hackney_lead, drafter, other_organisation, organisation
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        agreement = agreement_request_changes(
            by=hackney_lead,
            agreement=submitted,
            organisation=other_organisation,
            comment="  Add our DPO's mailbox.  ",
        )

    assert agreement.status == AgreementStatus.CHANGES_REQUESTED
    assert agreement.status_reason == "Add our DPO's mailbox."
    decision = AgreementApproval.objects.get()
    assert decision.decision == ApprovalDecision.CHANGES_REQUESTED
    assert decision.comment == "Add our DPO's mailbox."
    assert drafter.email in {m.to[0] for m in mail.outbox}
    assert "Add our DPO's mailbox." in mail.outbox[0].body
    assert f"/agreements/{agreement.reference}/v1/edit/" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="agreement.request_changes")
    assert event.changes["after"]["organisation"] == other_organisation.slug


def test_agreement_request_changes_needs_a_comment(submitted, hackney_lead, other_organisation):
    with pytest.raises(ApplicationError) as refused:
        agreement_request_changes(
            by=hackney_lead, agreement=submitted, organisation=other_organisation, comment=" "
        )

    assert refused.value.field == "comment"
    submitted.refresh_from_db()
    assert submitted.status == AgreementStatus.SUBMITTED


def test_agreement_request_changes_is_for_a_partys_ig_lead(submitted, drafter, organisation):
    with pytest.raises(PermissionDenied):
        agreement_request_changes(
            by=drafter, agreement=submitted, organisation=organisation, comment="No."
        )


def test_approvals_of_an_earlier_text_do_not_count_after_a_change(
    submitted, camden_lead, hackney_lead, drafter, organisation, other_organisation
):
    _approve(camden_lead, submitted, organisation)
    agreement_request_changes(
        by=hackney_lead, agreement=submitted, organisation=other_organisation, comment="Dates."
    )
    submitted.refresh_from_db()
    exit_terms = {**submitted.document["exit"], "termination_terms": "Six months' notice."}
    draft = agreement_section_update(
        by=drafter, agreement=submitted, section="exit", values={"exit": exit_terms}
    )
    resubmitted = agreement_submit(by=drafter, agreement=draft)

    agreement = _approve(hackney_lead, resubmitted, other_organisation)

    assert agreement.status == AgreementStatus.SUBMITTED  # Camden approved the old text only
    agreement = _approve(camden_lead, resubmitted, organisation)
    assert agreement.status == AgreementStatus.ACTIVE
