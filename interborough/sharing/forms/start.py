"""Starting an agreement: a new one (blank or from a template, with its parties) and one
imported from a YAML or JSON file (uploaded or pasted)."""

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from interborough.core.text import has_hidden_characters
from interborough.sharing.codec import MAX_BYTES, DocumentError, load
from interborough.sharing.templates_library import TEMPLATES

BLANK = "blank"
TITLE_MAX_LENGTH = 200
MB = 1024 * 1024
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
# What browsers send for these files; anything else is not an agreement file.
CONTENT_TYPES = frozenset(
    {
        "application/json",
        "application/yaml",
        "application/x-yaml",
        "text/yaml",
        "text/x-yaml",
        "text/plain",
        "application/octet-stream",
        "",
    }
)


def _organisation_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the organisation that leads the agreement.",
            "invalid_choice": "Choose one of the organisations you draft agreements for.",
        },
    )


class OrganisationChoiceMixin(forms.Form):
    """The leading organisation: a radio when the person drafts for several, else implied."""

    def set_organisations(self, organisations: list[tuple[str, str]]) -> None:
        if len(organisations) == 1:
            del self.fields["organisation"]
            self.only_organisation = organisations[0][0]
        else:
            self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
            self.only_organisation = ""

    def chosen_organisation(self) -> str:
        return self.only_organisation or self.cleaned_data["organisation"]


class NewAgreementForm(OrganisationChoiceMixin):
    """Start a draft: who leads it, its title, a template, and the other parties."""

    organisation = _organisation_field("Which organisation leads the agreement?")
    title = forms.CharField(
        label="Title",
        help_text="A short name a resident would understand, for example “Cross-borough "
        "temporary accommodation placements”. You can change it later.",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter a title for the agreement.",
            "max_length": f"The title must be {TITLE_MAX_LENGTH} characters or fewer.",
        },
    )
    template = forms.ChoiceField(
        label="Start from a template?",
        widget=forms.RadioSelect,
        choices=[
            *((t.key, t.title) for t in TEMPLATES.values()),
            (BLANK, "Start from a blank agreement"),
        ],
        error_messages={
            "required": "Choose a template, or start from a blank agreement.",
            "invalid_choice": "Choose a template from the list, or start from a blank agreement.",
        },
    )
    parties = forms.MultipleChoiceField(
        label="Which other organisations are parties? (optional)",
        help_text="Tick every organisation that shares or receives the data. You can add or "
        "remove parties later.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose parties from the list of organisations."},
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]],
        parties: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_organisations(organisations)
        lead = self.only_organisation
        self.fields["parties"].choices = [  # type: ignore[attr-defined]
            (slug, name) for slug, name in parties if slug != lead
        ]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Enter a title for the agreement.")
        if has_hidden_characters(title):
            raise forms.ValidationError(
                "The title must not contain control or invisible characters."
            )
        return title

    def template_key(self) -> str:
        key = self.cleaned_data["template"]
        return "" if key == BLANK else key

    def other_parties(self) -> list[str]:
        lead = self.chosen_organisation()
        return [slug for slug in self.cleaned_data["parties"] if slug != lead]


class ImportForm(OrganisationChoiceMixin):
    """An agreement document as a YAML or JSON file, or pasted as text."""

    organisation = _organisation_field("Which organisation leads the imported agreement?")
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A .yaml, .yml or .json file, up to {MAX_BYTES // MB} MB, in the agreement "
        "format (as the agreement page exports it).",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
        error_messages={"empty": "The file is empty.", "invalid": "Choose a YAML or JSON file."},
    )
    text = forms.CharField(
        label="Or paste the agreement",
        help_text="YAML or JSON text.",
        required=False,
        max_length=MAX_BYTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": "12", "spellcheck": "false"}),
        error_messages={
            "max_length": f"The pasted text is larger than the {MAX_BYTES // MB} MB limit."
        },
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_organisations(organisations)
        self.document: dict[str, Any] | None = None

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in SUFFIXES:
            raise forms.ValidationError("The file must be a .yaml, .yml or .json file.")
        if (upload.content_type or "").split(";")[0].strip().lower() not in CONTENT_TYPES:
            raise forms.ValidationError("The file must be YAML or JSON text.")
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than the {MAX_BYTES // MB} MB limit.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        upload, text = data.get("file"), data.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste the agreement, not both.")
        if upload:
            self._read(
                upload.read(MAX_BYTES + 1), SUFFIXES[PurePath(upload.name).suffix.lower()], "file"
            )
        elif text.strip():
            self._read(text, None, "text")
        else:
            self.add_error("file", "Choose a YAML or JSON file, or paste the agreement.")
        return data

    def _read(self, content: str | bytes, fmt: Any, field: str) -> None:
        try:
            self.document = load(content, fmt)
        except DocumentError as exc:
            self.add_error(field, exc.message)
