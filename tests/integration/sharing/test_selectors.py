"""Reads: the register, versions, what waits for a person, the published audit heads."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from interborough.sharing.models import (
    AgreementApproval,
    AgreementStatus,
    AuditHeadPublication,
    DataSharingAgreement,
)
from interborough.sharing.selectors import (
    agreement_version_for,
    agreement_versions,
    agreements_awaiting,
    audit_head_publications,
    organisation_choices_for_drafting,
    party_choices,
    register_agreements,
    register_list,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

S = AgreementStatus


@pytest.fixture
def third(db):
    return OrganisationFactory(name="Transport for London", slug="tfl", short_name="TfL")


def _row(parties, status=S.ACTIVE, **kwargs):
    return agreement_row(parties, status=status, **kwargs)


# --- register_list --------------------------------------------------------------------------


def test_register_list_shows_the_newest_agreed_version_of_each_reference(
    organisation, other_organisation
):
    parties = [organisation, other_organisation]
    old = _row(parties, S.TERMINATED, reference="DSA-2026-0001")
    current = _row(parties, S.ACTIVE, reference="DSA-2026-0001", version=2)
    _row(parties, S.DRAFT, reference="DSA-2026-0001", version=3)  # not agreed: not shown
    expired = _row(parties, S.EXPIRED, reference="DSA-2026-0002")
    _row(parties, S.SUBMITTED, reference="DSA-2026-0003")
    _row(parties, S.ACTIVE, reference="DSA-2026-0004", in_register=False)

    rows = list(register_list())

    assert set(rows) == {current, expired}
    assert old not in rows


def test_register_list_orders_newest_start_first(organisation, other_organisation):
    parties = [organisation, other_organisation]
    older = _row(parties, start=date(2025, 1, 1))
    newer = _row(parties, start=date(2026, 1, 1))

    assert list(register_list()) == [newer, older]


def test_register_list_searches_title_reference_summary_and_party_names(
    organisation, other_organisation, third
):
    placements = _row([organisation, other_organisation], reference="DSA-2026-0010")
    DataSharingAgreement.objects.filter(pk=placements.pk).update(
        title="Temporary accommodation", public_summary="Counting families placed away."
    )
    travel = _row([other_organisation, third], reference="DSA-2026-0011")
    DataSharingAgreement.objects.filter(pk=travel.pk).update(
        title="Travel concessions", public_summary="Freedom passes for carers."
    )

    def found(q):
        return set(register_list(q=q))

    assert found("accommodation") == {placements}
    assert found("FAMILIES placed") == {placements}
    assert found("2026-0011") == {travel}
    assert found("Hackney") == {placements, travel}
    assert found("TfL") == {travel}
    assert found("camden tfl") == set()
    assert found("") == {placements, travel}


def test_register_list_filters_by_status_and_party(organisation, other_organisation, third):
    active = _row([organisation, other_organisation], S.ACTIVE)
    expired = _row([other_organisation, third], S.EXPIRED)

    assert list(register_list(status="expired")) == [expired]
    assert list(register_list(status="draft")) == []
    assert list(register_list(organisation="camden")) == [active]
    assert set(register_list(organisation="hackney")) == {active, expired}
    assert list(register_list(organisation="nowhere")) == []


def test_register_agreements_reads_parties_without_a_query_per_row(
    organisation, other_organisation, django_assert_num_queries
):
    for _ in range(3):
        _row([organisation, other_organisation])

    ids = list(register_list().values_list("pk", flat=True))
    with django_assert_num_queries(2):  # agreements, then parties with their organisations
        rows = [[p.organisation.name for p in a.parties.all()] for a in register_agreements(ids)]
    assert rows == [["London Borough of Camden", "London Borough of Hackney"]] * 3


# --- versions ------------------------------------------------------------------------------


def test_agreement_versions_newest_first(organisation, other_organisation):
    parties = [organisation, other_organisation]
    first = _row(parties, S.TERMINATED, reference="DSA-2026-0020")
    second = _row(parties, S.ACTIVE, reference="DSA-2026-0020", version=2)
    _row(parties, reference="DSA-2026-0021")

    assert agreement_versions(reference="DSA-2026-0020") == [second, first]
    assert agreement_versions(reference="DSA-2026-9999") == []


def test_agreement_version_for_hides_what_the_viewer_may_not_read(
    organisation, other_organisation, third
):
    parties = [organisation, other_organisation]
    agreed = _row(parties, S.ACTIVE, reference="DSA-2026-0030")
    draft = _row(parties, S.DRAFT, reference="DSA-2026-0030", version=2)
    party_member = MembershipFactory(organisation=other_organisation).user
    outsider = MembershipFactory(organisation=third).user

    def read(viewer, version=None):
        return agreement_version_for(viewer=viewer, reference="DSA-2026-0030", version=version)

    assert read(party_member) == draft  # newest they may read
    assert read(outsider) == agreed
    assert read(AnonymousUser()) == agreed
    assert read(AnonymousUser(), 2) is None
    assert read(party_member, 2) == draft
    assert read(party_member, 3) is None
    assert agreement_version_for(viewer=party_member, reference="DSA-0", version=None) is None


# --- agreements_awaiting ----------------------------------------------------------------------


def _submitted(parties, text_hash="c" * 64, **kwargs):
    agreement = _row(parties, S.SUBMITTED, **kwargs)
    DataSharingAgreement.objects.filter(pk=agreement.pk).update(
        text_hash=text_hash, submitted_at=timezone.now()
    )
    agreement.refresh_from_db()
    return agreement


def _approved_by(agreement, organisation, person, text_hash=None):
    AgreementApproval.objects.create(
        agreement=agreement,
        organisation=organisation,
        decided_by=person,
        decided_at=timezone.now(),
        decision="approved",
        text_hash=text_hash or agreement.text_hash,
    )


def test_agreements_awaiting_lists_versions_to_approve_for_the_viewers_organisations(
    organisation, other_organisation, third
):
    lead = MembershipFactory(organisation=other_organisation, role="ig_lead").user
    waiting = _submitted([organisation, other_organisation])
    done = _submitted([organisation, other_organisation])
    _approved_by(done, other_organisation, lead)
    stale = _submitted([organisation, other_organisation])
    _approved_by(stale, other_organisation, lead, text_hash="0" * 64)  # an earlier text
    _submitted([organisation, third])  # Hackney is not a party

    actions = agreements_awaiting(viewer=lead)

    assert [(p.agreement, p.organisations) for p in actions.to_approve] == [
        (waiting, [other_organisation]),
        (stale, [other_organisation]),
    ]
    assert actions.to_finish == [] and actions.waiting_on_others == []
    assert actions.count == 2


def test_agreements_awaiting_lists_drafts_to_finish_with_changes_requested_first(
    organisation, other_organisation
):
    drafter = MembershipFactory(organisation=organisation, role="publisher").user
    draft = _row([organisation, other_organisation], S.DRAFT)
    sent_back = _row([organisation, other_organisation], S.CHANGES_REQUESTED)
    _row([other_organisation, organisation], S.DRAFT)  # led by Hackney

    actions = agreements_awaiting(viewer=drafter)

    assert actions.to_finish == [sent_back, draft]
    member = MembershipFactory(organisation=organisation, role="member").user
    assert agreements_awaiting(viewer=member).to_finish == []


def test_agreements_awaiting_shows_which_parties_still_owe_an_approval(
    organisation, other_organisation, third
):
    drafter = MembershipFactory(organisation=organisation, role="publisher").user
    agreement = _submitted([organisation, other_organisation, third])
    _approved_by(agreement, organisation, drafter)

    waiting = agreements_awaiting(viewer=drafter).waiting_on_others

    assert [(p.agreement, p.organisations) for p in waiting] == [
        (agreement, [other_organisation, third])  # by name: Hackney, then Transport for London
    ]


def test_agreements_awaiting_lists_review_and_end_dates_within_60_days(
    organisation, other_organisation
):
    today = timezone.localdate()  # read now: a module constant goes stale at midnight
    member = MembershipFactory(organisation=other_organisation).user
    soon = _row(  # review in 10 days, end in 50
        [organisation, other_organisation],
        start=today - timedelta(days=355),
        end=today + timedelta(days=50),
    )
    _row([organisation, other_organisation], start=today, end=today + timedelta(days=700))
    _row(
        [organisation, other_organisation],
        S.EXPIRED,
        start=today - timedelta(days=355),
        end=today + timedelta(days=5),
    )

    due = agreements_awaiting(viewer=member).due_soon

    assert [(d.agreement, d.kind, d.days_left) for d in due] == [
        (soon, "review", 10),
        (soon, "end", 50),
    ]


def test_agreements_awaiting_is_empty_for_people_not_signed_in(organisation, other_organisation):
    _submitted([organisation, other_organisation])

    actions = agreements_awaiting(viewer=AnonymousUser())

    assert not actions and actions.count == 0


def test_agreements_awaiting_gives_staff_nothing_to_approve(
    organisation, other_organisation, staff
):
    MembershipFactory(user=staff, organisation=organisation, role="ig_lead")
    _submitted([organisation, other_organisation])

    assert agreements_awaiting(viewer=staff).to_approve == []


# --- the rest -------------------------------------------------------------------------------


def test_audit_head_publications_newest_first_and_limited():
    for day in range(1, 5):
        AuditHeadPublication.objects.create(
            day=date(2026, 3, day),
            sequence=day,
            head_hash=f"{day}" * 64,
            published_at=timezone.now(),
        )

    assert [p.day.day for p in audit_head_publications(limit=3)] == [4, 3, 2]


def test_organisation_choices_for_drafting_are_where_the_viewer_drafts(
    organisation, other_organisation, third
):
    person = MembershipFactory(organisation=organisation, role="publisher").user
    MembershipFactory(user=person, organisation=other_organisation, role="member")
    MembershipFactory(user=person, organisation=third, role="ig_lead")
    third.is_active = False
    third.save()

    assert list(organisation_choices_for_drafting(viewer=person)) == [organisation]
    assert list(organisation_choices_for_drafting(viewer=AnonymousUser())) == []


def test_party_choices_are_the_active_organisations(organisation, other_organisation, third):
    third.is_active = False
    third.save()

    assert list(party_choices(exclude=organisation)) == [other_organisation]
    assert set(party_choices()) == {organisation, other_organisation}
