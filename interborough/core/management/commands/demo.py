"""`interborough demo`: a London demo on SQLite, served by gunicorn like production."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from interborough.accounts.services import organisations_load_reference
from interborough.core import demo
from interborough.core.management.commands.serve import exec_gunicorn

BUILT_ASSET = "ui/build/main.css"


class Command(BaseCommand):
    help = (
        "Set up the demo (migrate SQLite, load London's organisations and every module's demo "
        "data, collect static files), print the demo sign-ins and serve on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")
        parser.add_argument("--port", type=int, default=demo.DEFAULT_PORT, help="Port to serve on.")
        parser.add_argument(
            "--reset", action="store_true", help="Wipe the demo database first and start afresh."
        )

    def _check_settings(self) -> Path:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("The demo runs on SQLite: unset DATABASE_URL.")
        if settings.SECURE_SSL_REDIRECT or settings.SESSION_COOKIE_SECURE:
            raise CommandError(
                "The demo is served over http: start it with `interborough demo`, which sets "
                "the demo's settings."
            )
        if finders.find(BUILT_ASSET) is None:
            raise CommandError("The GOV.UK Frontend assets are not built: run `make assets`.")
        return Path(database["NAME"])

    def _reset(self, database: Path) -> None:
        connections.close_all()
        for path in [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]:
            path.unlink(missing_ok=True)
        self.stdout.write(f"Removed the demo database {database}.")

    def handle(self, *args: Any, **options: Any) -> None:
        database = self._check_settings()
        if options["reset"]:
            self._reset(database)
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading London's organisations…")
        organisations_load_reference(by=None)
        self.stdout.write("Loading demo data…")
        report = demo.demo_load()
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        sign_ins_file = Path(settings.DATA_DIR) / demo.SIGN_INS_FILE
        demo.write_sign_ins(report, sign_ins_file)
        self.stdout.write(
            demo.render_report(report, site_url=settings.SITE_URL, sign_ins_file=sign_ins_file)
        )
        if options["no_serve"]:
            self.stdout.write(self.style.SUCCESS("Demo ready. Serve it with `interborough demo`."))
            return
        self.stdout.write(
            self.style.SUCCESS(f"Serving on {settings.SITE_URL} with gunicorn. Ctrl-C stops it.")
        )
        exec_gunicorn(bind=f"127.0.0.1:{options['port']}")
