"""The data section: the datasets (a formset on the section's page, with the categories of data
subject and the refresh frequency), and each dataset's fields on a page of their own (a
formset of field rows), so that neither page grows too long to use."""

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.utils.text import slugify

from interborough.sharing import vocab
from interborough.sharing.forms import fields as f
from interborough.sharing.forms.base import SectionEditor

MAX_DATASETS = 50
MAX_FIELDS = 500
D = "data.datasets[]"
KEY_PATTERN = re.compile(r"^[a-z0-9_-]+$")
FORMSET_ERRORS = {
    "missing_management_form": "The form was incomplete: reload the page and try again.",
}


def _key_from(title: str) -> str:
    return slugify(title)[:60].strip("-")


class DataForm(forms.Form):
    """Whose data it is and how often it is shared again."""

    data_subjects = f.lines("data.data_subjects", bound=200, max_items=20)
    refresh_frequency = f.choice("data.refresh_frequency", vocab.REFRESH_FREQUENCIES, radios=True)

    def clean_data_subjects(self) -> list[str]:
        return f.split_lines(
            self.cleaned_data["data_subjects"], bound=200, max_items=20, what="data subjects"
        )


class DatasetForm(forms.Form):
    """One dataset: what it is, who provides it, how long it is kept."""

    title = f.text(f"{D}.title", bound=200)
    key = f.text(
        f"{D}.key",
        bound=60,
        help_text=f.help_of(f"{D}.key") + " Leave it blank to make one from the title.",
    )
    catalogue_dataset = forms.ChoiceField(
        label=f.title_of(f"{D}.catalogue_dataset"),
        help_text=f.help_of(f"{D}.catalogue_dataset"),
        required=False,
        error_messages={"invalid_choice": "Choose a dataset from the data store's list."},
    )
    description = f.text(f"{D}.description", bound=f.TEXT, area=True, rows=3)
    provided_by = forms.ChoiceField(
        label=f.title_of(f"{D}.provided_by"),
        help_text=f.help_of(f"{D}.provided_by"),
        required=False,
        error_messages={"invalid_choice": "Choose one of the parties."},
    )
    period_months = f.whole_number(f"{D}.retention.period_months", minimum=1, maximum=1200)
    deletion_method = f.text(f"{D}.retention.deletion_method", bound=1000, area=True, rows=2)

    KEYS = {
        "key": "key",
        "title": "title",
        "catalogue_dataset": "catalogue_dataset",
        "description": "description",
        "provided_by": "provided_by",
        "period_months": "retention.period_months",
        "deletion_method": "retention.deletion_method",
    }

    def __init__(
        self,
        *args: Any,
        parties: list[tuple[str, str]],
        catalogue: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.catalogue_titles = dict(catalogue)
        self.fields["catalogue_dataset"].choices = [  # type: ignore[attr-defined]
            ("", "Not in the data store: the source is described here"),
            *catalogue,
        ]
        self.fields["provided_by"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a party"),
            *parties,
        ]

    @staticmethod
    def initial_for(entry: dict[str, Any]) -> dict[str, Any]:
        retention = f.obj(entry.get("retention"))
        return {
            "key": entry.get("key") or "",
            "title": entry.get("title") or "",
            "catalogue_dataset": entry.get("catalogue_dataset") or "",
            "description": entry.get("description") or "",
            "provided_by": entry.get("provided_by") or "",
            "period_months": retention.get("period_months"),
            "deletion_method": retention.get("deletion_method") or "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE"):
            return data
        title = " ".join(str(data.get("title") or "").split())
        if not title and data.get("catalogue_dataset"):
            title = self.catalogue_titles.get(data["catalogue_dataset"], "")
        data["title"] = title
        key = str(data.get("key") or "").strip()
        if "key" not in self.errors:
            if not key and title:
                key = _key_from(title)
            if key and not KEY_PATTERN.match(key):
                self.add_error(
                    "key",
                    "Use lower-case letters, digits, hyphens and underscores only in the key, "
                    "like “placements”.",
                )
            elif not key and self.has_changed():
                self.add_error("key", "Give the dataset a title or a key.")
        data["key"] = key
        return data

    def entry(self, fields: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "key": data["key"],
            "title": data["title"],
            "catalogue_dataset": data["catalogue_dataset"] or None,
            "description": data["description"].strip(),
            "provided_by": data["provided_by"],
            "fields": fields,
            "retention": {
                "period_months": data["period_months"],
                "deletion_method": data["deletion_method"].strip(),
            },
        }


class BaseDatasetFormSet(BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this dataset and its fields"

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[str, str] = {}
        for form in self.forms:
            data = form.cleaned_data
            key = data.get("key")
            if not key or data.get("DELETE"):
                continue
            if key in seen:
                form.add_error(
                    "key", f"The key “{key}” is already used: give each dataset its own."
                )
            seen[key] = key


DatasetFormSet = formset_factory(
    DatasetForm,
    formset=BaseDatasetFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_DATASETS,
    absolute_max=MAX_DATASETS,
    validate_max=True,
)


def _party_choices(document: dict[str, Any], names: dict[str, str]) -> list[tuple[str, str]]:
    slugs = [p.get("organisation") for p in f.items(document.get("parties"))]
    return [(s, names.get(s, s)) for s in dict.fromkeys(slugs) if isinstance(s, str) and s]


class DataEditor(SectionEditor):
    """The data section's page: datasets, data subjects and refresh frequency."""

    section = "data"
    template_name = "sharing/drafting/sections/data.html"

    def __init__(self, document: dict[str, Any], data: Any = None, **kwargs: Any) -> None:
        super().__init__(document, data, **kwargs)
        section = f.obj(document.get("data"))
        self.datasets = f.items(section.get("datasets"))
        parties = _party_choices(document, dict(self.choices.organisations))
        catalogue = list(self.choices.catalogue_datasets)
        listed = {slug for slug, _ in catalogue}
        for entry in self.datasets:  # keep a slug the list no longer offers, to show and change
            slug = entry.get("catalogue_dataset")
            if isinstance(slug, str) and slug and slug not in listed:
                catalogue.append((slug, f"{slug} (not published in the data store)"))
                listed.add(slug)
        for entry in self.datasets:
            slug = entry.get("provided_by")
            if isinstance(slug, str) and slug and slug not in dict(parties):
                parties.append((slug, f"{slug} (not a party)"))
        self.form = DataForm(
            data,
            initial={
                "data_subjects": "\n".join(f.strings(section.get("data_subjects"))),
                "refresh_frequency": section.get("refresh_frequency") or "",
            },
        )
        self.formset = DatasetFormSet(
            data,
            prefix="datasets",
            initial=[DatasetForm.initial_for(entry) for entry in self.datasets],
            form_kwargs={"parties": parties, "catalogue": catalogue},
            error_messages={
                **FORMSET_ERRORS,
                "too_many_forms": f"An agreement can cover at most {MAX_DATASETS} datasets.",
            },
        )
        self.bind_path("data.data_subjects", self.form, "data_subjects")
        self.bind_path("data.refresh_frequency", self.form, "refresh_frequency")

    def parts(self) -> list[Any]:
        return [self.form, self.formset]

    def rows(self) -> list[tuple[DatasetForm, dict[str, Any] | None]]:
        """Each dataset form with the document entry it edits (None for a new one)."""
        return [
            (form, self.datasets[i] if i < len(self.datasets) else None)
            for i, form in enumerate(self.formset.forms)
        ]

    def display_rows(self) -> list[dict[str, Any]]:
        """Each dataset's form with its heading, and (saved ones) the key and field count that
        link to its fields page."""
        shown = []
        for index, (form, existing) in enumerate(self.rows()):
            if existing is None:
                shown.append({"form": form, "legend": "Add another dataset", "is_new": True})
                continue
            key = existing.get("key")
            shown.append(
                {
                    "form": form,
                    "legend": f"Dataset {index + 1}: {existing.get('title') or key or 'untitled'}",
                    "is_new": False,
                    "key": key if isinstance(key, str) and KEY_PATTERN.match(key) else "",
                    "fields": len(f.items(existing.get("fields"))),
                    "title": existing.get("title") or key,
                }
            )
        return shown

    def values(self) -> dict[str, Any]:
        entries: list[dict[str, Any]] = []
        for form, existing in self.rows():
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("key"):
                continue
            index = len(entries)
            for name, key in DatasetForm.KEYS.items():
                self.bind_path(f"data.datasets.{index}.{key}", form, name)
            self.bind_path(f"data.datasets.{index}", form, "key")
            # The fields are edited on the dataset's own page: keep them as they are.
            fields = list((existing or {}).get("fields") or [])
            entries.append(form.entry(fields))
        return {
            "data": {
                "datasets": entries,
                "data_subjects": self.form.cleaned_data["data_subjects"],
                "refresh_frequency": f.code_or_none(self.form.cleaned_data["refresh_frequency"]),
            }
        }


# --- one dataset's fields ---------------------------------------------------------------------

F = f"{D}.fields[]"


class FieldForm(forms.Form):
    """One field of a dataset: its sensitivity, whether it identifies people, why it is needed,
    and how it travels."""

    name = f.text(f"{F}.name", bound=100, help_text="")
    sensitivity = f.choice(f"{F}.sensitivity", vocab.SENSITIVITIES, help_text="")
    identifier_type = f.choice(f"{F}.identifier_type", vocab.IDENTIFIER_TYPES, help_text="")
    transformation = f.choice(f"{F}.transformation", vocab.TRANSFORMATIONS, help_text="")
    need = f.text(f"{F}.need", bound=f.TEXT, area=True, rows=2, help_text="")

    KEYS = ("name", "sensitivity", "identifier_type", "need", "transformation")

    @staticmethod
    def initial_for(entry: dict[str, Any]) -> dict[str, Any]:
        return {key: entry.get(key) or "" for key in FieldForm.KEYS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = str(data.get("name") or "").strip()
        data["name"] = name
        others = [data.get(k) for k in self.KEYS if k != "name"]
        if not name and any(others) and not data.get("DELETE") and "name" not in self.errors:
            self.add_error("name", "Give the field's name.")
        return data

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "sensitivity": f.code_or_none(data["sensitivity"]),
            "identifier_type": f.code_or_none(data["identifier_type"]),
            "need": data["need"].strip(),
            "transformation": f.code_or_none(data["transformation"]),
        }


class BaseFieldFormSet(BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this field"

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            name = form.cleaned_data.get("name")
            if not name or form.cleaned_data.get("DELETE"):
                continue
            if name in seen:
                form.add_error("name", f"The field “{name}” is already listed: list each once.")
            seen.add(name)


FieldFormSet = formset_factory(
    FieldForm,
    formset=BaseFieldFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_FIELDS,
    absolute_max=MAX_FIELDS,
    validate_max=True,
)


def dataset_index(document: dict[str, Any], key: str) -> int | None:
    """Where the dataset with this key sits in data.datasets, or None."""
    for index, entry in enumerate(f.items(f.obj(document.get("data")).get("datasets"))):
        if entry.get("key") == key:
            return index
    return None


class DatasetFieldsEditor(SectionEditor):
    """One dataset's page: its fields (the rest of the data section is kept as it is)."""

    section = "data"
    template_name = "sharing/drafting/sections/dataset_fields.html"

    def __init__(
        self, document: dict[str, Any], data: Any = None, *, key: str, **kwargs: Any
    ) -> None:
        super().__init__(document, data, **kwargs)
        index = dataset_index(document, key)
        if index is None:
            raise KeyError(key)
        self.index = index
        self.dataset = f.items(f.obj(document.get("data")).get("datasets"))[index]
        self.formset = FieldFormSet(
            data,
            prefix="fields",
            initial=[FieldForm.initial_for(entry) for entry in f.items(self.dataset.get("fields"))],
            error_messages={
                **FORMSET_ERRORS,
                "too_many_forms": f"A dataset can have at most {MAX_FIELDS} fields.",
            },
        )

    def parts(self) -> list[Any]:
        return [self.formset]

    def values(self) -> dict[str, Any]:
        fields: list[dict[str, Any]] = []
        prefix = f"data.datasets.{self.index}.fields"
        for form in self.formset.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            for key in FieldForm.KEYS:
                self.bind_path(f"{prefix}.{len(fields)}.{key}", form, key)
            self.bind_path(f"{prefix}.{len(fields)}", form, "name")
            fields.append(form.entry())
        section = dict(f.obj(self.document.get("data")))
        datasets = [dict(entry) for entry in f.items(section.get("datasets"))]
        datasets[self.index]["fields"] = fields
        section["datasets"] = datasets
        return {"data": section}
