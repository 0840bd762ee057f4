"""Reporting a confirmed action's outcome as a message on the page the person lands on next."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from interborough.core.errors import ApplicationError


def act_and_report(request: HttpRequest, action: Callable[[], object], *, success: str) -> bool:
    """Run a service call; show its refusal, or `success`, as a message. True when it succeeded."""
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
