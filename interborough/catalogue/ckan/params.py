"""Reading CKAN action parameters: the request's data dict and its typed values.

CKAN reads GET query parameters for side-effect-free actions and a JSON object (or form
fields) from POST. Values from a query string are strings, so numbers and booleans are
parsed here with CKAN's own leniency ("true", "True", "1", "yes").
"""

import json
from typing import Any

from django.http import HttpRequest

from interborough.catalogue.ckan.errors import ValidationError

MAX_BODY_BYTES = 256 * 1024
TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
FALSE = frozenset({"false", "0", "no", "off", "f", "n", ""})


class BadRequest(Exception):
    """The request data could not be read at all (CKAN's plain 400 "Bad request - ...")."""


def request_data(request: HttpRequest) -> dict[str, Any]:
    """The action's data dict from the query string (GET) or the body (POST)."""
    if request.method == "GET":
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()
        }
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_BODY_BYTES:
        raise BadRequest(f"JSON Error: the request body is over {MAX_BODY_BYTES // 1024} KB")
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.POST.lists()
        }
    body = request.body
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"JSON Error: Error decoding JSON data. Error: {exc}") from exc
    if not isinstance(data, dict):
        raise BadRequest(
            "Bad request data: Request data JSON decoded to "
            f"{type(data).__name__} but it needs to be a dictionary."
        )
    return data


def as_bool(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError({name: [f"Not a boolean: {str(value)[:50]!r}"]})


def as_int(
    data: dict[str, Any], name: str, default: int, *, minimum: int = 0, maximum: int | None = None
) -> int:
    value = data.get(name, default)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise ValidationError({name: ["Invalid integer"]})
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError({name: ["Invalid integer"]}) from None
    if number < minimum:
        raise ValidationError({name: [f"Must be a natural number of at least {minimum}"]})
    if maximum is not None and number > maximum:
        raise ValidationError({name: [f"Must be at most {maximum}"]})
    return number


def as_text(data: dict[str, Any], name: str, default: str = "", *, max_length: int = 1000) -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if isinstance(value, list | dict):
        raise ValidationError({name: ["Must be a string"]})
    text = str(value)
    if len(text) > max_length:
        raise ValidationError({name: [f"Must be at most {max_length} characters"]})
    return text


def as_list(data: dict[str, Any], name: str, *, max_items: int = 100) -> list[str]:
    """A list given as a JSON list, a JSON-encoded list in a string, or one string."""
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError({name: ["Not a valid JSON list"]}) from None
    items = value if isinstance(value, list) else [value]
    if len(items) > max_items:
        raise ValidationError({name: [f"At most {max_items} values"]})
    if not all(isinstance(item, str | int) for item in items):
        raise ValidationError({name: ["Must be a list of strings"]})
    return [str(item) for item in items]


def required_id(data: dict[str, Any], name: str = "id") -> str:
    value = as_text(data, name, max_length=200).strip()
    if not value:
        raise ValidationError({name: ["Missing value"]})
    return value
