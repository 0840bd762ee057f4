"""`/me` and the audit trail in API v1."""

import pytest

from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db


def test_me_lists_your_organisations_and_roles(member, other_organisation):
    MembershipFactory(user=member, organisation=other_organisation, role="publisher")

    body = ApiClient(issue_token(member)).get("/me").json()

    assert body["email"] == member.email
    assert body["is_staff"] is False
    assert {(m["organisation"], m["role"]) for m in body["memberships"]} == {
        ("camden", "member"),
        ("hackney", "publisher"),
    }


def test_me_needs_authentication(db):
    assert_error(ApiClient().get("/me"), 401, "not_authenticated")


def test_audit_events_are_listed_for_staff_newest_first(staff, member):
    client = ApiClient(issue_token(staff))
    issue_token(member)

    body = client.get("/audit-events").json()

    sequences = [e["sequence"] for e in body["items"]]
    assert body["count"] == AuditEvent.objects.count() >= 2
    assert sequences == sorted(sequences, reverse=True)
    assert body["items"][0]["actor"] == member.email


def test_audit_events_filter_by_action_and_actor(staff, member):
    client = ApiClient(issue_token(staff))
    issue_token(member)

    body = client.get("/audit-events", {"action": "api_token.", "actor": member.email}).json()

    assert body["count"] == 1
    assert body["items"][0]["action"] == "api_token.create"


def test_audit_events_are_refused_to_members_and_org_admins(member, org_admin):
    for user in (member, org_admin):
        assert_error(ApiClient(issue_token(user)).get("/audit-events"), 403, "permission_denied")


def test_audit_events_need_authentication(db):
    assert_error(ApiClient().get("/audit-events"), 401, "not_authenticated")


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2024-13-45"}, "until"),
        ({"action": "a" * 101}, "action"),
        ({"organisation": "\x00"}, "organisation"),
        ({"limit": 10**6}, "limit"),
    ],
)
def test_audit_events_reject_bad_filters(staff, params, field):
    response = ApiClient(issue_token(staff)).get("/audit-events", params)

    error = assert_error(response, 422, "validation_error")
    assert [f["field"] for f in error["fields"]] == [field]


def test_audit_events_accept_extreme_dates(staff):
    response = ApiClient(issue_token(staff)).get(
        "/audit-events", {"since": "0001-01-01", "until": "9999-12-31"}
    )

    assert response.status_code == 200


def test_audit_trail_cannot_be_changed_through_the_api(staff):
    client = ApiClient(issue_token(staff))

    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert_error(client.request(method, "/audit-events", b"{}"), 405, "method_not_allowed")
