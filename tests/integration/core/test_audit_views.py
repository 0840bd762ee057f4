import pytest
from django.urls import reverse

from interborough.core.models import AuditEvent, AuditVerification, VerificationStatus

pytestmark = pytest.mark.django_db


def test_audit_list_shows_events_to_staff(client_for, staff, trail):
    response = client_for(staff).get(reverse("core:audit-list"))
    assert response.status_code == 200
    assert b"organisation.update" in response.content
    assert response.context["page"].paginator.count == len(trail)


def test_audit_list_filters_by_action_and_actor(client_for, staff, trail, org_admin):
    client = client_for(staff)
    response = client.get(reverse("core:audit-list"), {"action": "nothing.like.this"})
    assert response.context["page"].paginator.count == 0
    response = client.get(reverse("core:audit-list"), {"actor": org_admin.email[:8]})
    assert response.context["page"].paginator.count == len(trail)


def test_verification_request_runs_in_the_background_and_reports_the_result(
    client_for, staff, trail, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:audit-verification-create"))
    verification = AuditVerification.objects.get()
    assert response["Location"] == reverse("core:audit-verification", args=[verification.pk])
    page = client.get(response["Location"])
    assert b"Chain verified" in page.content
    status = client.get(response["Location"], {"format": "json"}).json()
    assert status["finished"] is True
    assert status["checked"] == status["total"] == verification.total
    assert client.get(reverse("core:audit-list")).context["verifications"][0] == verification


def test_verification_page_shows_a_broken_chain(client_for, staff, trail):
    AuditVerification.objects.create(
        requested_by=staff,
        total=3,
        checked=1,
        broken_at=2,
        status=VerificationStatus.FAILED,
        reason="stored hash does not match the event's content",
    )
    response = client_for(staff).get(
        reverse("core:audit-verification", args=[AuditVerification.objects.get().pk])
    )
    assert b"The audit chain is broken" in response.content
    assert b"event 2" in response.content


def test_verification_in_progress_shows_progress(client_for, staff, trail):
    verification = AuditVerification.objects.create(
        requested_by=staff, total=200, checked=50, status=VerificationStatus.RUNNING
    )
    response = client_for(staff).get(reverse("core:audit-verification", args=[verification.pk]))
    assert b'value="25"' in response.content
    assert b"50 of 200 events checked" in response.content


def test_a_second_verification_waits_for_the_first(client_for, staff, trail):
    AuditVerification.objects.create(requested_by=staff, total=1)
    response = client_for(staff).post(reverse("core:audit-verification-create"), follow=True)
    assert b"already queued or running" in response.content
    assert AuditVerification.objects.count() == 1


def test_unknown_verification_is_404(client_for, staff):
    assert client_for(staff).get(reverse("core:audit-verification", args=[999])).status_code == 404


def test_audit_list_rejects_bad_filter_input_with_field_errors(client_for, staff, trail):
    response = client_for(staff).get(
        reverse("core:audit-list"), {"since": "not-a-date", "action": "x" * 5000}
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    # An invalid filter never silently widens to 'everything' differently from no filter at all.
    assert response.context["page"].paginator.count == len(trail)


def test_audit_list_is_forbidden_to_non_staff(client_for, org_admin):
    assert client_for(org_admin).get(reverse("core:audit-list")).status_code == 403


def test_audit_list_redirects_anonymous_to_sign_in(client):
    response = client.get(reverse("core:audit-list"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_audit_list_has_no_write_methods(client_for, staff, trail):
    count = len(trail)
    response = client_for(staff).post(reverse("core:audit-list"), {"action": "x"})
    assert response.status_code == 405
    assert AuditEvent.objects.count() == count
