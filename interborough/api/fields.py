"""Input types shared by every endpoint: bounded text, email addresses, ids and pagination."""

from datetime import UTC, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, AwareDatetime

# PostgreSQL cannot store NUL characters in text, so no text input may contain one.
NO_NUL = r"^[^\x00]*$"
# Keys fit a 64-bit signed integer column; anything larger can only be a miss.
MAX_ID = 2**63 - 1
MAX_PAGE = 100
MAX_OFFSET = 1_000_000_000


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("This date and time is out of range.") from exc


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValueError("Enter a valid email address.") from exc
    return value


Text100 = Annotated[str, Field(max_length=100, pattern=NO_NUL)]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
Slug = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")]
Email = Annotated[
    str,
    Field(min_length=3, max_length=254, pattern=NO_NUL, json_schema_extra={"format": "email"}),
    AfterValidator(_email),
]
# A date and time with its time zone, kept in UTC.
Instant = Annotated[AwareDatetime, AfterValidator(_utc)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Pagination(LimitOffsetPagination):
    """Limit/offset pages, bounded so no request can ask the database for absurd numbers."""

    class Input(Schema):
        limit: int = Field(MAX_PAGE, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
