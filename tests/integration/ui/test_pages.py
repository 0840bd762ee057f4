from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import Invitation, Role
from interborough.accounts.services import (
    api_token_create,
    invitation_create,
    organisation_update,
)
from interborough.core.middleware import RequestIdMiddleware
from interborough.core.models import AuditEvent
from interborough.ui import views

pytestmark = pytest.mark.django_db


def test_home_for_anonymous_visitors_explains_the_platform(client):
    response = client.get(reverse("ui:home"))
    assert response.status_code == 200
    assert b"London&#x27;s boroughs, working as one city" in response.content or (
        b"working as one city" in response.content
    )
    assert b"Sign in" in response.content


def test_home_lists_what_needs_a_members_attention(client_for, member, org_admin, organisation):
    api_token_create(
        by=member,
        name="Nightly export",
        scope="read",
        expires_at=timezone.now() + timedelta(days=3),
    )
    response = client_for(member).get(reverse("ui:home"))
    assert response.status_code == 200
    titles = [item.title for item in response.context["attention"]]
    assert any("Nightly export" in title for title in titles)
    assert organisation.name.encode() in response.content


def test_home_tells_the_invitee_and_the_admin_about_open_invitations(
    client_for, member, org_admin, other_organisation
):
    from tests.factories.accounts import MembershipFactory

    MembershipFactory(user=org_admin, organisation=other_organisation, role=Role.ORG_ADMIN)
    invitation_create(by=org_admin, organisation=other_organisation, email=member.email)
    invitee_titles = [i.title for i in client_for(member).get("/").context["attention"]]
    admin_titles = [i.title for i in client_for(org_admin).get("/").context["attention"]]
    assert any("Invitation to join" in t for t in invitee_titles)
    assert any("open invitation" in t for t in admin_titles)
    assert Invitation.objects.count() == 1


def test_home_with_nothing_to_do_says_so(client_for, member):
    response = client_for(member).get("/")
    assert b"Nothing needs your attention" in response.content


def test_service_navigation_marks_the_current_page_and_hides_staff_items(client, client_for, staff):
    response = client.get(reverse("accounts:organisation-list"))
    nav = response.context["service_navigation"]
    assert [i["label"] for i in nav if i["active"]] == ["Organisations"]
    assert "Audit trail" not in [i["label"] for i in nav]
    staff_nav = client_for(staff).get("/").context["service_navigation"]
    assert "Audit trail" in [i["label"] for i in staff_nav]


@pytest.mark.parametrize("name", ["ui:privacy", "ui:accessibility"])
def test_static_pages_are_public(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_healthz_checks_the_database(client):
    response = client.get(reverse("ui:healthz"))
    assert response.json() == {"status": "ok"}


def test_unknown_page_gets_the_accessible_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-template" in response.content


def test_server_error_page_shows_a_reference_and_no_details(rf):
    request = rf.get("/")
    request.request_id = "abc123def456"
    response = views.error_500(request)
    assert response.status_code == 500
    assert b"abc123def456" in response.content
    assert b"Traceback" not in response.content


def test_every_response_carries_a_request_id(client):
    response = client.get("/", HTTP_X_REQUEST_ID="upstream-proxy-id-42")
    assert response["X-Request-ID"] == "upstream-proxy-id-42"
    hostile = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert hostile["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(hostile["X-Request-ID"]) == 32


def test_request_id_reaches_the_audit_trail(rf, org_admin, organisation):
    def view(request):
        organisation_update(
            by=org_admin,
            organisation=organisation,
            description="d",
            website="",
            ico_registration="",
        )
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.post("/", HTTP_X_REQUEST_ID="trace-me-0002"))
    assert response["X-Request-ID"] == "trace-me-0002"
    assert AuditEvent.objects.get(action="organisation.update").request_id == "trace-me-0002"
