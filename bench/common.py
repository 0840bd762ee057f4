"""What every benchmark shares: the machine it ran on, a throwaway Django set-up, and its own
section of bench/results.md (each script rewrites only its section)."""

import os
import platform
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.md"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def machine() -> str:
    return f"{os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}"


def write_section(name: str, text: str) -> None:
    """Replace the section `name` of results.md (or add it), leaving the rest alone."""
    begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = f"{begin}\n{text}\n{end}"
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        current = f"{before}{section}{rest.split(end, 1)[1]}"
    else:
        current = f"{current.rstrip()}\n\n{section}\n"
    RESULTS.write_text(current, encoding="utf-8")


def setup_django(folder: Path, *, database_url: str | None = None, queue_tasks: bool = False):
    """Django on a throwaway data folder (SQLite there unless `database_url`), migrated.

    `queue_tasks` keeps background tasks in the database instead of running them at once, so
    each step can be timed on its own.
    """
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["INTERBOROUGH_DATA_DIR"] = str(folder)
    from interborough.core.demo import demo_environment

    os.environ.update(demo_environment())
    if queue_tasks:
        os.environ["INTERBOROUGH_TASK_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interborough.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
