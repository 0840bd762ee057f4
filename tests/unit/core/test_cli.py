import os
import subprocess
import sys

import pytest

from interborough import cli
from interborough.core import demo
from interborough.core.management.commands.serve import GUNICORN_CONFIG, gunicorn_argv


@pytest.fixture
def restore_environ():
    """The demo writes its settings into os.environ; put the test process's back afterwards."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["audit", "verify"], ["audit_verify"]),
        (["audit", "verify", "--verbosity", "2"], ["audit_verify", "--verbosity", "2"]),
        (["worker", "--queue-name", "default"], ["db_worker", "--queue-name", "default"]),
        (["organisations", "load"], ["load_organisations"]),
        (
            ["admin", "create", "--email", "a@b.example"],
            ["create_platform_admin", "--email", "a@b.example"],
        ),
    ],
)
def test_translate_maps_aliases_to_management_commands(argv, expected):
    assert cli.translate(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [["migrate", "--noinput"], ["demo", "--no-serve"], ["audit"], ["verify", "audit"], []],
)
def test_translate_leaves_other_commands_alone(argv):
    assert cli.translate(argv) == argv


@pytest.mark.parametrize(
    ("args", "port"),
    [([], 8000), (["--port", "9001"], 9001), (["--reset", "--port=8100", "--no-serve"], 8100)],
)
def test_demo_port_reads_the_port_option(args, port):
    assert cli.demo_port(args) == port


def test_main_without_arguments_prints_help(capsys):
    cli.main([])

    assert "interborough audit verify" in capsys.readouterr().out


def test_main_passes_translated_arguments_to_django(monkeypatch):
    calls = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls.append)

    cli.main(["audit", "verify"])

    assert calls == [["interborough", "audit_verify"]]


def test_main_demo_applies_the_demo_settings_before_django_loads(
    monkeypatch, tmp_path, restore_environ
):
    calls = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls.append)
    monkeypatch.setenv("INTERBOROUGH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://example/interborough")
    monkeypatch.delenv("INTERBOROUGH_SECRET_KEY", raising=False)

    cli.main(["demo", "--port", "8100", "--no-serve"])

    assert calls == [["interborough", "demo", "--port", "8100", "--no-serve"]]
    assert os.environ["INTERBOROUGH_DEBUG"] == "false"
    assert os.environ["INTERBOROUGH_SECURE_SSL_REDIRECT"] == "false"
    assert os.environ["INTERBOROUGH_SECURE_COOKIES"] == "false"
    assert os.environ["INTERBOROUGH_SITE_URL"] == "http://127.0.0.1:8100"
    assert os.environ["INTERBOROUGH_EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert "DATABASE_URL" not in os.environ
    assert os.environ["INTERBOROUGH_SECRET_KEY"] == (tmp_path / demo.SECRET_KEY_FILE).read_text()


def test_demo_environment_keeps_the_generated_secret_key_between_runs(monkeypatch, tmp_path):
    monkeypatch.setenv("INTERBOROUGH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INTERBOROUGH_SECRET_KEY", raising=False)

    first = demo.demo_environment()["INTERBOROUGH_SECRET_KEY"]
    second = demo.demo_environment()["INTERBOROUGH_SECRET_KEY"]

    assert first == second
    assert len(first) >= 50
    assert (tmp_path / demo.SECRET_KEY_FILE).stat().st_mode & 0o077 == 0


def test_demo_environment_prefers_a_secret_key_already_set(monkeypatch, tmp_path):
    monkeypatch.setenv("INTERBOROUGH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INTERBOROUGH_SECRET_KEY", "k" * 60)

    assert demo.demo_environment()["INTERBOROUGH_SECRET_KEY"] == "k" * 60


def test_gunicorn_argv_uses_the_config_module_and_overrides():
    argv = gunicorn_argv(bind="127.0.0.1:9000", workers=3)

    assert argv[:3] == [sys.executable, "-m", "gunicorn"]
    assert argv[3:5] == ["--config", GUNICORN_CONFIG]
    assert argv[5:] == ["--bind", "127.0.0.1:9000", "--workers", "3"]


def test_gunicorn_argv_without_overrides_leaves_them_to_the_config():
    assert gunicorn_argv() == [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG]


def _gunicorn_settings() -> dict:
    import runpy

    from interborough.config import gunicorn as config_module

    return runpy.run_path(config_module.__file__)


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("INTERBOROUGH_BIND", "127.0.0.1:9000, 10.0.0.5:9000")
    monkeypatch.setenv("INTERBOROUGH_WORKERS", "3")
    monkeypatch.setenv("INTERBOROUGH_ACCESS_LOG", "")

    config = _gunicorn_settings()

    assert config["bind"] == ["127.0.0.1:9000", "10.0.0.5:9000"]
    assert config["workers"] == 3
    assert config["accesslog"] is None


def test_gunicorn_config_defaults_to_loopback_and_cores(monkeypatch):
    for name in ("INTERBOROUGH_BIND", "INTERBOROUGH_WORKERS", "INTERBOROUGH_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)

    config = _gunicorn_settings()

    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["accesslog"] == "-"
    assert config["control_socket_disable"] is True


def test_encode_runs_without_django_on_an_analysts_machine(tmp_path):
    """`interborough encode` needs no settings, database or Django: it never imports Django."""
    key = tmp_path / "agreement.key"
    script = f"""
import sys
from interborough import cli
try:
    cli.main(["encode", "keygen", "--out", {str(key)!r}])
except SystemExit as exit:
    assert exit.code == 0, exit.code
django = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not django, django
"""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 (fixed argv: this interpreter and our own script)
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert key.read_text().startswith("ibk1:")
