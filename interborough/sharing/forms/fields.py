"""Field builders the drafting forms share: each field takes its label and hint from the
document's FIELD_TITLES / FIELD_HELP (so the page explains what the published schema says), its
length bound from the schema, and refuses hidden characters with a message a person can act on.

Blank answers read as "not answered yet" (None for choices, numbers, dates and yes/no; "" for
text), as in a blank document; completeness is the task list's business, not the form's."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from interborough.core.text import has_hidden_characters
from interborough.sharing.document import FIELD_HELP, FIELD_TITLES
from interborough.ui.forms import DATE_FORMATS, DATE_HINT, DateTextInput

LINE = 200
TEXT = 5000
YES_NO = [("yes", "Yes"), ("no", "No")]
_TEXT_CONTROLS = frozenset("\n\r\t")


def title_of(path: str, fallback: str = "") -> str:
    return FIELD_TITLES.get(path, fallback or path.rsplit(".", 1)[-1].replace("_", " ").title())


def help_of(path: str) -> str:
    return FIELD_HELP.get(path, "")


def _no_hidden(multiline: bool, what: str) -> Any:
    def check(value: str) -> None:
        if has_hidden_characters(value, _TEXT_CONTROLS if multiline else frozenset()):
            raise ValidationError(f"The {what} must not contain control or invisible characters.")

    return check


def text(
    path: str,
    *,
    bound: int = LINE,
    label: str = "",
    help_text: str | None = None,
    area: bool = False,
    rows: int = 4,
) -> forms.CharField:
    """Free text at `path` (one line, or several with `area`), optional, at most `bound` long."""
    label = label or title_of(path)
    what = label.lower()
    return forms.CharField(
        label=label,
        help_text=help_of(path) if help_text is None else help_text,
        required=False,
        max_length=bound,
        widget=forms.Textarea(attrs={"rows": str(rows)}) if area else forms.TextInput,
        validators=[_no_hidden(area, what)],
        error_messages={"max_length": f"The {what} must be {bound:,} characters or fewer."},
    )


def email(path: str, *, label: str = "") -> forms.EmailField:
    label = label or title_of(path)
    return forms.EmailField(
        label=label,
        help_text=help_of(path),
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.gov.uk.",
            "max_length": "The email address must be 254 characters or fewer.",
        },
    )


def choice(
    path: str,
    codes: dict[str, str],
    *,
    label: str = "",
    radios: bool = False,
    blank: str = "Choose one",
    help_text: str | None = None,
) -> forms.ChoiceField:
    """One code from a vocabulary, or blank (not answered yet)."""
    label = label or title_of(path)
    choices = list(codes.items()) if radios else [("", blank), *codes.items()]
    return forms.ChoiceField(
        label=label,
        help_text=help_of(path) if help_text is None else help_text,
        required=False,
        choices=choices,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"invalid_choice": f"Choose the {label.lower()} from the list."},
    )


def several(
    path: str, codes: Iterable[tuple[str, str]], *, label: str = "", help_text: str | None = None
) -> forms.MultipleChoiceField:
    """Any number of codes from a vocabulary, as checkboxes."""
    label = label or title_of(path)
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_of(path) if help_text is None else help_text,
        required=False,
        choices=list(codes),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Choose {label.lower()} from the list."},
    )


def yes_no(path: str, *, label: str = "") -> forms.ChoiceField:
    """A yes/no answer, blank until answered."""
    label = label or title_of(path)
    return forms.ChoiceField(
        label=label,
        help_text=help_of(path),
        required=False,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Answer yes or no: {label.lower()}."},
    )


def whole_number(
    path: str, *, minimum: int, maximum: int, label: str = "", decimal: bool = False
) -> forms.Field:
    """A number within bounds (a whole one unless `decimal`), blank until answered."""
    label = label or title_of(path)
    bounds = f"between {minimum:,} and {maximum:,}"
    messages = {
        "invalid": f"Enter the {label.lower()} as a {'number' if decimal else 'whole number'}.",
        "min_value": f"The {label.lower()} must be {bounds}.",
        "max_value": f"The {label.lower()} must be {bounds}.",
        "max_digits": f"The {label.lower()} must be {bounds}.",
        "max_decimal_places": f"Give the {label.lower()} to at most 2 decimal places.",
        "max_whole_digits": f"The {label.lower()} must be {bounds}.",
    }
    common = {
        "label": label,
        "help_text": help_of(path),
        "required": False,
        "min_value": minimum,
        "max_value": maximum,
        "error_messages": messages,
        "widget": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    }
    if decimal:
        return forms.DecimalField(max_digits=5, decimal_places=2, **common)  # type: ignore[arg-type]
    return forms.IntegerField(**common)  # type: ignore[arg-type]


def day(path: str, *, label: str = "") -> forms.DateField:
    """A date as people write it in the UK, blank until answered."""
    label = label or title_of(path)
    hint = help_of(path).replace(" (YYYY-MM-DD)", "")
    return forms.DateField(
        label=label,
        help_text=f"{hint} {DATE_HINT}." if hint else DATE_HINT,
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateTextInput(),
        error_messages={"invalid": f"Enter the {label.lower()} as a real date, like 27/03/2026."},
    )


def lines(
    path: str, *, bound: int, max_items: int, label: str = "", help_text: str | None = None
) -> forms.CharField:
    """A list of short texts, one a line (blank lines ignored)."""
    label = label or title_of(path)
    field = text(path, bound=(bound + 2) * max_items, label=label, area=True, help_text=help_text)
    field.help_text = f"{field.help_text} Put each on its own line.".strip()
    return field


def split_lines(value: str, *, bound: int, max_items: int, what: str) -> list[str]:
    """The non-blank lines of `value`, each trimmed, at most `max_items` of at most `bound`."""
    items = list(dict.fromkeys(line.strip() for line in value.splitlines() if line.strip()))
    if len(items) > max_items:
        raise ValidationError(f"List at most {max_items} {what}, one a line.")
    for item in items:
        if len(item) > bound:
            raise ValidationError(f"Each of the {what} must be {bound} characters or fewer.")
    return items


# --- document values to form values, and back -------------------------------------------------


def from_yes_no(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else ""


def to_yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def from_iso(value: Any) -> date | None:
    """A document date (ISO text) as a date for a form; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def to_iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def code_or_none(value: str) -> str | None:
    return value or None


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
