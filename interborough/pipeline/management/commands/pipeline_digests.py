"""Email watchers a digest of new status updates (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from interborough.pipeline.services.people import watch_digests_send


class Command(BaseCommand):
    help = "Email each watcher the status updates on their watched projects since the last digest."

    def handle(self, *args: object, **options: object) -> None:
        sent = watch_digests_send()
        self.stdout.write(f"Sent {sent} digest email{'s' if sent != 1 else ''}.")
