"""Restricted data: access requests, decisions, grants, the access check and the pages."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interborough.catalogue import permissions
from interborough.catalogue.models import (
    AccessDuration,
    AccessGrant,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    DatasetStatus,
)
from interborough.catalogue.selectors.access import (
    access_requests_waiting,
    access_state,
)
from interborough.catalogue.services.access import (
    access_grant_revoke,
    access_request_create,
    access_request_decide,
    access_request_withdraw,
)
from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.catalogue import DatasetFactory

pytestmark = pytest.mark.django_db

PURPOSE = "Plan joint outreach to families in temporary accommodation."


@pytest.fixture
def ig_lead(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def restricted(organisation):
    return DatasetFactory(
        publisher=organisation,
        title="Temporary accommodation placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )


@pytest.fixture
def requester(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="member").user


def _ask(requester, dataset, **overrides):
    values = {"purpose": PURPOSE, "duration_days": AccessDuration.THREE_MONTHS, **overrides}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return access_request_create(by=requester, dataset=dataset, **values)


def _decide(ig_lead, request, approve=True, reason=""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return access_request_decide(by=ig_lead, request=request, approve=approve, reason=reason)


def _grant(dataset, grantee, *, starts=-1, expires=30, revoked=False):
    now = timezone.now()
    return AccessGrant.objects.create(
        dataset=dataset,
        grantee=grantee,
        starts_at=now + timedelta(days=starts),
        expires_at=now + timedelta(days=expires),
        revoked_at=now if revoked else None,
    )


# --- services ---------------------------------------------------------------------------------


def test_access_request_create_saves_audits_and_emails_the_ig_leads(
    requester, restricted, ig_lead, organisation
):
    MembershipFactory(organisation=organisation, role="publisher")  # not told

    request = _ask(requester, restricted)

    assert request.status == AccessRequestStatus.PENDING
    assert AuditEvent.objects.filter(
        action="access_request.create", object_id=str(request.pk)
    ).exists()
    assert [m.to for m in mail.outbox] == [[ig_lead.email]]
    assert PURPOSE in mail.outbox[0].body
    assert reverse("catalogue:access-request-detail", args=[request.pk]) in mail.outbox[0].body


def test_access_request_create_refuses_a_second_pending_request(requester, restricted):
    _ask(requester, restricted)

    with pytest.raises(ApplicationError, match="already asked"):
        _ask(requester, restricted)
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"access_level": AccessLevel.OPEN}, "not restricted"),
        ({"access_level": AccessLevel.SIGNED_IN}, "not restricted"),
        ({"status": DatasetStatus.WITHDRAWN}, "published"),
    ],
)
def test_access_request_create_refuses_datasets_that_need_no_request(
    requester, restricted, change, message
):
    for field, value in change.items():
        setattr(restricted, field, value)
    restricted.save()

    with pytest.raises(ApplicationError, match=message):
        _ask(requester, restricted)


def test_access_request_create_refuses_people_who_can_already_read(member, restricted):
    with pytest.raises(ApplicationError, match="already read"):
        _ask(member, restricted)


def test_access_request_create_lists_every_wrong_field(requester, restricted, organisation):
    with pytest.raises(ValidationError) as caught:
        _ask(requester, restricted, purpose="  data ", duration_days=7, organisation=organisation)

    assert set(caught.value.message_dict) == {"purpose", "duration_days", "organisation"}
    assert not AccessRequest.objects.exists()


def test_access_request_create_refuses_hidden_characters_and_overlong_purposes(
    requester, restricted
):
    for purpose in ("Plan outreach\u202e to families in need.", "x" * 2001):
        with pytest.raises(ValidationError):
            _ask(requester, restricted, purpose=purpose)


def test_access_request_create_records_the_organisation(requester, restricted, other_organisation):
    request = _ask(requester, restricted, organisation=other_organisation)

    assert request.organisation == other_organisation


def test_access_request_decide_approval_creates_a_grant_for_the_duration(
    requester, restricted, ig_lead
):
    request = _ask(requester, restricted)
    mail.outbox.clear()
    before = timezone.now()

    _decide(ig_lead, request, approve=True)

    request.refresh_from_db()
    grant = request.grant
    assert request.status == AccessRequestStatus.APPROVED
    assert request.decided_by == ig_lead
    assert grant.grantee == requester and grant.dataset == restricted
    assert grant.starts_at >= before
    assert grant.expires_at - grant.starts_at == timedelta(days=AccessDuration.THREE_MONTHS)
    assert permissions.can_read_data(requester, restricted)
    assert AuditEvent.objects.filter(action="access_request.approve").exists()
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert "approved" in mail.outbox[0].subject


def test_access_request_decide_refusal_needs_a_reason(requester, restricted, ig_lead):
    request = _ask(requester, restricted)

    with pytest.raises(ApplicationError, match="reason"):
        _decide(ig_lead, request, approve=False, reason="  ")

    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_access_request_decide_refusal_tells_the_requester_why(requester, restricted, ig_lead):
    request = _ask(requester, restricted)
    mail.outbox.clear()

    _decide(ig_lead, request, approve=False, reason="Use the published aggregates instead.")

    request.refresh_from_db()
    assert request.status == AccessRequestStatus.REFUSED
    assert not AccessGrant.objects.exists()
    assert not permissions.can_read_data(requester, restricted)
    assert "Use the published aggregates instead." in mail.outbox[0].body


@pytest.mark.parametrize("role", ["member", "publisher", "org_admin"])
def test_access_request_decide_is_only_for_ig_leads_of_the_publisher(
    requester, restricted, organisation, role
):
    request = _ask(requester, restricted)
    someone = MembershipFactory(organisation=organisation, role=role).user

    with pytest.raises(PermissionDenied):
        _decide(someone, request)


def test_access_request_decide_refuses_ig_leads_of_other_organisations(
    requester, restricted, other_organisation
):
    request = _ask(requester, restricted)
    other_lead = MembershipFactory(organisation=other_organisation, role="ig_lead").user

    with pytest.raises(PermissionDenied):
        _decide(other_lead, request)


def test_access_request_decide_refuses_a_request_decided_already(requester, restricted, ig_lead):
    request = _ask(requester, restricted)
    _decide(ig_lead, request)

    with pytest.raises(ApplicationError, match="already approved"):
        _decide(ig_lead, request, approve=False, reason="Changed my mind.")
    assert AccessGrant.objects.count() == 1


def test_access_request_withdraw_by_the_requester_only(requester, restricted, member):
    request = _ask(requester, restricted)

    with pytest.raises(PermissionDenied):
        access_request_withdraw(by=member, request=request)
    access_request_withdraw(by=requester, request=request)

    request.refresh_from_db()
    assert request.status == AccessRequestStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="access_request.withdraw").exists()
    _ask(requester, restricted)  # asking again is allowed once withdrawn


def test_access_grant_revoke_by_the_ig_lead_ends_access_and_tells_the_grantee(
    requester, restricted, ig_lead
):
    grant = _grant(restricted, requester)
    mail.outbox.clear()

    with TestCase.captureOnCommitCallbacks(execute=True):
        access_grant_revoke(by=ig_lead, grant=grant)

    grant.refresh_from_db()
    assert grant.revoked_by == ig_lead and grant.revoked_at is not None
    assert not permissions.can_read_data(requester, restricted)
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert AuditEvent.objects.filter(action="access_grant.revoke").exists()


def test_access_grant_revoke_by_the_grantee_sends_no_email(requester, restricted):
    grant = _grant(restricted, requester)

    with TestCase.captureOnCommitCallbacks(execute=True):
        access_grant_revoke(by=requester, grant=grant)

    assert not permissions.can_read_data(requester, restricted)
    assert not mail.outbox


def test_access_grant_revoke_refuses_others_and_ended_grants(
    requester, restricted, ig_lead, organisation
):
    grant = _grant(restricted, requester)
    publisher = MembershipFactory(organisation=organisation, role="publisher").user

    with pytest.raises(PermissionDenied):
        access_grant_revoke(by=publisher, grant=grant)
    access_grant_revoke(by=ig_lead, grant=grant)
    with pytest.raises(ApplicationError, match="already been revoked"):
        access_grant_revoke(by=ig_lead, grant=grant)
    expired = _grant(restricted, UserFactory(), starts=-40, expires=-10)
    with pytest.raises(ApplicationError, match="expired"):
        access_grant_revoke(by=ig_lead, grant=expired)


# --- the access check ---------------------------------------------------------------------------


def test_can_read_data_lets_a_current_grant_holder_read(requester, restricted):
    assert not permissions.can_read_data(requester, restricted)
    _grant(restricted, requester)
    assert permissions.can_read_data(requester, restricted)


def test_can_read_data_refuses_a_grant_on_an_unpublished_dataset(requester, restricted):
    _grant(restricted, requester)
    restricted.status = DatasetStatus.WITHDRAWN
    restricted.save()

    assert not permissions.can_read_data(requester, restricted)


def test_can_read_data_refuses_anonymous_visitors_and_inactive_grantees(requester, restricted):
    _grant(restricted, requester)
    requester.is_active = False
    requester.save()

    assert not permissions.can_read_data(AnonymousUser(), restricted)
    assert not permissions.can_read_data(requester, restricted)


def test_can_read_data_consults_every_flow_check(requester, restricted, monkeypatch):
    asked = []

    def allow_this_one(user, dataset, now):
        asked.append((user, dataset))
        return dataset.pk == restricted.pk

    monkeypatch.setattr(
        permissions, "FLOW_CHECKS", [lambda user, dataset, now: False, allow_this_one]
    )

    assert permissions.can_read_data(requester, restricted)
    assert asked == [(requester, restricted)]


def test_can_read_data_refuses_when_no_flow_check_allows(requester, restricted, monkeypatch):
    monkeypatch.setattr(permissions, "FLOW_CHECKS", [lambda user, dataset, now: False])

    assert not permissions.can_read_data(requester, restricted)


def test_can_read_data_asks_the_database_once_for_a_grant(
    requester, restricted, django_assert_num_queries
):
    _grant(restricted, requester)

    with django_assert_num_queries(2):  # the person's role in the publisher, then grants
        assert permissions.can_read_data(requester, restricted)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    starts=st.integers(min_value=-400, max_value=400),
    length=st.integers(min_value=1, max_value=400),
    revoked=st.booleans(),
    same_person=st.booleans(),
    same_dataset=st.booleans(),
)
def test_can_read_data_only_for_a_current_grant_of_that_person_and_dataset(
    requester, restricted, organisation, starts, length, revoked, same_person, same_dataset
):
    AccessGrant.objects.all().delete()
    other_person = UserFactory()
    other_dataset = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level=AccessLevel.RESTRICTED
    )
    _grant(
        restricted if same_dataset else other_dataset,
        requester if same_person else other_person,
        starts=starts,
        expires=starts + length,
        revoked=revoked,
    )
    current = starts <= 0 < starts + length and not revoked

    assert permissions.can_read_data(requester, restricted) is (
        current and same_person and same_dataset
    )


# --- selectors --------------------------------------------------------------------------------


def test_access_state_for_each_stage(requester, restricted, ig_lead):
    assert access_state(viewer=requester, dataset=restricted).may_request
    request = _ask(requester, restricted)
    asked = access_state(viewer=requester, dataset=restricted)
    assert asked.pending_request == request and not asked.may_request
    _decide(ig_lead, request)
    granted = access_state(viewer=requester, dataset=restricted)
    assert granted.can_read and granted.grant_expires_at == request.grant.expires_at
    assert access_state(viewer=ig_lead, dataset=restricted).can_decide
    anonymous = access_state(viewer=AnonymousUser(), dataset=restricted)
    assert anonymous.may_request and not anonymous.can_read


def test_access_requests_waiting_lists_only_pending_requests_of_the_leads_organisations(
    requester, restricted, ig_lead, other_organisation
):
    request = _ask(requester, restricted)
    hackney_data = DatasetFactory(
        publisher=other_organisation,
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    _ask(UserFactory(), hackney_data)

    assert list(access_requests_waiting(viewer=ig_lead)) == [request]
    assert not access_requests_waiting(viewer=requester).exists()


# --- pages ----------------------------------------------------------------------------------


def test_access_request_page_creates_a_request(requester, restricted, ig_lead):
    client = verified_client(requester)
    url = reverse("catalogue:access-request", args=[restricted.slug])

    assert client.get(url).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"purpose": PURPOSE, "duration_days": "30"})

    request = AccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:access-request-detail", args=[request.pk])
    assert request.duration_days == 30
    assert [m.to for m in mail.outbox] == [[ig_lead.email]]


def test_access_request_page_shows_errors_in_the_summary(requester, restricted):
    client = verified_client(requester)
    url = reverse("catalogue:access-request", args=[restricted.slug])

    response = client.post(url, {"purpose": "", "duration_days": "7"})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter what you need the data for." in response.content
    assert b"Choose how long you need access for." in response.content
    assert not AccessRequest.objects.exists()


def test_access_request_page_of_a_draft_is_a_404(requester, organisation):
    draft = DatasetFactory(publisher=organisation, access_level=AccessLevel.RESTRICTED)

    response = verified_client(requester).get(
        reverse("catalogue:access-request", args=[draft.slug])
    )

    assert response.status_code == 404


def test_access_request_detail_is_for_the_requester_and_ig_leads_only(
    requester, restricted, ig_lead, member, staff
):
    request = _ask(requester, restricted)
    url = reverse("catalogue:access-request-detail", args=[request.pk])

    assert verified_client(requester).get(url).status_code == 200
    lead_page = verified_client(ig_lead).get(url)
    assert lead_page.status_code == 200
    assert b"Save decision" in lead_page.content
    assert verified_client(member).get(url).status_code == 404
    assert verified_client(staff).get(url).status_code == 404


def test_access_request_decide_page_approves(requester, restricted, ig_lead):
    request = _ask(requester, restricted)
    url = reverse("catalogue:access-request-decide", args=[request.pk])

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = verified_client(ig_lead).post(url, {"decision": "approve", "reason": ""})

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == AccessRequestStatus.APPROVED


def test_access_request_decide_page_asks_for_a_reason_when_refusing(requester, restricted, ig_lead):
    request = _ask(requester, restricted)
    url = reverse("catalogue:access-request-decide", args=[request.pk])

    response = verified_client(ig_lead).post(url, {"decision": "refuse", "reason": ""})

    request.refresh_from_db()
    assert response.status_code == 200
    assert b"Enter the reason for refusing" in response.content
    assert request.status == AccessRequestStatus.PENDING


def test_access_request_decide_page_is_refused_to_the_requester(requester, restricted):
    request = _ask(requester, restricted)
    url = reverse("catalogue:access-request-decide", args=[request.pk])

    response = verified_client(requester).post(url, {"decision": "approve"})

    request.refresh_from_db()
    assert response.status_code == 403
    assert request.status == AccessRequestStatus.PENDING


def test_access_request_withdraw_page(requester, restricted):
    request = _ask(requester, restricted)

    response = verified_client(requester).post(
        reverse("catalogue:access-request-withdraw", args=[request.pk])
    )

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == AccessRequestStatus.WITHDRAWN


def test_access_request_list_shows_mine_and_the_leads_queue(requester, restricted, ig_lead):
    _ask(requester, restricted)
    grant = _grant(restricted, UserFactory(full_name="Grace Grantee"))

    mine = verified_client(requester).get(reverse("catalogue:access-request-list"))
    queue = verified_client(ig_lead).get(reverse("catalogue:access-request-list"))

    assert restricted.title.encode() in mine.content
    assert b"Requests waiting for your decision (1)" in queue.content
    assert b"Grace Grantee" in queue.content
    assert reverse("catalogue:access-grant-revoke", args=[grant.pk]).encode() in queue.content


def test_access_grant_revoke_page_lets_the_grantee_give_it_up(requester, restricted, member):
    grant = _grant(restricted, requester)
    url = reverse("catalogue:access-grant-revoke", args=[grant.pk])

    assert verified_client(member).post(url).status_code == 404
    response = verified_client(requester).post(url)

    grant.refresh_from_db()
    assert response.status_code == 302
    assert grant.revoked_at is not None


# --- the dataset page's access panel ----------------------------------------------------------


def _panel(viewer, dataset):
    return render_to_string(
        "catalogue/includes/access_panel.html",
        {"access": access_state(viewer=viewer, dataset=dataset), "dataset": dataset},
    )


def test_access_panel_follows_the_request_to_a_grant(requester, restricted, ig_lead):
    ask = reverse("catalogue:access-request", args=[restricted.slug])
    assert ask in _panel(requester, restricted)
    assert "Sign in to ask for access" in _panel(AnonymousUser(), restricted)
    request = _ask(requester, restricted)
    assert reverse("catalogue:access-request-detail", args=[request.pk]) in _panel(
        requester, restricted
    )
    _decide(ig_lead, request)
    request.refresh_from_db()
    assert f"until {request.grant.expires_at:%-d %B %Y}" in _panel(requester, restricted)


def test_access_panel_is_empty_for_unrestricted_data(requester, restricted):
    restricted.access_level = AccessLevel.OPEN
    restricted.save()

    assert not _panel(requester, restricted).strip()
