import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interborough.core.selectors import audit_chain_head, audit_chain_verify


class Command(BaseCommand):
    help = "Check the whole audit hash chain and name the first broken link."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total, _ = audit_chain_head()
        quiet = options["no_progress"] or not sys.stderr.isatty()
        with tqdm(total=total, unit=" events", disable=quiet, file=sys.stderr) as bar:
            result = audit_chain_verify(progress=lambda checked: bar.update(checked - bar.n))
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_at}: {result.reason} "
                f"({result.checked} events verified before it)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {result.checked} events verified.")
        )
