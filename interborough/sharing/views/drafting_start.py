"""Starting an agreement: a new draft (blank, or from a template, with its parties), a draft
imported from a YAML or JSON file, and the public pages describing each template, so an
information governance lead can judge one before starting from it."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation
from interborough.accounts.viewer import viewer_of
from interborough.core.errors import ApplicationError
from interborough.sharing import selectors, services, vocab
from interborough.sharing.document import SECTIONS
from interborough.sharing.forms import ImportForm, NewAgreementForm
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.templates_library import TEMPLATES
from interborough.sharing.views.drafting_common import place_label

GET_POST = ["GET", "HEAD", "POST"]
MAX_PROBLEMS_SHOWN = 40


def _drafting_organisations(request: HttpRequest) -> list[Organisation]:
    """Where the person may start agreements; `?organisation=<slug>` narrows it to one."""
    organisations = list(selectors.organisation_choices_for_drafting(viewer=viewer_of(request)))
    wanted = request.GET.get("organisation", "")
    if wanted:
        organisations = [o for o in organisations if o.slug == wanted]
    return organisations


def _cannot_draft(request: HttpRequest) -> HttpResponse:
    """A 403 page saying who can start agreements, and how to become one of them."""
    return render(request, "sharing/drafting/cannot_draft.html", status=403)


def _started(request: HttpRequest, agreement: DataSharingAgreement, how: str) -> HttpResponse:
    messages.success(
        request,
        f"{agreement.reference} has been {how} as a draft. Only your organisation's drafters "
        "can change it; the parties see it once you submit it for approval.",
    )
    return redirect("sharing:draft-tasks", reference=agreement.reference, version=agreement.version)


@login_required
@require_http_methods(GET_POST)
def agreement_new(request: HttpRequest) -> HttpResponse:
    """Start a draft agreement for one of the person's organisations."""
    organisations = _drafting_organisations(request)
    if not organisations:
        return _cannot_draft(request)
    by_slug = {o.slug: o for o in organisations}
    parties = {o.slug: o for o in selectors.party_choices()}
    form = NewAgreementForm(
        request.POST if request.method == "POST" else None,
        organisations=[(o.slug, o.name) for o in organisations],
        parties=[(slug, o.name) for slug, o in parties.items()],
        initial={"template": request.GET.get("template", "")[:60]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                by=viewer_of(request),
                organisation=by_slug[form.chosen_organisation()],
                title=form.cleaned_data["title"],
                template=form.template_key(),
                parties=[parties[slug] for slug in form.other_parties()],
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            return _started(request, agreement, "started")
    return render(
        request,
        "sharing/drafting/new.html",
        {"form": form, "templates": list(TEMPLATES.values()), "organisation": organisations[0]},
    )


def _document_problems(form: ImportForm, error: ValidationError | ApplicationError) -> None:
    """Each problem the service found in the document, with its place, in the error summary."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
        return
    if not hasattr(error, "error_dict"):
        for message in error.messages[:MAX_PROBLEMS_SHOWN]:
            form.add_error(None, message)
        return
    problems = [
        (message if path == "__all__" else f"{path}: {message}")
        for path, messages_ in error.message_dict.items()
        for message in messages_
    ]
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        form.add_error(None, problem)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        form.add_error(None, f"… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems.")


@login_required
@require_http_methods(GET_POST)
def agreement_import(request: HttpRequest) -> HttpResponse:
    """A new draft from an agreement file (YAML or JSON): checked before anything is stored."""
    organisations = _drafting_organisations(request)
    if not organisations:
        return _cannot_draft(request)
    by_slug = {o.slug: o for o in organisations}
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisations=[(o.slug, o.name) for o in organisations],
    )
    if request.method == "POST" and form.is_valid() and form.document is not None:
        try:
            agreement = services.agreement_import(
                by=viewer_of(request),
                organisation=by_slug[form.chosen_organisation()],
                document=form.document,
            )
        except (ApplicationError, ValidationError) as exc:
            _document_problems(form, exc)
        else:
            return _started(request, agreement, "imported")
    return render(
        request,
        "sharing/drafting/import.html",
        {"form": form, "organisation": organisations[0]},
    )


# --- the template library ---------------------------------------------------------------------

_CODE_LABELS: dict[str, str] = {}
for _codes in (
    vocab.ARTICLE6_BASES,
    vocab.ARTICLE9_CONDITIONS,
    vocab.SCHEDULE1_CONDITIONS,
    vocab.STATUTORY_GATEWAYS,
    vocab.DPV_PURPOSES,
    vocab.SENSITIVITIES,
    vocab.TRANSFORMATIONS,
    vocab.OPERATIONS,
    vocab.SHARING_METHODS,
    vocab.LINKAGE_METHODS,
    vocab.REFRESH_FREQUENCIES,
    vocab.CLASSIFICATIONS,
    vocab.ON_EXIT,
):
    _CODE_LABELS.update(_codes)


def _shown(value: Any) -> str:
    """A pre-filled value in words: codes by their labels, a field by its handling."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return _CODE_LABELS.get(value, value)
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        if "name" in value and "transformation" in value:
            return (
                f"{value['name']}: {_shown(value.get('sensitivity'))}, "
                f"{_shown(value.get('transformation')).lower()}"
            )
        if "citation" in value:
            return str(value["citation"])
        return "; ".join(f"{k.replace('_', ' ')}: {_shown(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _value_at(fragment: dict[str, Any], path: str) -> Any:
    node: Any = fragment
    for part in path.split("."):
        if part == "*":
            return None
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


@dataclass(frozen=True)
class Prefill:
    """One value a template pre-fills: where, what, and why."""

    label: str
    value: str
    why: str


@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    """The templates for common London collaborations."""
    return render(
        request, "sharing/drafting/template_list.html", {"templates": list(TEMPLATES.values())}
    )


@require_safe
def template_detail(request: HttpRequest, key: str) -> HttpResponse:
    """What a template pre-fills, section by section, and why."""
    template = TEMPLATES.get(key)
    if template is None:
        raise Http404
    fragment = template.document_fragment
    sections = []
    for section in SECTIONS:
        rows = [
            Prefill(place_label(path, fragment), _shown(_value_at(fragment, path)), why)
            for path, why in template.explanations.items()
            if path.split(".")[0] in section.keys
        ]
        if rows:
            sections.append((section, rows))
    return render(
        request,
        "sharing/drafting/template_detail.html",
        {"template": template, "sections": sections},
    )
