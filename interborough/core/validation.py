"""Checking many fields at once, so a person sees every problem in one go (forms, API, imports)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from interborough.core.errors import ApplicationError


class FieldErrors:
    """Runs field checks, keeps each ApplicationError under its field, raises them together."""

    def __init__(self) -> None:
        self.messages: dict[str, list[str]] = {}

    def check(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`fn(*args, **kwargs)`, or None when it refuses (its message is kept)."""
        try:
            return fn(*args, **kwargs)
        except ApplicationError as exc:
            self.add(exc.field or name, exc.message)
            return None

    def add(self, field: str, message: str) -> None:
        self.messages.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        """A ValidationError naming each field that is wrong, if any is."""
        if self.messages:
            raise ValidationError(self.messages)
