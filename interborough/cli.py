"""The `interborough` command: friendly names for the management commands.

interborough demo            set up the demo database and serve it
interborough serve           serve with gunicorn (production WSGI server)
interborough audit verify    check the audit hash chain
interborough worker          run background tasks (database task backend)
interborough pipeline digests       email watchers their status-update digest (daily)
interborough pipeline remind-stale  remind owners of projects untouched for 90 days (daily)
interborough catalogue harvest      harvest due catalogues, end hung runs (every few minutes)
interborough sharing daily          start and end agreements, reminders, audit head (daily)
interborough encode keygen --out KEY       make a key for one agreement (borough side)
interborough encode FILE --out OUT ...     encode identifiers for linkage (borough side, no server)
interborough <django command> anything manage.py does (migrate, createsuperuser, ...)
"""

import argparse
import os
import sys

ALIASES: dict[tuple[str, ...], list[str]] = {
    ("audit", "verify"): ["audit_verify"],
    ("worker",): ["db_worker"],
    ("organisations", "load"): ["load_organisations"],
    ("admin", "create"): ["create_platform_admin"],
    ("pipeline", "digests"): ["pipeline_digests"],
    ("pipeline", "remind-stale"): ["pipeline_remind_stale"],
    ("catalogue", "harvest"): ["catalogue_harvest"],
    ("sharing", "daily"): ["sharing_daily"],
}


def translate(argv: list[str]) -> list[str]:
    """Map `interborough audit verify --x` to `audit_verify --x`; leave other commands alone."""
    for words, command in sorted(ALIASES.items(), key=lambda item: -len(item[0])):
        if tuple(argv[: len(words)]) == words:
            return [*command, *argv[len(words) :]]
    return argv


def demo_port(args: list[str]) -> int:
    """The --port given to `interborough demo` (the demo's settings depend on it)."""
    from interborough.core.demo import DEFAULT_PORT

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    known, _ = parser.parse_known_args(args)
    return int(known.port)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            return
    if args[0] == "encode":
        # The encoder runs on a borough analyst's machine: no settings, no database, no Django.
        from interborough.linkage.encoding.cli import main as encode_main

        sys.exit(encode_main(args[1:]))
    if args[0] == "demo":
        # The demo runs like production (DEBUG off) on http loopback; settings read these at load.
        from interborough.core.demo import apply_demo_environment

        apply_demo_environment(port=demo_port(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interborough.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["interborough", *translate(args)])


if __name__ == "__main__":
    main()
