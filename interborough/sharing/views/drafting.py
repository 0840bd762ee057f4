"""The drafting task list: the twelve sections of a draft with what each still needs, the DPIA
screening's conclusion, the contradictions to resolve, and submitting the draft for approval.
Starting an agreement is in drafting_start.py; editing a section in drafting_sections.py.

Only the lead organisation's drafters (`permissions.can_edit`) see these pages; anyone else who
may read the version is sent to its page, and everyone else gets a 404.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from interborough.core.errors import ApplicationError
from interborough.sharing import permissions, services
from interborough.sharing.document import (
    SECTIONS,
    Section,
    SectionState,
    document_problems,
    section_state,
)
from interborough.sharing.dpia import screen
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.templates_library import TEMPLATES
from interborough.sharing.views.drafting_common import NotEditable, draft_for

SECTION_BY_KEY = {key: section for section in SECTIONS for key in section.keys}
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}


@dataclass(frozen=True)
class Task:
    """One row of the task list."""

    section: Section
    state: SectionState
    url: str


@dataclass(frozen=True)
class Trouble:
    """A problem (or a refusal) to show, with the section that resolves it."""

    message: str
    section: Section | None
    url: str


def _section_url(agreement: DataSharingAgreement, slug: str) -> str:
    return reverse(
        "sharing:draft-section",
        kwargs={"reference": agreement.reference, "version": agreement.version, "section": slug},
    )


def _problems(agreement: DataSharingAgreement) -> list[Trouble]:
    """The document's problems (contradictions, and any schema problem), each with its section."""
    troubles = []
    for problem in document_problems(agreement.document):
        section = SECTION_BY_KEY.get(problem.path.split(".")[0]) if problem.path else None
        url = _section_url(agreement, section.slug) if section else ""
        troubles.append(Trouble(problem.message, section, url))
    return troubles


def _refusals(
    agreement: DataSharingAgreement, error: ValidationError | ApplicationError
) -> list[Trouble]:
    """What `agreement_submit` refused, keyed by section slug, as troubles with links."""
    if isinstance(error, ApplicationError):
        return [Trouble(error.message, None, "")]
    if not hasattr(error, "error_dict"):
        return [Trouble(message, None, "") for message in error.messages]
    troubles = []
    for slug, messages_ in error.message_dict.items():
        section = SECTION_BY_SLUG.get(slug)
        url = _section_url(agreement, slug) if section else ""
        troubles += [Trouble(message, section, url) for message in messages_]
    return troubles


def _task_list(
    request: HttpRequest, viewer: Any, agreement: DataSharingAgreement, refusals: list[Trouble]
) -> HttpResponse:
    document = agreement.document
    tasks = [
        Task(section, section_state(document, section.slug), _section_url(agreement, section.slug))
        for section in SECTIONS
    ]
    problems = _problems(agreement)
    complete = sum(task.state.complete for task in tasks)
    may_submit = permissions.can_submit(viewer, agreement)
    ready = complete == len(tasks) and not problems
    return render(
        request,
        "sharing/drafting/tasks.html",
        {
            "agreement": agreement,
            "tasks": tasks,
            "complete": complete,
            "problems": problems,
            "screening": screen(document),
            "template": TEMPLATES.get(agreement.template),
            "may_submit": may_submit,
            "ready": ready,
            "refusals": refusals,
        },
    )


@login_required
@require_safe
def draft_tasks(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """The task list of a draft: each section's state, the DPIA conclusion, the problems."""
    try:
        viewer, agreement = draft_for(request, reference, version)
    except NotEditable as exc:
        return exc.response()
    return _task_list(request, viewer, agreement, [])


@login_required
@require_POST
def draft_submit(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Send a complete draft to every party's IG lead; what stops it shows on the task list."""
    try:
        viewer, agreement = draft_for(request, reference, version)
    except NotEditable as exc:
        return exc.response()
    try:
        agreement = services.agreement_submit(by=viewer, agreement=agreement)
    except (ValidationError, ApplicationError) as exc:
        return _task_list(request, viewer, agreement, _refusals(agreement, exc))
    messages.success(
        request,
        f"{agreement.reference} version {agreement.version} has been sent to each party's "
        "information governance lead for approval.",
    )
    return redirect(
        "sharing:version-detail", reference=agreement.reference, version=agreement.version
    )
