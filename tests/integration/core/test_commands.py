import pytest
from django.core.management import CommandError, call_command

from interborough.accounts import reference
from interborough.accounts.models import Organisation, User
from interborough.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "a-long-and-unusual-admin-passphrase"


def test_load_organisations_creates_every_reference_organisation(capsys):
    call_command("load_organisations")

    assert Organisation.objects.count() == len(reference.LOCAL_AUTHORITIES) + len(
        reference.PARTNERS
    )
    assert "48 created or updated" in capsys.readouterr().out


def test_load_organisations_twice_changes_nothing(capsys):
    call_command("load_organisations")
    events = AuditEvent.objects.count()

    call_command("load_organisations")

    assert AuditEvent.objects.count() == events
    assert "0 created or updated" in capsys.readouterr().out


def test_create_platform_admin_from_environment(monkeypatch, capsys):
    monkeypatch.setenv("INTERBOROUGH_ADMIN_PASSWORD", ADMIN_PASSWORD)

    call_command(
        "create_platform_admin",
        "--email",
        "Ops.Lead@Interborough.example",
        "--name",
        "Nadia Reid",
        "--password-from-env",
    )

    user = User.objects.get()
    assert user.email == "ops.lead@interborough.example"
    assert user.is_staff
    assert user.check_password(ADMIN_PASSWORD)
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    assert "two-factor" in capsys.readouterr().out


def test_create_platform_admin_reads_a_named_variable(monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", ADMIN_PASSWORD)

    call_command(
        "create_platform_admin",
        "--email=ops@interborough.example",
        "--name=Callum Reid",
        "--password-from-env=FIRST_ADMIN_PASSWORD",
    )

    assert User.objects.get().check_password(ADMIN_PASSWORD)


def test_create_platform_admin_prompts_for_the_password_twice(monkeypatch):
    answers = iter([ADMIN_PASSWORD, ADMIN_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    call_command("create_platform_admin", "--email=ops@interborough.example", "--name=Ana Reid")

    assert User.objects.get().is_staff


def test_create_platform_admin_rejects_mismatched_passwords(monkeypatch):
    answers = iter([ADMIN_PASSWORD, "something-else-entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="do not match"):
        call_command("create_platform_admin", "--email=ops@interborough.example", "--name=A B")
    assert not User.objects.exists()


def test_create_platform_admin_requires_the_variable_to_be_set(monkeypatch):
    monkeypatch.delenv("INTERBOROUGH_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="INTERBOROUGH_ADMIN_PASSWORD"):
        call_command(
            "create_platform_admin", "--email=a@b.example", "--name=A B", "--password-from-env"
        )


def test_create_platform_admin_rejects_a_weak_password(monkeypatch):
    monkeypatch.setenv("INTERBOROUGH_ADMIN_PASSWORD", "password")

    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command(
            "create_platform_admin", "--email=a@b.example", "--name=A B", "--password-from-env"
        )
    assert not User.objects.exists()


def test_create_platform_admin_rejects_an_existing_email(monkeypatch, staff):
    monkeypatch.setenv("INTERBOROUGH_ADMIN_PASSWORD", ADMIN_PASSWORD)

    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_platform_admin",
            f"--email={staff.email.upper()}",
            "--name=A B",
            "--password-from-env",
        )
