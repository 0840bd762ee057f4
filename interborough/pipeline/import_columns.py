"""The columns of CSV imports of projects and contract records, and how one cell is read
(no database).

`PROJECT_SCHEMA` and `CONTRACT_SCHEMA` document each kind of import: one `Column` per input field
(its kind, its help text, whether it is required, its choices) and which columns make two rows the
same. `template_csv` writes the header row a person starts from. The value parsers turn one cell
into what the input field wants: yes/no, a date (YYYY-MM-DD or DD/MM/YYYY), a list separated by
semicolons or a choice given by its value or its label; the normalisers compare headers, choices
and titles whatever their case and spacing. Reading the file itself is `imports.parse`.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from interborough.pipeline.models import BudgetBand, FundingSource, Phase, ValueBand

LIST_SEPARATOR = ";"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SEPARATORS = re.compile(r"[\s_\-]+")
TRUE = frozenset({"yes", "y", "true", "1"})
FALSE = frozenset({"no", "n", "false", "0"})

Kind = Literal["text", "list", "bool", "date", "choice"]


# --- the documented columns ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A documented column: its name is the input field's name."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)

    def choice_lookup(self) -> dict[str, str]:
        """Values and labels, in any case and spacing, to the value."""
        lookup = {}
        for value, label in self.choices:
            lookup[normalise_key(label)] = value
            lookup[normalise_key(value)] = value
        return lookup


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of import, and which columns make two rows the same."""

    kind: str
    columns: tuple[Column, ...]
    identity: tuple[str, ...]  # rows with the same values here are duplicates
    identity_label: str  # "title", "product and supplier"
    ignored: frozenset[str] = frozenset()  # columns our own exports add; skipped silently

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _choices(choices: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in choices.choices)


def _choice_help(choices: Any, blank: str) -> str:
    return f"One of: {', '.join(choices.values)} (or its label). Blank means {blank}."


DATE_HELP = "A date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2025-03-31 or 31/03/2025."
BOOL_HELP = "yes or no (also true/false, y/n, 1/0). Blank means no."


def _list_help(what: str) -> str:
    return f"{what}, separated by semicolons (;)."


PROJECT_SCHEMA = Schema(
    kind="projects",
    columns=(
        Column("title", "text", "The project's name, up to 200 characters.", required=True),
        Column(
            "summary",
            "text",
            "What it does in a sentence or two, up to 500 characters.",
            required=True,
        ),
        Column("problem", "text", "The problem the project is solving."),
        Column("user_needs", "text", "Who the users are and what they need."),
        Column("outcomes", "text", "The outcomes the project expects."),
        Column("department", "text", "The department or service that runs it."),
        Column(
            "contact_email",
            "text",
            "The email address of the contact person, a member of your organisation here.",
        ),
        Column(
            "phase",
            "choice",
            _choice_help(Phase, "concept"),
            choices=_choices(Phase),
        ),
        Column(
            "themes",
            "list",
            _list_help("Theme names or slugs, e.g. housing; net-zero"),
            required=True,
        ),
        Column("tags", "list", _list_help("Keywords")),
        Column(
            "partners", "list", _list_help("Partner organisations' names or slugs on this site")
        ),
        Column("start_date", "date", DATE_HELP),
        Column("end_date", "date", DATE_HELP),
        Column(
            "budget_band",
            "choice",
            _choice_help(BudgetBand, "unknown"),
            choices=_choices(BudgetBand),
        ),
        Column(
            "funding_source",
            "choice",
            _choice_help(FundingSource, "unknown"),
            choices=_choices(FundingSource),
        ),
        Column("collaboration_wanted", "bool", BOOL_HELP),
        Column("collaboration_kind", "text", "What kind of collaboration you want."),
        Column("market_engagement_wanted", "bool", BOOL_HELP),
        Column("market_need", "text", "What you need from suppliers."),
        Column("market_need_by", "date", "By when you need it. " + DATE_HELP),
        Column("technology", "text", "Technology used."),
        Column("suppliers", "text", "Suppliers working on it."),
        Column("source_code_url", "text", "A link to the source code, starting with https://."),
        Column("publiccode_url", "text", "A link to its publiccode.yml."),
        Column("related_datasets", "list", _list_help("Links to related datasets")),
        Column("is_public", "bool", "yes to let anyone see it once it is published. " + BOOL_HELP),
    ),
    identity=("title",),
    identity_label="title",
    ignored=frozenset({"id", "url", "organisation", "status", "published_at", "updated_at"}),
)

CONTRACT_SCHEMA = Schema(
    kind="contracts",
    columns=(
        Column("product", "text", "The product or system, e.g. a CRM.", required=True),
        Column("category", "text", "What it does, e.g. housing management."),
        Column("supplier_name", "text", "The supplier's name.", required=True),
        Column("supplier", "text", "The supplier's slug, when it is an organisation here."),
        Column("contract_start", "date", DATE_HELP),
        Column("contract_end", "date", DATE_HELP),
        Column(
            "annual_value_band",
            "choice",
            _choice_help(ValueBand, "unknown"),
            choices=_choices(ValueBand),
        ),
        Column("value_is_internal", "bool", "yes to show the value only to your own members."),
        Column("contract_notice_url", "text", "Contracts Finder or Find a Tender notice link."),
        Column("reprocurement_planned", "bool", "yes if you plan to procure it again."),
        Column("notes", "text", "Anything else, up to 1,000 characters."),
    ),
    identity=("product", "supplier_name"),
    identity_label="product and supplier",
    ignored=frozenset({"id", "url", "organisation"}),
)

SCHEMAS = {PROJECT_SCHEMA.kind: PROJECT_SCHEMA, CONTRACT_SCHEMA.kind: CONTRACT_SCHEMA}


# --- small normalisers and value parsers ---------------------------------------------------


def normalise_header(text: str) -> str:
    """'Start Date', ' start-date ' and 'START_DATE' are all 'start_date'."""
    return _SEPARATORS.sub("_", text.strip().lstrip("\ufeff").strip()).strip("_").casefold()


def normalise_key(text: str) -> str:
    """Values compared loosely: case, spaces, hyphens and underscores do not matter."""
    return _SEPARATORS.sub(" ", text).strip().casefold()


def identity_key(text: str) -> str:
    """Two titles (or products) are the same when they differ only in case and spacing."""
    return " ".join(text.split()).casefold()


def parse_bool(text: str) -> bool | None:
    value = text.strip().casefold()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError("Enter yes or no.")


def parse_date(text: str) -> date | None:
    value = text.strip()
    if not value:
        return None
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError("Enter the date as YYYY-MM-DD or DD/MM/YYYY, like 2025-03-31.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"“{value}” is not a real date.") from None


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip())


def convert_cell(column: Column, raw: str, lookup: dict[str, str]) -> Any:
    """A cell as the input field wants it; None means "leave the default"."""
    if column.kind == "text":
        return raw
    if column.kind == "list":
        return parse_list(raw)
    if column.kind == "bool":
        return parse_bool(raw)
    if column.kind == "date":
        return parse_date(raw)
    value = raw.strip()
    if not value:
        return None
    # An unknown choice is passed on as written: the field check names the allowed values.
    return lookup.get(normalise_key(value), value)


# --- the template --------------------------------------------------------------------------


def template_csv(schema: Schema) -> str:
    """The header row a person starts from (with a byte order mark, so Excel reads UTF-8)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(schema.names)
    return "\ufeff" + buffer.getvalue()
