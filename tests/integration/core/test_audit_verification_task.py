"""The background verification: on the immediate backend and via the database backend's worker."""

import pytest
from django.core.management import call_command

from interborough.core import services
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import (
    VERIFICATION_TRANSITIONS,
    AuditEvent,
    AuditVerification,
    VerificationStatus,
)
from tests.integration.core.tamper import raw_sql

pytestmark = pytest.mark.django_db(transaction=True)


def test_verification_runs_at_once_on_the_immediate_backend(staff, trail):
    verification = services.audit_verification_request(by=staff)
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.PASSED
    assert verification.checked == verification.total > 0
    assert AuditEvent.objects.filter(action="audit.verification_finish").exists()


def test_verification_is_queued_and_run_by_db_worker_on_the_database_backend(
    settings, staff, trail
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    verification = services.audit_verification_request(by=staff)
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.QUEUED

    call_command("db_worker", "--batch", "--interval", "0")

    verification.refresh_from_db()
    assert verification.status == VerificationStatus.PASSED
    assert verification.finished_at is not None


def test_verification_reports_a_tampered_chain(staff, trail):
    raw_sql("UPDATE core_auditevent SET object_repr = 'forged' WHERE sequence = 2")
    verification = services.audit_verification_request(by=staff)
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.FAILED
    assert verification.broken_at == 2


def test_only_staff_can_request_a_verification(org_admin, trail):
    with pytest.raises(PermissionDeniedError):
        services.audit_verification_request(by=org_admin)
    assert not AuditVerification.objects.exists()


def test_a_finished_verification_cannot_run_again(staff, trail):
    verification = services.audit_verification_request(by=staff)
    with pytest.raises(ApplicationError, match="cannot become running"):
        services.audit_verification_run(verification_id=verification.pk)


def test_verification_workflow_ends_in_passed_or_failed():
    finals = [s for s, nexts in VERIFICATION_TRANSITIONS.items() if not nexts]
    assert sorted(finals) == sorted([VerificationStatus.PASSED, VerificationStatus.FAILED])
    assert set(VERIFICATION_TRANSITIONS) == set(VerificationStatus.values)
