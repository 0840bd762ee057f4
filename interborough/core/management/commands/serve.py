"""`interborough serve`: run the site with gunicorn, the production WSGI server."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

GUNICORN_CONFIG = "python:interborough.config.gunicorn"


def gunicorn_argv(*, bind: str | None = None, workers: int | None = None) -> list[str]:
    """The gunicorn command line: our config module, with optional overrides."""
    argv = [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG]
    if bind:
        argv += ["--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    return argv


def exec_gunicorn(*, bind: str | None = None, workers: int | None = None) -> None:
    """Replace this process with gunicorn, so signals (Ctrl-C, SIGTERM) reach it directly."""
    from django.db import connections

    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    argv = gunicorn_argv(bind=bind, workers=workers)
    os.execv(argv[0], argv)  # noqa: S606 - fixed argv, no shell


class Command(BaseCommand):
    help = (
        "Serve Interborough with gunicorn (settings in interborough/config/gunicorn.py; "
        "INTERBOROUGH_BIND, INTERBOROUGH_WORKERS). Run collectstatic first in production."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help="Address to listen on, e.g. 127.0.0.1:8000.")
        parser.add_argument("--workers", type=int, help="Number of worker processes.")

    def handle(self, *args: Any, **options: Any) -> None:
        exec_gunicorn(bind=options["bind"], workers=options["workers"])
