"""Background tasks of the sharing app: they call a service."""

from django.utils import timezone
from django_tasks import task

from interborough.sharing import services


@task()
def sharing_daily() -> dict[str, int]:
    """The daily upkeep (as the `sharing_daily` command): move agreements along the calendar,
    send reminders, publish the audit trail's head for today."""
    today = timezone.localdate()
    moved = services.agreements_advance(today=today)
    reminders = services.agreement_reminders_send(today=today)
    publication = services.audit_head_publish(day=today)
    return {**moved, "reminders": reminders, "audit_head_sequence": publication.sequence}
