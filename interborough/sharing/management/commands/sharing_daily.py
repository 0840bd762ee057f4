from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from interborough.sharing import services


class Command(BaseCommand):
    help = (
        "The data sharing agreements' daily upkeep: activate approved agreements whose start "
        "date has come and expire those whose end date has, remind parties of review and end "
        "dates, and publish the audit trail's head hash for the day. Run it once a day (cron); "
        "running it twice in a day does no harm."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Always today: a missed day is caught up by the next run (dates are "on or before"),
        # and the head published for a day must be the head as it stood that day.
        today = timezone.localdate()
        moved = services.agreements_advance(today=today)
        self.stdout.write(
            f"Agreements on {today:%Y-%m-%d}: {moved['activated']} activated, "
            f"{moved['expired']} expired."
        )
        sent = services.agreement_reminders_send(today=today)
        self.stdout.write(f"Reminders: {sent} sent.")
        publication = services.audit_head_publish(day=today)
        self.stdout.write(
            f"Audit head for {publication.day:%Y-%m-%d}: event {publication.sequence}, "
            f"hash {publication.head_hash}."
        )
