"""The dataset form: it parses what a person typed (dates, comma lists, choices) into a
DatasetInput; services/datasets.py holds the rules and their messages. Upload forms are in
forms_upload.py."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms

from interborough.accounts.models import Organisation, OrganisationType
from interborough.accounts.selectors import organisation_list
from interborough.catalogue.models import (
    AccessLevel,
    Classification,
    Dataset,
    Frequency,
    Licence,
    Topic,
)
from interborough.catalogue.services.datasets import DatasetInput
from interborough.ui.forms import DATE_FORMATS, DATE_HINT, DateTextInput

# Generous bounds: the service gives the precise limits and messages.
LINE_BOUND = 1000
TEXT_BOUND = 20_000


def _line(label: str, *, help_text: str = "", bound: int = LINE_BOUND) -> forms.CharField:
    name = label.removesuffix(" (optional)").lower()
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=bound,
        error_messages={"max_length": f"The {name} must be {bound} characters or fewer."},
    )


def _choice(label: str, choices: Any, what: str, *, radios: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices.choices,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={
            "required": f"Choose the {what}.",
            "invalid_choice": f"Choose the {what} from the list.",
        },
    )


def _date(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=DATE_HINT,
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateTextInput(),
        error_messages={"invalid": f"Enter the {what} as a real date, like 27/03/2026."},
    )


def _day(value: date | None) -> str:
    return value.strftime(DATE_FORMATS[0]) if value else ""


def _several(label: str, help_text: str, what: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Choose {what} from the list."},
    )


class DatasetForm(forms.Form):
    """Register or edit a dataset: About, Coverage, Contact, Access and handling."""

    # Only when registering, for someone who publishes for several organisations.
    organisation = forms.ChoiceField(
        label="Which organisation publishes it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the organisation that publishes the dataset.",
            "invalid_choice": "Choose one of the organisations you publish data for.",
        },
    )
    # About
    title = _line("Title", help_text="What the data is, in plain English.", bound=200)
    description = forms.CharField(
        label="Description",
        help_text=(
            "What the data holds, where it comes from and what to watch out for. You can use "
            "Markdown: # for headings, - for lists, [words](https://link) for links."
        ),
        required=False,
        max_length=TEXT_BOUND,
        widget=forms.Textarea(attrs={"rows": "10"}),
        error_messages={"max_length": f"The description must be {TEXT_BOUND} characters or fewer."},
    )
    licence = _choice("Licence", Licence, "licence")
    topics = _several("Topics", "Choose every topic that fits.", "topics")
    keywords = _line(
        "Tags (optional)",
        help_text="Keywords, separated by commas, for example: rough sleeping, homelessness",
    )
    # Coverage
    boroughs = _several(
        "Boroughs covered (optional)", "The local authorities the data covers.", "boroughs"
    )
    temporal_start = _date("Start of the period covered (optional)", "start of the period")
    temporal_end = _date("End of the period covered (optional)", "end of the period")
    frequency = _choice("How often is it updated?", Frequency, "update frequency", radios=False)
    # Contact
    contact_name = _line("Contact's name (optional)", bound=150)
    contact_email = _line(
        "Contact email address (optional)",
        help_text="A shared mailbox is best, for example data@council.gov.uk",
        bound=254,
    )
    # Access and handling
    access_level = _choice("Who can get the data?", AccessLevel, "access level")
    classification = _choice("Security classification", Classification, "classification")
    information_asset_owner = _line(
        "Information asset owner (optional)",
        help_text="The senior person responsible for the data, by role or name.",
        bound=150,
    )

    def __init__(
        self, *args: Any, organisations: Sequence[Organisation] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "licence": Licence.OGL_3,
                "frequency": Frequency.IRREGULAR,
                "access_level": AccessLevel.OPEN,
                "classification": Classification.OFFICIAL,
            },
        )
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"].choices = [  # type: ignore[attr-defined]
                (o.slug, o.name) for o in organisations
            ]
        else:
            del self.fields["organisation"]
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (t.slug, t.name) for t in Topic.objects.all()
        ]
        self.fields["boroughs"].choices = [  # type: ignore[attr-defined]
            (o.slug, o.name) for o in organisation_list(type=OrganisationType.LOCAL_AUTHORITY)
        ]

    @staticmethod
    def initial_for(dataset: Dataset) -> dict[str, Any]:
        """The form's starting values for editing a dataset."""
        return {
            "title": dataset.title,
            "description": dataset.description,
            "licence": dataset.licence,
            "topics": [t.slug for t in dataset.topics.all()],
            "keywords": ", ".join(k.name for k in dataset.keywords.all()),
            "boroughs": [o.slug for o in dataset.boroughs.all()],
            "temporal_start": _day(dataset.temporal_start),
            "temporal_end": _day(dataset.temporal_end),
            "frequency": dataset.frequency,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
            "access_level": dataset.access_level,
            "classification": dataset.classification,
            "information_asset_owner": dataset.information_asset_owner,
        }

    def to_input(self) -> DatasetInput:
        """The cleaned form as the services' DatasetInput."""
        data = self.cleaned_data
        return DatasetInput(
            title=data["title"],
            description=data["description"],
            licence=data["licence"],
            topics=list(data["topics"]),
            keywords=[k.strip() for k in data["keywords"].split(",") if k.strip()],
            boroughs=list(data["boroughs"]),
            temporal_start=data["temporal_start"],
            temporal_end=data["temporal_end"],
            frequency=data["frequency"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            access_level=data["access_level"],
            classification=data["classification"],
            information_asset_owner=data["information_asset_owner"],
        )
