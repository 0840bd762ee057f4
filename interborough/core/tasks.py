"""Background tasks of the core app: they take ids and call a service."""

from django_tasks import task

from interborough.core import services


@task()
def verify_audit_chain(verification_id: int) -> None:
    """Check the whole audit chain for a staff request, with progress on its row."""
    services.audit_verification_run(verification_id=verification_id)
