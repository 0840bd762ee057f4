"""Forms for CSV imports: the upload, and the choice to import every row or the valid ones.

The upload form checks what can be checked before anything is stored (a file was sent, it is
not too big, it is a CSV file and not a workbook); the rows are checked after upload by the
import service.
"""

from pathlib import PurePath
from typing import Any

from django import forms

from interborough.accounts.models import Organisation
from interborough.pipeline.imports import MAX_BYTES, SAVE_AS_CSV

ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE)
TOO_BIG = (
    f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files."
)


class ImportUploadForm(forms.Form):
    """Which organisation the rows are for, and the file."""

    organisation = forms.ChoiceField(
        label="Which organisation are you importing for?",
        choices=(),
        error_messages={
            "required": "Choose the organisation you are importing for.",
            "invalid_choice": "Choose one of the organisations you publish for.",
        },
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text=f"A CSV file up to {MAX_BYTES // (1024 * 1024)} MB, with the template's "
        "column names in its first line.",
        max_length=255,
        error_messages={
            "required": "Choose a CSV file to upload.",
            "empty": "The file is empty. Start from the template.",
            "invalid": "Choose a CSV file to upload.",
            "max_length": "The file name must be 255 characters or fewer.",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], too_large: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        field: forms.ChoiceField = self.fields["organisation"]  # type: ignore[assignment]
        field.choices = [(o.slug, o.name) for o in organisations]
        if len(organisations) > 1:
            field.widget = forms.RadioSelect(choices=field.choices)
        elif organisations:
            field.widget = forms.HiddenInput()
            field.initial = organisations[0].slug
        self.too_large = too_large

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.too_large:
            # The upload handler stopped reading the file, so the field saw none.
            self.errors.pop("file", None)
            self.add_error("file", TOO_BIG)
        if isinstance(self.fields["organisation"].widget, forms.HiddenInput):
            # A hidden field's error would show nowhere: show it above the form instead.
            for message in self.errors.pop("organisation", []):
                self.add_error(None, message)
        return cleaned

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_BIG)
        if PurePath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(f"The file must be a CSV file (.csv). {SAVE_AS_CSV}")
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if head.startswith(WORKBOOK_SIGNATURES):
            raise forms.ValidationError(
                f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS_CSV}"
            )
        return upload

    def content(self) -> bytes:
        """The uploaded file's bytes (after is_valid)."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        data: bytes = upload.read(MAX_BYTES + 1)
        return data


class ImportConfirmForm(forms.Form):
    """Import every row (only offered when all are valid), or the valid rows only."""

    valid_rows_only = forms.BooleanField(required=False)
