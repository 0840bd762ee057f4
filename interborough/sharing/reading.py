"""Reading a document that may not (yet) match the schema: wrong types read as "not given".

Shared by the completeness rules and the contradiction checks, which both run on drafts.
"""

from datetime import date
from typing import Any


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def items(value: Any) -> list[dict[str, Any]]:
    """The mappings in a list (anything else in it is skipped)."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def given(value: Any) -> bool:
    """True for an answer: non-blank text, a non-empty list, a number or a yes/no."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None


def iso_date(value: Any) -> date | None:
    """An ISO date string as a date; None for anything else."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
