from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interborough.core.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the whole audit hash chain and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_chain_verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_at}: {result.reason} "
                f"({result.checked} events verified before it)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {result.checked} events verified.")
        )
