import time
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


def test_sessions_end_with_the_browser_and_idle_within_an_hour():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_expiry_slides_forward_once_per_touch_interval(client_for, member):
    client = client_for(member)
    client.get("/")
    first = _expiry(client)
    client.get("/")
    assert _expiry(client) == first  # within the interval: no write

    session = client.session
    session["_touched"] = int(time.time()) - settings.SESSION_TOUCH_INTERVAL - 1
    session.save()
    Session.objects.update(expire_date=first - timedelta(minutes=5))
    client.get("/")
    assert _expiry(client) > first - timedelta(minutes=5)


def test_anonymous_visits_create_no_sessions(client):
    client.get("/")
    client.get("/organisations/")
    assert Session.objects.count() == 0


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
