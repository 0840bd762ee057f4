"""Who may see and do what with agreements (sharing/permissions.py)."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from interborough.sharing import permissions
from interborough.sharing.models import (
    AgreementApproval,
    AgreementStatus,
    DataSharingAgreement,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

S = AgreementStatus


def _person(organisation, role="member", is_active=True):
    return MembershipFactory(organisation=organisation, role=role, user__is_active=is_active).user


@pytest.fixture
def third(db):
    return OrganisationFactory(name="Greater London Authority", slug="gla")


def _agreement(organisation, other_organisation, status=S.DRAFT, **kwargs):
    return agreement_row([organisation, other_organisation], status=status, **kwargs)


@pytest.mark.parametrize(
    ("status", "in_register", "public"),
    [
        (S.DRAFT, True, False),
        (S.SUBMITTED, True, False),
        (S.CHANGES_REQUESTED, True, False),
        (S.APPROVED, True, True),
        (S.ACTIVE, True, True),
        (S.SUSPENDED, True, True),
        (S.EXPIRED, True, True),
        (S.TERMINATED, True, True),
        (S.ACTIVE, False, False),
    ],
)
def test_is_public_for_agreed_versions_in_the_register(
    organisation, other_organisation, status, in_register, public
):
    agreement = _agreement(organisation, other_organisation, status, in_register=in_register)

    assert permissions.is_public(agreement) is public


def test_can_view_full_public_versions_for_everyone(organisation, other_organisation, third):
    agreement = _agreement(organisation, other_organisation, S.ACTIVE)

    assert permissions.can_view_full(AnonymousUser(), agreement)
    assert permissions.can_view_full(_person(third), agreement)


def test_can_view_full_other_versions_for_the_parties_and_staff(
    organisation, other_organisation, third, staff
):
    draft = _agreement(organisation, other_organisation, S.DRAFT)

    assert permissions.can_view_full(_person(organisation), draft)
    assert permissions.can_view_full(_person(other_organisation), draft)
    assert permissions.can_view_full(staff, draft)
    assert not permissions.can_view_full(_person(third), draft)
    assert not permissions.can_view_full(AnonymousUser(), draft)
    assert not permissions.can_view_full(_person(organisation, is_active=False), draft)


def test_can_view_full_through_a_token_only_its_organisation_counts(
    organisation, other_organisation, third
):
    draft = _agreement(organisation, other_organisation, S.DRAFT)
    person = _person(third)
    MembershipFactory(user=person, organisation=organisation)
    person.acting_organisation_id = third.pk

    assert not permissions.can_view_full(person, draft)
    person.acting_organisation_id = organisation.pk
    assert permissions.can_view_full(person, draft)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("member", False), ("publisher", True), ("org_admin", True), ("ig_lead", True)],
)
def test_can_draft_for_publishers_admins_and_ig_leads(organisation, role, allowed):
    assert permissions.can_draft(_person(organisation, role), organisation) is allowed


def test_can_draft_not_for_an_inactive_person_or_organisation_or_another_one(
    organisation, other_organisation
):
    publisher = _person(organisation, "publisher")

    assert not permissions.can_draft(publisher, other_organisation)
    assert not permissions.can_draft(
        _person(organisation, "publisher", is_active=False), organisation
    )
    organisation.is_active = False
    organisation.save()
    assert not permissions.can_draft(publisher, organisation)
    assert not permissions.can_draft(AnonymousUser(), organisation)


@pytest.mark.parametrize("status", S.values)
def test_can_edit_and_submit_only_editable_versions_for_the_leads_drafters(
    organisation, other_organisation, status
):
    agreement = _agreement(organisation, other_organisation, status)
    lead_drafter = _person(organisation, "publisher")
    other_drafter = _person(other_organisation, "publisher")
    editable = status in (S.DRAFT, S.CHANGES_REQUESTED)

    assert permissions.can_edit(lead_drafter, agreement) is editable
    assert permissions.can_submit(lead_drafter, agreement) is editable
    assert not permissions.can_edit(other_drafter, agreement)
    assert not permissions.can_submit(_person(organisation), agreement)


def test_can_decide_for_a_party_by_its_ig_lead_only(organisation, other_organisation, third, staff):
    agreement = _agreement(organisation, other_organisation, S.SUBMITTED)
    camden_lead = _person(organisation, "ig_lead")
    MembershipFactory(user=staff, organisation=organisation, role="ig_lead")

    assert permissions.can_decide(camden_lead, agreement, organisation)
    assert not permissions.can_decide(camden_lead, agreement, other_organisation)
    assert not permissions.can_decide(_person(organisation, "org_admin"), agreement, organisation)
    assert not permissions.can_decide(staff, agreement, organisation)
    assert not permissions.can_decide(_person(third, "ig_lead"), agreement, third)
    assert not permissions.can_decide(AnonymousUser(), agreement, organisation)


def test_decidable_organisations_lists_the_parties_still_to_approve(
    organisation, other_organisation, third
):
    agreement = agreement_row([organisation, other_organisation, third], status=S.SUBMITTED)
    DataSharingAgreement.objects.filter(pk=agreement.pk).update(text_hash="a" * 64)
    agreement.refresh_from_db()
    lead = _person(organisation, "ig_lead")
    MembershipFactory(user=lead, organisation=other_organisation, role="ig_lead")
    MembershipFactory(user=lead, organisation=third, role="member")

    assert permissions.decidable_organisations(lead, agreement) == [
        organisation,
        other_organisation,
    ]
    AgreementApproval.objects.create(
        agreement=agreement,
        organisation=organisation,
        decided_by=lead,
        decided_at=timezone.now(),
        decision="approved",
        text_hash="a" * 64,
    )
    AgreementApproval.objects.create(  # approved an earlier text: still owes this one
        agreement=agreement,
        organisation=other_organisation,
        decided_by=lead,
        decided_at=timezone.now(),
        decision="approved",
        text_hash="b" * 64,
    )
    assert permissions.decidable_organisations(lead, agreement) == [other_organisation]
    lead.acting_organisation_id = organisation.pk
    assert permissions.decidable_organisations(lead, agreement) == []


@pytest.mark.parametrize("status", [s for s in S.values if s != S.SUBMITTED])
def test_decidable_organisations_is_empty_unless_submitted(
    organisation, other_organisation, status
):
    agreement = _agreement(organisation, other_organisation, status)

    assert permissions.decidable_organisations(_person(organisation, "ig_lead"), agreement) == []


def test_can_manage_for_the_ig_leads_of_any_party(organisation, other_organisation, third, staff):
    agreement = _agreement(organisation, other_organisation, S.ACTIVE)

    assert permissions.can_manage(_person(organisation, "ig_lead"), agreement)
    assert permissions.can_manage(_person(other_organisation, "ig_lead"), agreement)
    assert not permissions.can_manage(_person(organisation, "org_admin"), agreement)
    assert not permissions.can_manage(_person(third, "ig_lead"), agreement)
    assert not permissions.can_manage(staff, agreement)
    assert not permissions.can_manage(AnonymousUser(), agreement)


def test_visible_agreements_q_agrees_with_can_view_full(
    organisation, other_organisation, third, staff
):
    agreements = [
        _agreement(a, b, status, in_register=in_register)
        for (a, b), status, in_register in itertools.product(
            [(organisation, other_organisation), (other_organisation, third)],
            [S.DRAFT, S.SUBMITTED, S.ACTIVE, S.EXPIRED],
            [True, False],
        )
    ]
    people = [
        AnonymousUser(),
        staff,
        _person(organisation),
        _person(third, "ig_lead"),
        _person(other_organisation, is_active=False),
        UserFactory(),
    ]

    for person in people:
        visible = set(
            DataSharingAgreement.objects.filter(
                permissions.visible_agreements_q(person)
            ).values_list("pk", flat=True)
        )
        assert visible == {a.pk for a in agreements if permissions.can_view_full(person, a)}
