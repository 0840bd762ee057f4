import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from interborough.accounts.services import organisation_update, user_create
from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.core.selectors import audit_chain_verify
from interborough.core.services import audit_record
from tests.integration.core.tamper import raw_sql

pytestmark = pytest.mark.django_db(transaction=True)

TAMPERABLE = {
    "occurred_at": "'2020-01-01 00:00:00+00:00'",
    "actor_label": "'someone-else@example.london'",
    "action": "'organisation.delete'",
    "object_type": "'accounts.other'",
    "object_id": "'999'",
    "object_repr": "'Not what happened'",
    "changes": '\'{"after": {"website": "https://evil.example"}}\'',
    "request_id": "'forged-request-id'",
    "previous_hash": "'" + "1" * 64 + "'",
    "hash": "'" + "2" * 64 + "'",
}


def test_audit_record_chains_each_event_to_the_previous_one(trail):
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    for before, after in itertools.pairwise(events):
        assert after.previous_hash == before.hash
    assert audit_chain_verify().ok


def test_audit_record_refuses_to_write_outside_a_transaction(db):
    with pytest.raises(ApplicationError):
        audit_record(by=None, action="test.outside")


def test_service_write_and_audit_event_roll_back_together(org_admin, organisation):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        organisation_update(
            by=org_admin,
            organisation=organisation,
            description="x",
            website="",
            ico_registration="",
        )
        raise RuntimeError("later step failed")
    assert AuditEvent.objects.count() == before


def test_audit_event_records_who_what_and_before_after(org_admin, organisation):
    organisation_update(
        by=org_admin, organisation=organisation, description="New", website="", ico_registration=""
    )
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.actor == org_admin
    assert event.organisation == organisation
    assert event.action == "organisation.update"
    assert event.changes["before"]["description"] == ""
    assert event.changes["after"]["description"] == "New"


@pytest.mark.parametrize("column", sorted(TAMPERABLE))
def test_tampering_with_any_stored_column_is_detected(trail, column):
    target = trail[1]
    raw_sql(f"UPDATE core_auditevent SET {column} = {TAMPERABLE[column]} WHERE sequence = {target}")  # noqa: S608
    result = audit_chain_verify()
    assert not result.ok
    assert result.broken_at in {target, target + 1}  # a forged hash shows at the next link


def test_tampering_with_the_actor_and_organisation_ids_is_detected(trail, staff):
    raw_sql(f"UPDATE core_auditevent SET actor_id = {staff.pk} WHERE sequence = {trail[2]}")  # noqa: S608
    assert audit_chain_verify().broken_at == trail[2]


def test_deleting_an_event_is_detected(trail):
    raw_sql(f"DELETE FROM core_auditevent WHERE sequence = {trail[1]}")  # noqa: S608
    result = audit_chain_verify()
    assert result.broken_at == trail[1]


def test_deleting_the_newest_event_is_detected(trail):
    raw_sql(f"DELETE FROM core_auditevent WHERE sequence = {trail[-1]}")  # noqa: S608
    assert audit_chain_verify().broken_at == trail[-1]


def test_audit_verify_command_names_the_first_broken_link(trail, capsys):
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    raw_sql(f"UPDATE core_auditevent SET object_repr = 'x' WHERE sequence = {trail[2]}")  # noqa: S608
    with pytest.raises(CommandError, match=f"broken at event {trail[2]}"):
        call_command("audit_verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL-only")
def test_postgresql_refuses_updates_and_deletes_of_audit_events(trail):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")


def test_user_create_is_audited_without_the_password(db):
    user_create(
        by=None,
        email="New.Person@Example.London",
        full_name="New Person",
        password="a-long-enough-passphrase",
    )
    event = AuditEvent.objects.get(action="user.create")
    assert "passphrase" not in str(event.changes)
    assert event.changes["after"]["email"] == "new.person@example.london"
