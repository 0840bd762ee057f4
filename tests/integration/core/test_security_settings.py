from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from interborough.config import settings as project_settings

pytestmark = pytest.mark.django_db


def test_idle_sessions_expire(client_for, member):
    client = client_for(member)
    assert client.get("/").context["user"].is_authenticated
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not client.get("/").context["user"].is_authenticated


def test_sessions_slide_and_end_with_the_browser():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_passwords_are_hashed_with_argon2_by_default():
    # The test suite swaps in a fast hasher; the project's own setting must put argon2 first.
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_email_goes_over_smtp_and_development_to_the_console(monkeypatch):
    import importlib

    monkeypatch.delenv("INTERBOROUGH_EMAIL_BACKEND", raising=False)
    monkeypatch.setenv("INTERBOROUGH_DEBUG", "false")
    prod = importlib.reload(project_settings)
    assert prod.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    monkeypatch.setenv("INTERBOROUGH_DEBUG", "true")
    dev = importlib.reload(project_settings)
    assert dev.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    monkeypatch.undo()
    importlib.reload(project_settings)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("INTERBOROUGH_SECRET_KEY", raising=False)
    monkeypatch.setenv("INTERBOROUGH_DEBUG", "false")
    with pytest.raises(ImproperlyConfigured, match="INTERBOROUGH_SECRET_KEY"):
        importlib.reload(project_settings)
    monkeypatch.undo()
    importlib.reload(project_settings)
