"""The published JSON Schema of the agreement document, and problems a person can act on.

`data/agreement.schema.json` is the source: the site serves it at SCHEMA_URL_PATH, and its
`$id` is the stable URL anyone can validate against. Its enums are the codes in vocab.py (a test
keeps them equal) and its descriptions are the plain-English help the drafting pages show
(FIELD_HELP in document.py is read from here, so the two cannot drift). To change the format,
edit the JSON file itself: tests/unit/sharing/test_schema.py fails until its enums match
vocab.py and dpia.CRITERIA again, and until every property has a title and a description.

Pure Python (no Django).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).parent / "data" / "agreement.schema.json"
SCHEMA_URL_PATH = "/agreements/schema/v1.json"

AGREEMENT_SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
SCHEMA_ID: str = AGREEMENT_SCHEMA["$id"]

_VALIDATOR = Draft202012Validator(
    AGREEMENT_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (a dotted path) and what to do about it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


# Patterns in the schema, and what a person has to do to satisfy each.
_PATTERN_MESSAGES = {
    r"^[-a-zA-Z0-9_]*$": "use an organisation or dataset identifier: letters, digits, hyphens "
    "and underscores only",
    r"^[a-z0-9_-]*$": "use lower-case letters, digits, hyphens and underscores only",
    r"^https?://\S+$": "give a full web address starting with https://",
    r"^[A-Za-z0-9-]+$": "use letters, digits and hyphens only",
}
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of named values (a mapping)",
    "null": "empty (null)",
}
_FORMAT_MESSAGES = {
    "date": "is not a date in the form YYYY-MM-DD",
    "email": "is not an email address",
    "uri": "is not a web address",
}
_MAX_LISTED = 12  # longer code lists are summarised: the schema has them all


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _one_of(codes: list[Any]) -> str:
    named = [str(c) for c in codes if c is not None]
    empty = " or empty" if None in codes else ""
    if len(named) <= _MAX_LISTED:
        return f"one of {', '.join(named)}{empty}"
    return f"one of the {len(named)} codes the schema lists (for example {', '.join(named[:3])})"


def _message(error: ValidationError) -> str:
    """A message for one validation error that says what to change."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "enum":
        return f"{_shown(value)} is not {_one_of(list(expected))}"
    if kind == "const":
        return f"must be {_shown(expected)}, not {_shown(value)}"
    if kind == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        return f"should be {' or '.join(_TYPE_WORDS[k] for k in kinds)}, not {_shown(value)}"
    if kind == "format":
        return (
            f"{_shown(value)} {_FORMAT_MESSAGES.get(str(expected), f'is not a valid {expected}')}"
        )
    if kind == "pattern":
        return f"{_shown(value)}: {_PATTERN_MESSAGES.get(str(expected), 'is not allowed here')}"
    if kind == "maxLength":
        return f"is too long: at most {expected:,} characters (it has {len(value):,})"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxItems":
        return f"has too many items: at most {expected:,} (it has {len(value):,})"
    if kind == "uniqueItems":
        return "lists the same item more than once; list each once"
    if kind == "minimum":
        return f"must be at least {expected} (it is {value})"
    if kind == "maximum":
        return f"must be at most {expected} (it is {value})"
    return error.message  # a rule this module does not word yet: jsonschema's own words


def _problems(error: ValidationError) -> Iterator[Problem]:
    """Problems for one error; `required` and `additionalProperties` name each key."""
    path = ".".join(str(part) for part in error.absolute_path)
    prefix = f"{path}." if path else ""
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in present:
                yield Problem(f"{prefix}{key}", "is missing: add it (it may be empty)")
    elif error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        for key in error.instance:
            if key not in allowed:
                yield Problem(
                    f"{prefix}{key}",
                    f"is not part of the agreement format; remove it (allowed here: "
                    f"{', '.join(allowed)})",
                )
    else:
        yield Problem(path, _message(error))


def schema_problems(document: Any) -> list[Problem]:
    """Every way `document` breaks the published schema, each with a dotted path."""
    if not isinstance(document, dict):
        return [Problem("", "The agreement must be a mapping of sections, not a list or a value.")]
    problems: list[Problem] = []
    for error in _VALIDATOR.iter_errors(document):
        problems.extend(_problems(error))
    problems.extend(_unencodable(document, ""))
    return problems


def _unencodable(value: Any, path: str) -> Iterator[Problem]:
    """Text that UTF-8 cannot encode (lone surrogates from JSON escapes), so no hash is possible."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield Problem(path, "contains a character that is not valid Unicode: retype the text")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unencodable(key, path)
            yield from _unencodable(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unencodable(item, f"{path}.{index}" if path else str(index))


def _walk(schema: dict[str, Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path with [] for list items, subschema) for every property in the schema."""
    for key, sub in schema.get("properties", {}).items():
        child = f"{path}.{key}" if path else key
        yield child, sub
        yield from _walk(sub, child)
        items = sub.get("items")
        if isinstance(items, dict):
            yield from _walk(items, f"{child}[]")


def schema_properties(schema: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Every property of the schema by dotted path ("data.datasets[].fields[].name")."""
    return dict(_walk(schema or AGREEMENT_SCHEMA, ""))


def schema_enum(path: str) -> list[str]:
    """The codes the schema allows at `path` (the item codes for a list), without null."""
    sub = schema_properties()[path]
    values = sub.get("enum") or sub.get("items", {}).get("enum") or []
    return [value for value in values if value is not None]
