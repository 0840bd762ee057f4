"""Forms for the project pages. They parse what a person typed (dates, lists, choices) into a
ProjectInput; services/project_input.py holds the rules and their messages."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from django import forms

from interborough.accounts.models import Organisation
from interborough.pipeline.models import BudgetBand, FundingSource, Phase, Project, Theme
from interborough.pipeline.services.project_input import (
    LONG_TEXT,
    ProjectInput,
    project_input_from,
)
from interborough.pipeline.services.projects import UPDATE_MAX_LENGTH
from interborough.ui.forms import DATE_FORMATS, DATE_HINT, DateTextInput

# Lengths are the services' limits; tags and dataset links are checked one by one there.
LINE_BOUND = 1000
TEXT_BOUND = LONG_TEXT
RELATED_DATASETS_BOUND = 7000


def _too_long(label: str, bound: int) -> dict[str, str]:
    name = label.removesuffix(" (optional)").rstrip("?").lower()
    return {"max_length": f"The {name} must be {bound} characters or fewer."}


def _line(label: str, *, help_text: str = "", bound: int = LINE_BOUND) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=bound,
        error_messages=_too_long(label, bound),
    )


def _text(label: str, *, help_text: str = "", bound: int = TEXT_BOUND) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=bound,
        widget=forms.Textarea,
        error_messages=_too_long(label, bound),
    )


def _day(value: date | None) -> str:
    return value.strftime(DATE_FORMATS[0]) if value else ""


def _date(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=DATE_HINT,
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateTextInput(),
        error_messages={"invalid": f"Enter the {what} as a real date, like 27/03/2026."},
    )


def _split(value: str, separator: str | None) -> list[str]:
    parts = value.split(separator) if separator else value.splitlines()
    return [part.strip() for part in parts if part.strip()]


def organisation_label(organisation: Organisation) -> str:
    return organisation.short_name or organisation.name


class ProjectForm(forms.Form):
    """Register or edit a project: About, People and partners, Phase and dates, Themes and tags,
    Working with others, Technology, Visibility."""

    # Only when registering, for someone who publishes for several organisations.
    organisation = forms.ChoiceField(
        label="Which organisation is it for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the organisation that owns the project.",
            "invalid_choice": "Choose one of the organisations you publish projects for.",
        },
    )
    # About
    title = _line("Title", help_text="A name people will recognise, in plain English.", bound=200)
    summary = _text(
        "Summary",
        help_text="What the project does, in a sentence or two (up to 500 characters).",
        bound=500,
    )
    problem = _text("The problem (optional)", help_text="The problem the project is solving.")
    user_needs = _text(
        "Users and their needs (optional)", help_text="Who the users are and what they need."
    )
    outcomes = _text("Expected outcomes (optional)")
    # People and partners
    department = _line("Department or service (optional)", bound=150)
    contact_email = _line(
        "Contact's email address (optional)",
        help_text="Someone in your organisation who has an account on Interborough.",
        bound=254,
    )
    partners = forms.MultipleChoiceField(
        label="Partner organisations (optional)",
        help_text="Other organisations working on it with you.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose partner organisations from the list."},
    )
    # Phase and dates
    phase = forms.ChoiceField(
        label="Phase",
        choices=Phase.choices,
        initial=Phase.CONCEPT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the project's phase.",
            "invalid_choice": "Choose the project's phase from the list.",
        },
    )
    start_date = _date("Start date (optional)", "start date")
    end_date = _date("End date (optional)", "end date")
    budget_band = forms.ChoiceField(
        label="Budget",
        choices=BudgetBand.choices,
        initial=BudgetBand.UNKNOWN,
        error_messages={
            "required": "Choose the budget band.",
            "invalid_choice": "Choose the budget band from the list.",
        },
    )
    funding_source = forms.ChoiceField(
        label="Funding",
        choices=FundingSource.choices,
        initial=FundingSource.UNKNOWN,
        error_messages={
            "required": "Choose where the funding comes from.",
            "invalid_choice": "Choose where the funding comes from, from the list.",
        },
    )
    # Themes and tags
    themes = forms.MultipleChoiceField(
        label="Themes",
        help_text="Choose every theme that fits.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose themes from the list."},
    )
    tags = _line(
        "Tags (optional)",
        help_text="Keywords, separated by commas, for example: repairs, chatbot, damp and mould",
    )
    # Working with others
    collaboration_wanted = forms.BooleanField(
        label="We want to collaborate with other organisations", required=False
    )
    collaboration_kind = _line(
        "What kind of collaboration?",
        help_text="For example: share user research, procure together, reuse code.",
        bound=500,
    )
    market_engagement_wanted = forms.BooleanField(
        label="We want to hear from suppliers", required=False
    )
    market_need = _text("What do you need from suppliers?")
    market_need_by = _date("By when? (optional)", "date you need it by")
    # Technology
    technology = _line("Technology used (optional)", bound=500)
    suppliers = _line("Suppliers working on it (optional)", bound=500)
    source_code_url = _line("Link to the source code (optional)", bound=300)
    publiccode_url = _line(
        "Link to its publiccode.yml (optional)",
        help_text="The machine-readable description of the software, if there is one.",
        bound=300,
    )
    related_datasets = _text(
        "Related datasets (optional)",
        help_text="Links to datasets, one on each line.",
        bound=RELATED_DATASETS_BOUND,
    )
    # Visibility
    is_public = forms.BooleanField(
        label="Anyone can see it once it is published, without signing in", required=False
    )

    def __init__(
        self,
        *args: Any,
        organisations: Sequence[Organisation] = (),
        partner_choices: Sequence[Organisation] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"].choices = [  # type: ignore[attr-defined]
                (o.slug, o.name) for o in organisations
            ]
        else:
            del self.fields["organisation"]
        self.fields["themes"].choices = [  # type: ignore[attr-defined]
            (t.slug, t.name) for t in Theme.objects.all()
        ]
        self.fields["partners"].choices = [  # type: ignore[attr-defined]
            (o.slug, o.name) for o in partner_choices
        ]

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        """The form's starting values for editing a project."""
        values = asdict(project_input_from(project))
        return {
            **values,
            **{name: _day(values[name]) for name in ("start_date", "end_date", "market_need_by")},
            "tags": ", ".join(values["tags"]),
            "related_datasets": "\n".join(values["related_datasets"]),
        }

    def to_input(self) -> ProjectInput:
        """The cleaned form as the services' ProjectInput."""
        data = self.cleaned_data
        return ProjectInput(
            title=data["title"],
            summary=data["summary"],
            problem=data["problem"],
            user_needs=data["user_needs"],
            outcomes=data["outcomes"],
            department=data["department"],
            contact_email=data["contact_email"],
            phase=data["phase"],
            themes=list(data["themes"]),
            tags=_split(data["tags"], ","),
            partners=list(data["partners"]),
            start_date=data["start_date"],
            end_date=data["end_date"],
            budget_band=data["budget_band"],
            funding_source=data["funding_source"],
            collaboration_wanted=data["collaboration_wanted"],
            collaboration_kind=data["collaboration_kind"],
            market_engagement_wanted=data["market_engagement_wanted"],
            market_need=data["market_need"],
            market_need_by=data["market_need_by"],
            technology=data["technology"],
            suppliers=data["suppliers"],
            source_code_url=data["source_code_url"],
            publiccode_url=data["publiccode_url"],
            related_datasets=_split(data["related_datasets"], None),
            is_public=data["is_public"],
        )


class StatusUpdateForm(forms.Form):
    text = forms.CharField(
        label="What has happened?",
        help_text="Progress, decisions, what you learned, what comes next.",
        max_length=UPDATE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the update.",
            "max_length": f"The update must be {UPDATE_MAX_LENGTH} characters or fewer.",
        },
    )
    phase = forms.ChoiceField(
        label="Has it moved to a new phase? (optional)",
        choices=[("", "No change"), *Phase.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a phase from the list."},
    )
