"""Editing a draft one section at a time (and, in the data section, one dataset's fields at a
time): each field with its plain-English help, and the template's reasons for what it
pre-filled. Saving calls `services.agreement_section_update` and returns to the task list."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from interborough.catalogue.selectors.fields import dataset_field_names, dataset_for_slug
from interborough.core.errors import ApplicationError
from interborough.sharing import services
from interborough.sharing.document import (
    FIELD_HELP,
    FIELD_TITLES,
    Section,
    section_for,
    section_state,
)
from interborough.sharing.dpia import CRITERIA, screen
from interborough.sharing.forms import EDITORS, DatasetFieldsEditor, SectionEditor
from interborough.sharing.forms.data import FieldForm
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.views.drafting_common import (
    NotEditable,
    draft_for,
    explanations_for,
    field_explanations,
    section_choices,
)

GET_POST = ["GET", "HEAD", "POST"]
FIELD_PATH = "data.datasets[].fields[]"


def _save(
    request: HttpRequest, viewer: Any, agreement: DataSharingAgreement, editor: SectionEditor
) -> DataSharingAgreement | None:
    """Validate the editor and save its section; None (errors on the editor) when refused."""
    if not editor.is_valid():
        return None
    try:
        return services.agreement_section_update(
            by=viewer, agreement=agreement, section=editor.section, values=editor.values()
        )
    except (ValidationError, ApplicationError) as exc:
        editor.add_service_error(exc)
        return None


def _saved(request: HttpRequest, agreement: DataSharingAgreement, section: Section) -> HttpResponse:
    """Back to the task list, saying the section is saved (and whether it is now complete)."""
    state = section_state(agreement.document, section.slug)
    tail = " It is complete." if state.complete else " It still needs the answers listed below."
    messages.success(request, f"{section.title}: your changes have been saved.{tail}")
    return redirect("sharing:draft-tasks", reference=agreement.reference, version=agreement.version)


def _page(
    request: HttpRequest,
    agreement: DataSharingAgreement,
    editor: SectionEditor,
    *,
    heading: str,
    section: Any,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    errors = editor.error_links() if request.method == "POST" else []
    return render(
        request,
        editor.template_name,
        {
            "agreement": agreement,
            "editor": editor,
            "section": section,
            "heading": heading,
            "state": section_state(agreement.document, section.slug),
            "errors": errors,
            **(extra or {}),
        },
    )


@login_required
@require_http_methods(GET_POST)
def draft_section(request: HttpRequest, reference: str, version: int, section: str) -> HttpResponse:
    """One section of a draft: its form, and on saving, back to the task list."""
    try:
        viewer, agreement = draft_for(request, reference, version)
    except NotEditable as exc:
        return exc.response()
    if section not in EDITORS:
        raise Http404
    part = section_for(section)
    editor_class = EDITORS[section]
    choices = section_choices(datasets_of=agreement if section == "data" else None)
    data = request.POST if request.method == "POST" else None
    editor = editor_class(agreement.document, data, choices=choices)
    if request.method == "POST":
        saved = _save(request, viewer, agreement, editor)
        if saved is not None:
            return _saved(request, saved, part)
    extra: dict[str, Any] = {"explanations": explanations_for(agreement, part)}
    if section == "dpia":
        extra["criteria"] = CRITERIA
        extra["screening"] = screen(agreement.document)
    return _page(request, agreement, editor, heading=part.title, section=part, extra=extra)


@login_required
@require_http_methods(GET_POST)
def draft_dataset(request: HttpRequest, reference: str, version: int, key: str) -> HttpResponse:
    """One dataset's fields: name, sensitivity, identifier type, need and transformation."""
    try:
        viewer, agreement = draft_for(request, reference, version)
    except NotEditable as exc:
        return exc.response()
    data = request.POST if request.method == "POST" else None
    try:
        editor = DatasetFieldsEditor(agreement.document, data, key=key)
    except KeyError:
        raise Http404 from None
    if request.method == "POST":
        saved = _save(request, viewer, agreement, editor)
        if saved is not None:
            messages.success(
                request, f"The fields of “{editor.dataset.get('title') or key}” are saved."
            )
            return redirect(
                "sharing:draft-section",
                reference=saved.reference,
                version=saved.version,
                section="data",
            )
    part = section_for("data")
    return _page(
        request,
        agreement,
        editor,
        heading=str(editor.dataset.get("title") or key),
        section=part,
        extra={
            "explanations": explanations_for(agreement, part, dataset=key),
            "rows": _field_rows(editor, field_explanations(agreement, key)),
            "store_fields": _store_fields(editor.dataset.get("catalogue_dataset")),
            "field_help": [
                (FIELD_TITLES[f"{FIELD_PATH}.{key}"], FIELD_HELP[f"{FIELD_PATH}.{key}"])
                for key in FieldForm.KEYS
            ],
        },
    )


def _field_rows(editor: DatasetFieldsEditor, why: dict[str, str]) -> list[dict[str, Any]]:
    """Each field's form with its heading, and why the template listed it."""
    existing = editor.formset.initial_form_count()
    rows = []
    for index, form in enumerate(editor.formset.forms):
        name = str(form.initial.get("name") or "")
        is_new = index >= existing
        legend = "New field" if is_new else f"Field {index + 1}: {name}" if name else "Field"
        rows.append({"form": form, "legend": legend, "is_new": is_new, "why": why.get(name)})
    return rows


def _store_fields(slug: Any) -> list[str]:
    """The field names of the catalogue dataset's latest data, to list in the agreement."""
    if not isinstance(slug, str) or not slug:
        return []
    dataset = dataset_for_slug(slug=slug)
    return sorted(dataset_field_names(dataset=dataset)) if dataset is not None else []
