"""Forms for resources and uploads: a new resource with its first file, a new version, and
confirming an inferred schema. The services check the data file itself (type, size, content);
these forms read the optional Table Schema file, which is small, and check it is one."""

import json
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from interborough.catalogue.ingest_problems import IngestError
from interborough.catalogue.ingest_schema import check_descriptor
from interborough.catalogue.services.version_schema import SchemaFieldInput
from interborough.catalogue.services.versions import (
    ALLOWED_SUFFIXES,
    FIELD_TYPES,
    MAX_UPLOAD_BYTES,
)

# What each Frictionless type means, in words, for the schema form.
TYPE_LABELS = {
    "string": "Text",
    "integer": "Whole number",
    "number": "Number",
    "boolean": "True or false",
    "date": "Date",
    "datetime": "Date and time",
    "year": "Year",
    "yearmonth": "Year and month",
    "time": "Time of day",
    "duration": "Duration",
    "geopoint": "Point (latitude, longitude)",
    "geojson": "GeoJSON geometry",
    "object": "JSON object",
    "array": "JSON list",
    "any": "Anything",
}
MB = 1024 * 1024
MAX_SCHEMA_BYTES = 1 * MB
FILE_TOO_LARGE = f"The file is larger than the {MAX_UPLOAD_BYTES // MB} MB limit."
SCHEMA_TOO_LARGE = f"The schema file is larger than the {MAX_SCHEMA_BYTES // MB} MB limit."
FILE_HINT = (
    f"CSV, Excel (.xlsx), JSON, GeoJSON or Parquet, up to {MAX_UPLOAD_BYTES // MB} MB. "
    "We check it and convert it before anyone can see it."
)
SCHEMA_HINT = (
    "A Frictionless Table Schema (a .json file) giving each column's type and rules. Without "
    "one, we work the types out and ask you to confirm them."
)


def _data_file() -> forms.FileField:
    return forms.FileField(
        label="Data file",
        help_text=FILE_HINT,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ALLOWED_SUFFIXES))}),
        error_messages={
            "required": "Choose the file to upload.",
            "empty": "The file is empty.",
            "invalid": "Choose the file to upload.",
        },
    )


def _schema_file() -> forms.FileField:
    return forms.FileField(
        label="Table Schema (optional)",
        help_text=SCHEMA_HINT,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
        error_messages={"empty": "The schema file is empty.", "invalid": "Choose a .json file."},
    )


def read_schema(upload: UploadedFile | None) -> dict[str, Any] | None:
    """The Table Schema in an uploaded JSON file, or a ValidationError saying what is wrong."""
    if upload is None:
        return None
    if (upload.size or 0) > MAX_SCHEMA_BYTES:
        raise forms.ValidationError(SCHEMA_TOO_LARGE)
    try:
        schema = json.loads(upload.read(MAX_SCHEMA_BYTES + 1).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise forms.ValidationError(
            "The schema file is not JSON. Save the Table Schema as a .json file."
        ) from None
    try:
        check_descriptor(schema)
    except IngestError as exc:
        raise forms.ValidationError(exc.message) from None
    return schema  # type: ignore[no-any-return]


class VersionUploadForm(forms.Form):
    """A new version of a resource: the file, and optionally its Table Schema."""

    file = _data_file()
    schema = _schema_file()

    def clean_schema(self) -> dict[str, Any] | None:
        return read_schema(self.cleaned_data.get("schema"))


class ResourceForm(VersionUploadForm):
    """A new resource with its first file."""

    name = forms.CharField(
        label="Name",
        help_text="What this file or table holds, for example: Counts by ward, 2025",
        max_length=1000,
        error_messages={
            "required": "Enter the resource name.",
            "max_length": "The resource name must be 200 characters or fewer.",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": "4"}),
        error_messages={"max_length": "The description must be 5000 characters or fewer."},
    )

    field_order = ["name", "description", "file", "schema"]


class SchemaConfirmForm(forms.Form):
    """Each column of an inferred schema: its title, description, type and whether it is
    required. Fields are named fields-<n>-<part>, as the service names them in its errors."""

    def __init__(self, *args: Any, columns: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        type_choices = [(t, f"{TYPE_LABELS.get(t, t)} ({t})") for t in FIELD_TYPES]
        for i, column in enumerate(columns):
            name = str(column.get("name"))
            known = column.get("type") if column.get("type") in FIELD_TYPES else "string"
            self.fields[f"fields-{i}-title"] = forms.CharField(
                label="Title (optional)",
                help_text="A readable name, for example: Number of people",
                required=False,
                max_length=1000,
                initial=column.get("title", ""),
                error_messages={"max_length": "The title must be 200 characters or fewer."},
            )
            self.fields[f"fields-{i}-description"] = forms.CharField(
                label="Description (optional)",
                help_text="What the values mean, their unit, how they were counted.",
                required=False,
                max_length=5000,
                initial=column.get("description", ""),
                widget=forms.Textarea(attrs={"rows": "2"}),
                error_messages={"max_length": "The description must be 2000 characters or fewer."},
            )
            self.fields[f"fields-{i}-type"] = forms.ChoiceField(
                label="Type",
                choices=type_choices,
                initial=known,
                error_messages={
                    "required": f"Choose the type of “{name[:50]}”.",
                    "invalid_choice": f"Choose the type of “{name[:50]}” from the list.",
                },
            )
            self.fields[f"fields-{i}-required"] = forms.BooleanField(
                label="Every row must have a value",
                required=False,
                initial=bool((column.get("constraints") or {}).get("required")),
            )

    def column_groups(self) -> list[tuple[dict[str, Any], list[forms.BoundField]]]:
        """Each column with its four bound fields, for the template."""
        parts = ("title", "description", "type", "required")
        return [
            (column, [self[f"fields-{i}-{part}"] for part in parts])
            for i, column in enumerate(self.columns)
        ]

    def to_inputs(self) -> list[SchemaFieldInput]:
        """The cleaned form as the service's SchemaFieldInput list."""
        data = self.cleaned_data
        return [
            SchemaFieldInput(
                name=str(column.get("name")),
                title=data[f"fields-{i}-title"],
                description=data[f"fields-{i}-description"],
                type=data[f"fields-{i}-type"],
                required=data[f"fields-{i}-required"],
            )
            for i, column in enumerate(self.columns)
        ]
