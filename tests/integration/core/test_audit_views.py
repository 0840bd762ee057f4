import pytest
from django.urls import reverse

from interborough.accounts.services import organisation_update
from interborough.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(org_admin, organisation):
    for n in range(3):
        organisation_update(
            by=org_admin,
            organisation=organisation,
            description=f"v{n}",
            website="",
            ico_registration="",
        )
    return AuditEvent.objects.order_by("sequence")


def test_audit_list_shows_events_to_staff(client_for, staff, events):
    response = client_for(staff).get(reverse("core:audit-list"))
    assert response.status_code == 200
    assert b"organisation.update" in response.content
    assert response.context["page"].paginator.count == events.count()


def test_audit_list_filters_by_action_and_actor(client_for, staff, events, org_admin):
    client = client_for(staff)
    response = client.get(reverse("core:audit-list"), {"action": "nothing.like.this"})
    assert response.context["page"].paginator.count == 0
    response = client.get(reverse("core:audit-list"), {"actor": org_admin.email[:8]})
    assert response.context["page"].paginator.count == events.count()


def test_audit_list_verifies_the_chain_on_request(client_for, staff, events):
    response = client_for(staff).get(reverse("core:audit-list"), {"verify": "1"})
    assert b"Chain verified" in response.content


def test_audit_list_rejects_bad_filter_input_with_field_errors(client_for, staff, events):
    response = client_for(staff).get(
        reverse("core:audit-list"), {"since": "not-a-date", "action": "x" * 5000}
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    # An invalid filter never silently widens to 'everything' differently from no filter at all.
    assert response.context["page"].paginator.count == events.count()


def test_audit_list_is_forbidden_to_non_staff(client_for, org_admin):
    assert client_for(org_admin).get(reverse("core:audit-list")).status_code == 403


def test_audit_list_redirects_anonymous_to_sign_in(client):
    response = client.get(reverse("core:audit-list"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_audit_list_has_no_write_methods(client_for, staff, events):
    count = events.count()
    response = client_for(staff).post(reverse("core:audit-list"), {"action": "x"})
    assert response.status_code == 405
    assert AuditEvent.objects.count() == count
