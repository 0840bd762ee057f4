import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interborough.accounts.services import user_create
from interborough.core.errors import ApplicationError

DEFAULT_PASSWORD_VARIABLE = "INTERBOROUGH_ADMIN_PASSWORD"  # noqa: S105 - a variable's name


class Command(BaseCommand):
    help = (
        "Create a platform administrator (platform staff), e.g. the first one after installing. "
        "They set up two-factor sign-in the first time they sign in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Their email address (sign-in name).")
        parser.add_argument("--name", required=True, help="Their full name.")
        parser.add_argument("--job-title", default="", help="Their job title (optional).")
        parser.add_argument(
            "--password-from-env",
            nargs="?",
            const=DEFAULT_PASSWORD_VARIABLE,
            metavar="VARIABLE",
            help=f"Read the password from an environment variable ({DEFAULT_PASSWORD_VARIABLE} "
            "unless named) instead of prompting.",
        )

    def _password(self, variable: str | None) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or not set.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(options["password_from_env"])
        try:
            user = user_create(
                by=None,
                email=options["email"],
                full_name=options["name"],
                password=password,
                is_staff=True,
                job_title=options["job_title"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Platform administrator {user.email} created. They will set up two-factor "
                "sign-in (an authenticator app) the first time they sign in."
            )
        )
