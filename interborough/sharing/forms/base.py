"""What every drafting section's editor does: build its forms (a form, and formsets for lists)
from the agreement's document, turn what a person posted into that section's document values,
and show each refusal (its own, or the service's, keyed by document path) on the right field.

A view holds one editor per page: `is_valid()`, then `values()` for
`services.agreement_section_update`, and `add_service_error()` when the service refuses."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet

from interborough.core.errors import ApplicationError


@dataclass(frozen=True)
class Choices:
    """What the section forms offer beyond the vocabularies: the organisations that may be
    parties, and the published catalogue datasets (slug, title)."""

    organisations: list[tuple[str, str]] = field(default_factory=list)
    ico_numbers: dict[str, str] = field(default_factory=dict)
    catalogue_datasets: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: the message, and the field it jumps to."""

    anchor: str
    message: str


class SectionEditor:
    """One drafting page's forms for one document section (its `section` slug)."""

    section: str = ""
    template_name: str = ""

    def __init__(
        self, document: dict[str, Any], data: Any = None, *, choices: Choices | None = None
    ) -> None:
        self.document = document
        self.data = data
        self.choices = choices or Choices()
        self.general_errors: list[str] = []
        # dotted document path -> (form, field name), filled as values() is worked out
        self._paths: dict[str, tuple[forms.Form, str]] = {}

    # --- to override --------------------------------------------------------------------------

    def parts(self) -> list[forms.Form | BaseFormSet]:
        """Every form and formset on the page, in page order."""
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The section's document keys and their new values (after is_valid())."""
        raise NotImplementedError

    # --- shared -------------------------------------------------------------------------------

    def is_valid(self) -> bool:
        """True when every part is valid (each is checked, so every error shows at once)."""
        results = [part.is_valid() for part in self.parts()]
        return all(results) and not self.general_errors

    def bind_path(self, path: str, form: forms.Form, name: str) -> None:
        """Refusals of the document at `path` (or inside it) show on this form field."""
        self._paths[path] = (form, name)

    def add_service_error(self, error: ApplicationError | ValidationError) -> None:
        """Show a service refusal: each problem on its field when the path is one of ours."""
        if isinstance(error, ApplicationError):
            self.general_errors.append(error.message)
            return
        if not hasattr(error, "error_dict"):
            self.general_errors.extend(error.messages)
            return
        for path, messages in error.message_dict.items():
            target = self._target(path)
            for message in messages:
                if target is None:
                    self.general_errors.append(message)
                else:
                    form, name = target
                    if name not in form.errors or message not in form.errors[name]:
                        form.add_error(name, message)

    def _target(self, path: str) -> tuple[forms.Form, str] | None:
        parts = path.split(".")
        while parts:
            found = self._paths.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return None

    def forms(self) -> Iterator[forms.Form]:
        for part in self.parts():
            if isinstance(part, BaseFormSet):
                yield part.management_form
                yield from part.forms
            else:
                yield part

    def error_links(self) -> list[ErrorLink]:
        """Every error on the page, each linked to its field, for the error summary."""
        links = [ErrorLink("#section-form", message) for message in self.general_errors]
        for part in self.parts():
            if not part.is_bound:
                continue
            if isinstance(part, BaseFormSet):
                links += [ErrorLink("#section-form", str(m)) for m in part.non_form_errors()]
                for form in part.forms:
                    links += _form_links(form)
            else:
                links += _form_links(part)
        return links


def _form_links(form: forms.Form) -> list[ErrorLink]:
    if not form.is_bound:
        return []
    first = next(iter(form.visible_fields()), None)
    anchor = f"#{first.auto_id}" if first is not None else "#section-form"
    links = [ErrorLink(anchor, str(message)) for message in form.non_field_errors()]
    for bound in form.visible_fields():
        links += [ErrorLink(f"#{bound.auto_id}", str(message)) for message in bound.errors]
    return links


class SectionForm(forms.Form):
    """A form for one section: `initial_for` reads the document, `section_values` writes it."""

    section: ClassVar[str]
    # form field name -> dotted document path, for showing the service's refusals
    paths: ClassVar[dict[str, str]] = {}

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class OneFormEditor(SectionEditor):
    """An editor whose page is a single SectionForm."""

    form_class: type[SectionForm]

    def __init__(self, document: dict[str, Any], data: Any = None, **kwargs: Any) -> None:
        super().__init__(document, data, **kwargs)
        self.form = self.form_class(
            data, initial=self.form_class.initial_for(document), **self.form_kwargs()
        )
        for name, path in self.form_class.paths.items():
            self.bind_path(path, self.form, name)

    def form_kwargs(self) -> dict[str, Any]:
        """Extra arguments for the form (choices that depend on the document)."""
        return {}

    def parts(self) -> list[Any]:
        return [self.form]

    def values(self) -> dict[str, Any]:
        return self.form.section_values(self.document)


def one_form_editor(form: type[SectionForm], template: str) -> type[OneFormEditor]:
    """The editor of a section whose page is `form`, rendered by sections/<template>.html."""
    return type(
        f"{form.__name__.removesuffix('Form')}Editor",
        (OneFormEditor,),
        {
            "section": form.section,
            "form_class": form,
            "template_name": f"sharing/drafting/sections/{template}.html",
        },
    )
