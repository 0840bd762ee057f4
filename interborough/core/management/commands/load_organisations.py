from typing import Any

from django.core.management.base import BaseCommand

from interborough.accounts.services import organisations_load_reference


class Command(BaseCommand):
    help = "Create or refresh the 33 London local authorities (with boundaries) and partner bodies."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = organisations_load_reference(by=None)
        self.stdout.write(
            self.style.SUCCESS(f"Reference organisations loaded: {changed} created or updated.")
        )
