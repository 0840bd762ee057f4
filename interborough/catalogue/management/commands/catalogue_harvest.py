"""Harvest the catalogues that are due (run every few minutes, e.g. from cron), and end runs
that hung."""

from argparse import ArgumentParser
from datetime import timedelta

from django.core.management.base import BaseCommand

from interborough.catalogue.services.harvest import (
    STUCK_AFTER,
    harvest_due,
    harvest_runs_fail_stuck,
)


class Command(BaseCommand):
    help = "Queue a harvest of every due source and mark runs stuck for too long as failed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--stuck-minutes",
            type=int,
            default=int(STUCK_AFTER.total_seconds() // 60),
            help="A run queued or running longer than this is marked failed.",
        )

    def handle(self, *args: object, **options: object) -> None:
        minutes = options["stuck_minutes"]
        assert isinstance(minutes, int)  # noqa: S101  (argparse gave an int)
        ended = harvest_runs_fail_stuck(older_than=timedelta(minutes=minutes))
        queued = harvest_due()
        self.stdout.write(
            f"Marked {ended} stuck harvest run(s) failed; queued {queued} harvest(s)."
        )
