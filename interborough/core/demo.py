"""The single demo entry point: `interborough demo` runs every module's registered demo loader.

A module adds its London demo content by appending the dotted path of a loader to DEMO_LOADERS.
A loader is `load(report: DemoReport) -> None`. It must be idempotent (running the demo twice
works), write only through its app's services (so the audit trail is populated) and add anything
a person needs to try the demo (sign-ins, secrets shown once, links) to the report.

Nothing here imports Django at module level: `demo_environment` runs before settings load.
"""

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEMO_LOADERS: list[str] = [
    "interborough.accounts.demo.load",
    "interborough.pipeline.demo.load",
    "interborough.catalogue.demo.load",
    "interborough.sharing.demo.load",
]

DEFAULT_PORT = 8000
SECRET_KEY_FILE = "demo-secret-key"  # noqa: S105 - a file name
SIGN_INS_FILE = "demo-sign-ins.txt"


@dataclass(frozen=True)
class DemoSignIn:
    """One demo person a visitor can sign in as."""

    email: str
    full_name: str
    job_title: str
    organisation: str
    role: str
    two_factor: bool
    featured: bool = False


@dataclass(frozen=True)
class DemoSecret:
    """A secret issued by a loader (an API token, an invitation link), printed once."""

    kind: str
    label: str
    owner: str
    value: str
    headings: tuple[str, str, str] = ("Name", "Owner", "Secret")


@dataclass
class DemoReport:
    """What the loaders created that a visitor needs to know, printed before serving."""

    password: str = ""
    sign_ins: list[DemoSignIn] = field(default_factory=list)
    secrets: list[DemoSecret] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def data_dir() -> Path:
    """The local state folder, resolved exactly as settings.DATA_DIR is."""
    default = Path(__file__).resolve().parent.parent.parent / "var"
    return Path(os.environ.get("INTERBOROUGH_DATA_DIR", default))


def demo_environment(*, port: int = DEFAULT_PORT) -> dict[str, str]:
    """Settings for the demo: production-like (DEBUG off) but on http loopback, console email.

    Call before Django loads its settings. The secret key is generated once and kept in the data
    folder so sessions survive restarts; a key already in the environment wins.
    """
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    values = {
        "INTERBOROUGH_DEBUG": "false",
        "INTERBOROUGH_SECURE_SSL_REDIRECT": "false",
        "INTERBOROUGH_SECURE_COOKIES": "false",
        "INTERBOROUGH_HSTS_SECONDS": "0",
        "INTERBOROUGH_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "INTERBOROUGH_SITE_URL": f"http://127.0.0.1:{port}",
        "INTERBOROUGH_BIND": f"127.0.0.1:{port}",
    }
    values["INTERBOROUGH_SECRET_KEY"] = (
        os.environ.get("INTERBOROUGH_SECRET_KEY") or key_file.read_text(encoding="utf-8").strip()
    )
    return values


def apply_demo_environment(*, port: int = DEFAULT_PORT) -> None:
    """Put the demo settings into this process's environment; the demo always uses SQLite."""
    os.environ.update(demo_environment(port=port))
    os.environ.pop("DATABASE_URL", None)


def demo_load() -> DemoReport:
    """Run every registered loader, each in its own transaction, and collect their reports."""
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils.module_loading import import_string

    report = DemoReport()
    # Loaders walk real workflows, which email the made-up people involved (agreements alone
    # send dozens); those emails go nowhere rather than flooding the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for path in DEMO_LOADERS:
            loader: Callable[[DemoReport], None] = import_string(path)
            with transaction.atomic():
                loader(report)
    return report


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def sign_in_rows(sign_ins: list[DemoSignIn]) -> list[list[str]]:
    return [
        [s.email, s.full_name, s.job_title, s.organisation, s.role, "yes" if s.two_factor else ""]
        for s in sign_ins
    ]


SIGN_IN_HEADERS = ["Email", "Name", "Job title", "Organisation", "Role", "2FA"]


def render_report(report: DemoReport, *, site_url: str, sign_ins_file: Path | None) -> str:
    """The text printed before serving: featured sign-ins, secrets and hints."""
    featured = [s for s in report.sign_ins if s.featured] or report.sign_ins
    out = ["", "Interborough demo", "=================", ""]
    out.append(f"Site:     {site_url}")
    if report.password:
        out.append(f"Password: {report.password}   (the same for every demo person)")
    out += ["", "Demo sign-ins", ""]
    out += _table(SIGN_IN_HEADERS, sign_in_rows(featured))
    if sign_ins_file is not None and len(featured) < len(report.sign_ins):
        out += [
            "",
            f"Every organisation has demo people: all {len(report.sign_ins)} are listed in "
            f"{sign_ins_file}",
        ]
    if any(s.two_factor for s in report.sign_ins):
        out += [
            "",
            "2FA = yes: information governance leads, organisation admins and platform staff set "
            "up two-factor sign-in the first time they sign in. Have an authenticator app ready "
            "(scan the QR code or type the key).",
        ]
    for kind in dict.fromkeys(s.kind for s in report.secrets):
        out += ["", f"{kind} (shown once, issued afresh on every run)", ""]
        group = [s for s in report.secrets if s.kind == kind]
        out += _table(list(group[0].headings), [[s.label, s.owner, s.value] for s in group])
    for note in report.notes:
        out += ["", note]
    out.append("")
    return "\n".join(out)


def write_sign_ins(report: DemoReport, path: Path) -> None:
    """Every demo person in one plain-text table (the printed table shows a selection)."""
    lines = [f"Interborough demo sign-ins. Password for everyone: {report.password}", ""]
    lines += _table(SIGN_IN_HEADERS, sign_in_rows(report.sign_ins))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
