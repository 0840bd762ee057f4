from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from interborough.accounts import demo as accounts_demo
from interborough.accounts import reference
from interborough.accounts.models import ApiToken, Invitation, Membership, Role, User
from interborough.accounts.services import api_token_authenticate, organisations_load_reference
from interborough.core import demo
from interborough.core.models import AuditEvent
from interborough.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def london(db):
    organisations_load_reference(by=None)


class TestLoadedDemo:
    """Read-only checks on one demo load."""

    def test_demo_load_gives_every_borough_a_person_in_every_role(self, quiet_report):
        roles_by_borough = Counter(
            Membership.objects.filter(organisation__gss_code__startswith="E09").values_list(
                "organisation__gss_code", "role"
            )
        )

        for borough in reference.LOCAL_AUTHORITIES:
            for role in Role.values:
                assert roles_by_borough[(borough.gss_code, role)] >= 1, (borough.name, role)

    def test_demo_load_adds_partner_people_and_two_platform_staff(self, quiet_report):
        partner_slugs = set(
            Membership.objects.exclude(organisation__gss_code__startswith="E09").values_list(
                "organisation__slug", flat=True
            )
        )

        assert set(accounts_demo.PARTNER_ROLES) <= partner_slugs
        assert User.objects.filter(is_staff=True).count() == 2

    def test_demo_load_reports_every_person_with_the_shared_password(self, quiet_report):
        emails = {s.email for s in quiet_report.sign_ins}

        assert emails == set(User.objects.values_list("email", flat=True))
        assert all(u.check_password(accounts_demo.DEMO_PASSWORD) for u in User.objects.all()[:5])
        assert any(s.featured for s in quiet_report.sign_ins)
        assert all(s.two_factor for s in quiet_report.sign_ins if s.role == "platform staff")

    def test_demo_load_prints_token_secrets_that_work(self, quiet_report):
        tokens = [s for s in quiet_report.secrets if s.kind == "API tokens"]

        assert len(tokens) == len(accounts_demo.DEMO_TOKENS)
        for secret in tokens:
            token = api_token_authenticate(secret.value)
            assert token is not None
            assert token.user.email == secret.owner

    def test_render_report_shows_featured_sign_ins_and_two_factor_hint(
        self, quiet_report, tmp_path
    ):
        text = demo.render_report(
            quiet_report, site_url="http://127.0.0.1:8000", sign_ins_file=tmp_path / "all.txt"
        )

        featured = [s for s in quiet_report.sign_ins if s.featured]
        assert all(s.email in text for s in featured)
        assert accounts_demo.DEMO_PASSWORD in text
        assert "two-factor" in text
        assert str(tmp_path / "all.txt") in text
        assert all(s.value in text for s in quiet_report.secrets)


def test_demo_load_is_idempotent(london):
    demo.demo_load()
    counts = (User.objects.count(), Membership.objects.count())

    demo.demo_load()

    assert (User.objects.count(), Membership.objects.count()) == counts
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == len(
        accounts_demo.DEMO_TOKENS
    )
    assert sum(i.is_open for i in Invitation.objects.all()) == len(accounts_demo.DEMO_INVITATIONS)


def test_demo_load_secrets_from_an_earlier_run_stop_working(london):
    first = demo.demo_load().secrets[0].value

    demo.demo_load()

    assert api_token_authenticate(first) is None


def test_demo_load_writes_audit_events_and_the_chain_verifies(london):
    before = AuditEvent.objects.count()

    report = demo.demo_load()
    demo.demo_load()

    actions = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert actions["user.create"] == len(report.sign_ins)
    assert actions["membership.create"] == len(report.sign_ins)
    assert actions["api_token.create"] == 2 * len(accounts_demo.DEMO_TOKENS)
    assert actions["invitation.create"] == 2 * len(accounts_demo.DEMO_INVITATIONS)
    assert AuditEvent.objects.count() > before
    result = audit_chain_verify()
    assert result.ok
    assert result.checked == AuditEvent.objects.count()


def test_demo_people_are_unique_and_use_reserved_example_addresses():
    people = accounts_demo.demo_people()

    assert len({p.email for p in people}) == len(people)
    assert len({p.full_name for p in people}) == len(people)
    assert all(p.email.endswith(".example") for p in people)


def test_demo_load_without_reference_organisations_says_what_to_do(db):
    with pytest.raises(Exception, match="load the reference organisations"):
        demo.demo_load()


@pytest.fixture
def demo_folders(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    return tmp_path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the demo runs on SQLite")
def test_demo_command_sets_up_without_serving(demo_folders, capsys, monkeypatch):
    served = []
    monkeypatch.setattr("interborough.core.management.commands.demo.exec_gunicorn", served.append)

    call_command("demo", "--no-serve")

    out = capsys.readouterr().out
    assert "Demo sign-ins" in out
    assert accounts_demo.DEMO_PASSWORD in out
    assert (demo_folders / demo.SIGN_INS_FILE).read_text().count(".example") == User.objects.count()
    assert (demo_folders / "static" / "ui" / "build" / "main.css").exists()
    assert served == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the demo runs on SQLite")
def test_demo_command_serves_on_the_chosen_port(demo_folders, monkeypatch):
    served = []
    monkeypatch.setattr(
        "interborough.core.management.commands.demo.exec_gunicorn",
        lambda **kwargs: served.append(kwargs),
    )

    call_command("demo", "--port", "8123")

    assert served == [{"bind": "127.0.0.1:8123"}]


def _command_settings(monkeypatch, *, engine: str, ssl_redirect: bool) -> None:
    from types import SimpleNamespace

    fake = SimpleNamespace(
        DATABASES={"default": {"ENGINE": engine, "NAME": "demo.sqlite3"}},
        SECURE_SSL_REDIRECT=ssl_redirect,
        SESSION_COOKIE_SECURE=False,
    )
    monkeypatch.setattr("interborough.core.management.commands.demo.settings", fake)


def test_demo_command_refuses_a_non_sqlite_database(monkeypatch):
    _command_settings(monkeypatch, engine="django.db.backends.postgresql", ssl_redirect=False)

    with pytest.raises(CommandError, match="SQLite"):
        call_command("demo", "--no-serve")


def test_demo_command_refuses_https_only_settings(monkeypatch):
    _command_settings(monkeypatch, engine="django.db.backends.sqlite3", ssl_redirect=True)

    with pytest.raises(CommandError, match="interborough demo"):
        call_command("demo", "--no-serve")


def test_demo_reset_removes_the_database_files(tmp_path, monkeypatch):
    from interborough.core.management.commands.demo import Command

    database = tmp_path / "interborough.sqlite3"
    for name in ("interborough.sqlite3", "interborough.sqlite3-wal", "interborough.sqlite3-shm"):
        (tmp_path / name).write_text("x")
    (tmp_path / demo.SECRET_KEY_FILE).write_text("kept")
    monkeypatch.setattr("interborough.core.management.commands.demo.connections.close_all", list)

    Command()._reset(database)

    assert sorted(p.name for p in tmp_path.iterdir()) == [demo.SECRET_KEY_FILE]
