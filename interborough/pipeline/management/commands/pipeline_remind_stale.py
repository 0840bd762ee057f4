"""Remind owners of projects not updated for 90 days (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from interborough.pipeline.services.people import projects_remind_stale


class Command(BaseCommand):
    help = "Flag projects untouched for 90 days and remind their owners (once per stale spell)."

    def handle(self, *args: object, **options: object) -> None:
        reminded = projects_remind_stale()
        self.stdout.write(f"Reminded the owners of {reminded} stale project(s).")
