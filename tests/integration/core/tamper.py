from django.db import connection

TRIGGER = "core_auditevent_append_only"


def raw_sql(sql: str) -> None:
    """Simulate someone with direct database access (bypassing PostgreSQL's append-only trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only"
            )
        cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE core_auditevent ENABLE TRIGGER {TRIGGER}")
