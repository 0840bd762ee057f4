"""Email from every module, through the foundation's mail settings, sent after commit."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string

from interborough.accounts.models import User


def email_after_commit(
    recipients: Iterable[User], *, subject: str, template: str, context: dict[str, Any]
) -> int:
    """One email per person (each sees only their own address); returns how many."""
    people = {u.email: u for u in recipients if u.is_active and u.email}
    if not people:
        return 0
    base = {**context, "site_url": settings.SITE_URL}
    messages = [
        (
            subject,
            render_to_string(template, {**base, "recipient": person}),
            None,
            [email],
        )
        for email, person in sorted(people.items())
    ]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages)
