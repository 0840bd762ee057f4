"""Cleaning the text people type (forms, API, imports): one set of rules and messages.

Each function returns the cleaned value or raises ApplicationError naming the field, with a
message a person can act on.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from interborough.core.errors import ApplicationError

_TEXT_CONTROLS = frozenset("\n\r\t")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
TAG_MAX_LENGTH = 50
_TAG = re.compile(r"^[\w][\w &'+.-]*$")


def has_hidden_characters(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Control, format (e.g. bidi override), surrogate and unassigned characters."""
    if text.isprintable():  # the common case, checked in C: no category C character at all
        return False
    return any(unicodedata.category(c).startswith("C") and c not in allowed for c in text)


def clean_line(
    value: str, *, field: str, label: str, max_length: int, required: bool = False
) -> str:
    """One line of text: trimmed, inner runs of spaces collapsed, bounded, printable."""
    text = " ".join(value.split())
    if required and not text:
        raise ApplicationError(f"Enter the {label}.", field=field)
    if len(text) > max_length:
        raise ApplicationError(
            f"The {label} must be {max_length} characters or fewer.", field=field
        )
    if has_hidden_characters(text):
        raise ApplicationError(
            f"The {label} must not contain control or invisible characters.", field=field
        )
    return text


def clean_text(
    value: str, *, field: str, label: str, max_length: int, required: bool = False
) -> str:
    """Several lines of text: trimmed, bounded, printable apart from line breaks and tabs."""
    text = value.strip()
    if required and not text:
        raise ApplicationError(f"Enter the {label}.", field=field)
    if len(text) > max_length:
        raise ApplicationError(
            f"The {label} must be {max_length} characters or fewer.", field=field
        )
    if has_hidden_characters(text, _TEXT_CONTROLS):
        raise ApplicationError(
            f"The {label} must not contain control or invisible characters.", field=field
        )
    return text


def clean_web_address(value: str, *, field: str, label: str, max_length: int = 300) -> str:
    """An optional http(s) address."""
    address = value.strip()
    if not address:
        return ""
    if len(address) > max_length:
        raise ApplicationError(
            f"The {label} must be {max_length} characters or fewer.", field=field
        )
    try:
        _WEB_ADDRESS(address)
    except ValidationError as exc:
        raise ApplicationError(
            f"Enter the {label} as a web address starting with https://, "
            "like https://www.example.org",
            field=field,
        ) from exc
    return address


def clean_email(value: str, *, field: str, label: str, example: str = "name@example.org") -> str:
    """An optional email address, in lower case."""
    email = value.strip().lower()
    if not email:
        return ""
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(
            f"Enter {label} in the correct format, like {example}", field=field
        ) from exc
    return email


def normalise_tag(value: str) -> str:
    """Tags (on projects, datasets) are compared and stored in one form: lower case, single
    spaces."""
    return " ".join(value.split()).lower()


def clean_tag(value: str, *, field: str = "tags") -> str:
    """One tag in its normal form ("" for a blank one), or ApplicationError saying what is
    wrong with it."""
    tag = normalise_tag(value)
    if len(tag) > TAG_MAX_LENGTH:
        raise ApplicationError(
            f"Each tag must be {TAG_MAX_LENGTH} characters or fewer.", field=field
        )
    if tag and not _TAG.fullmatch(tag):
        raise ApplicationError(
            f"The tag “{tag}” can only use letters, numbers, spaces and - & ' + .", field=field
        )
    return tag
