"""The one way a workflow row (a status with a transitions map) moves to its next status."""

from collections.abc import Mapping
from typing import Any

from django.db import models

from interborough.core.errors import ApplicationError


def move_status(
    row: models.Model,
    to: str,
    transitions: Mapping[str, frozenset[str]],
    *,
    refusal: str,
    code: str = "invalid_transition",
    **fields: Any,
) -> None:
    """Move `row.status` to `to` if its map allows it, saving the status and these fields.

    Refused moves raise ApplicationError with `refusal`; nothing is saved.
    """
    if to not in transitions[row.status]:  # type: ignore[attr-defined]
        raise ApplicationError(refusal, code=code)
    row.status = to  # type: ignore[attr-defined]
    for name, value in fields.items():
        setattr(row, name, value)
    saved = ["status", *fields]
    if any(f.name == "updated_at" for f in row._meta.concrete_fields):
        saved.append("updated_at")
    row.save(update_fields=saved)
