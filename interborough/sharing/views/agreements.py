"""Reading an agreement: a version's page (public summary first, then every section), its
printable view, its YAML and JSON exports, the comparison of two versions, and the page of
agreements waiting for the signed-in person.

Who may read a version is `permissions.can_view_full` (through `selectors.agreement_version_for`):
everyone for agreed versions in the register, the parties' members and platform staff for the
rest. Anyone else gets a 404, so a draft's existence does not leak.
"""

import json
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from interborough.accounts.models import Organisation, User
from interborough.accounts.viewer import viewer_of
from interborough.sharing import codec, dpia, ethics, permissions, selectors, vocab
from interborough.sharing.diff import diff
from interborough.sharing.document import SECTIONS
from interborough.sharing.models import (
    AGREEMENT_TRANSITIONS,
    AgreementStatus,
    ApprovalDecision,
    DataSharingAgreement,
)

EXPORT_FORMATS = {"yaml": "application/yaml", "json": "application/json"}
# Versions a new version cannot start beside (one open version per agreement at a time).
OPEN_STATUSES = frozenset(
    {AgreementStatus.DRAFT, AgreementStatus.SUBMITTED, AgreementStatus.CHANGES_REQUESTED}
)
NEW_VERSION_FROM = frozenset(
    {
        AgreementStatus.APPROVED,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
        AgreementStatus.EXPIRED,
    }
)

# Codes in the document shown by their plain-English labels: a key's value (`<key>_label`) ...
LABELS: dict[str, dict[str, str]] = {
    "role": vocab.PARTY_ROLES,
    "article6_basis": vocab.ARTICLE6_BASES,
    "dspt_status": vocab.DSPT_STATUSES,
    "cyber_essentials": vocab.CYBER_ESSENTIALS,
    "article10_condition": vocab.ARTICLE10_CONDITIONS,
    "sensitivity": vocab.SENSITIVITIES,
    "identifier_type": vocab.IDENTIFIER_TYPES,
    "transformation": vocab.TRANSFORMATIONS,
    "refresh_frequency": vocab.REFRESH_FREQUENCIES,
    "sharing_method": vocab.SHARING_METHODS,
    "method": vocab.LINKAGE_METHODS,
    "classification": vocab.CLASSIFICATIONS,
    "on_exit": vocab.ON_EXIT,
}
# ... and each code of a list (`<key>_labels`, a list of (code, label)).
LIST_LABELS: dict[str, dict[str, str]] = {
    "dpv_purposes": vocab.DPV_PURPOSES,
    "article9_conditions": vocab.ARTICLE9_CONDITIONS,
    "schedule1_conditions": vocab.SCHEDULE1_CONDITIONS,
    "permitted_operations": vocab.OPERATIONS,
}
# Dates the document holds as ISO text, shown as dates (`<key>_date`).
DATE_KEYS = frozenset({"start", "end", "review", "date"})


def _labelled(value: Any) -> Any:
    """The document with a label beside every code and a date beside every ISO date, so the
    templates show plain English (codes nobody knows are shown as they are)."""
    if isinstance(value, list):
        return [_labelled(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _labelled(v) for k, v in value.items()}
    for key, v in value.items():
        if key in LABELS and isinstance(v, str):
            out[f"{key}_label"] = LABELS[key].get(v, v)
        elif key in LIST_LABELS and isinstance(v, list):
            out[f"{key}_labels"] = [
                (c, LIST_LABELS[key].get(c, c)) for c in v if isinstance(c, str)
            ]
        elif key in DATE_KEYS and isinstance(v, str):
            try:
                out[f"{key}_date"] = date.fromisoformat(v)
            except ValueError:
                out[f"{key}_date"] = v
    return out


def viewable_version(request: HttpRequest, reference: str, version: int) -> DataSharingAgreement:
    """The version in the URL, or a 404 for one that does not exist or the viewer may not read."""
    agreement = selectors.agreement_version_for(
        viewer=viewer_of(request), reference=reference, version=version
    )
    if agreement is None or not permissions.can_view_full(viewer_of(request), agreement):
        raise Http404
    return agreement


def _visible_versions(viewer: User, reference: str) -> list[DataSharingAgreement]:
    return [
        v
        for v in selectors.agreement_versions(reference=reference)
        if permissions.can_view_full(viewer, v)
    ]


def _approvals(agreement: DataSharingAgreement) -> dict[str, Any]:
    """The approval record: every decision, and for the text now submitted, who still owes one."""
    decisions = sorted(agreement.approvals.all(), key=lambda a: a.decided_at)
    approved = {
        a.organisation_id
        for a in decisions
        if a.decision == ApprovalDecision.APPROVED and a.text_hash == agreement.text_hash
    }
    parties = sorted(agreement.parties.all(), key=lambda p: p.organisation.name)
    owing = [p.organisation for p in parties if p.organisation_id not in approved]
    return {"decisions": decisions, "owing": owing if agreement.text_hash else []}


def _organisation_names(document: dict[str, Any], agreement: DataSharingAgreement) -> dict:
    """Organisation names by slug: the parties', then any other the document names."""
    names = {p.organisation.slug: p.organisation.name for p in agreement.parties.all()}
    slugs = set(_section(document, "processing").get("recipients") or [])
    slugs |= {d.get("provided_by") for d in _datasets(document)}
    missing = [s for s in slugs if isinstance(s, str) and s not in names]
    if missing:
        names.update(Organisation.objects.filter(slug__in=missing).values_list("slug", "name"))
    return names


def _section(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _datasets(document: dict[str, Any]) -> list[dict[str, Any]]:
    datasets = _section(document, "data").get("datasets")
    return [d for d in datasets if isinstance(d, dict)] if isinstance(datasets, list) else []


def _web_link(url: Any) -> str:
    """The address as a link target when it is a web address; "" otherwise (never javascript:)."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else ""


def _named(doc: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The labelled document with organisation names beside slugs, and safe link targets."""
    for party in doc.get("parties") or []:
        if isinstance(party, dict):
            slug = party.get("organisation")
            name = names.get(slug) if isinstance(slug, str) else None
            party["display_name"] = name or party.get("name") or slug or "Unnamed party"
    for dataset in _datasets(doc):
        slug = dataset.get("provided_by")
        dataset["provided_by_name"] = names.get(slug, slug) if isinstance(slug, str) else ""
        slug = dataset.get("catalogue_dataset")
        try:
            dataset["catalogue_url"] = (
                reverse("catalogue:dataset-detail", args=[slug]) if isinstance(slug, str) else ""
            )
        except NoReverseMatch:
            dataset["catalogue_url"] = ""
    processing = _section(doc, "processing")
    recipients = processing.get("recipients")
    if isinstance(recipients, list):
        processing["recipients_named"] = [names.get(r, r) for r in recipients if isinstance(r, str)]
    rights = _section(doc, "rights")
    notices = rights.get("privacy_notices")
    if isinstance(notices, list):
        rights["privacy_notice_links"] = [(str(url), _web_link(url)) for url in notices]
    return doc


def reading_context(request: HttpRequest, agreement: DataSharingAgreement) -> dict[str, Any]:
    """Everything the version page and its printable view show."""
    viewer = viewer_of(request)
    document = agreement.document if isinstance(agreement.document, dict) else {}
    screening = dpia.screen(document)
    versions = _visible_versions(viewer, agreement.reference)
    previous = [v for v in versions if v.version < agreement.version]
    return {
        "agreement": agreement,
        "doc": _named(_labelled(document), _organisation_names(document, agreement)),
        "section_links": [(section.slug, section.title) for section in SECTIONS],
        "titles": {section.slug.replace("-", "_"): section.title for section in SECTIONS},
        "screening": screening,
        "criteria": [dpia.CRITERIA_BY_CODE[c] for c in screening.met],
        "ethics_questions": [
            (q, _section(document, "ethics").get(q.key, "")) for q in ethics.QUESTIONS
        ],
        "approvals": _approvals(agreement),
        "versions": versions,
        "version_rows": [
            (v, versions[i + 1].version if i + 1 < len(versions) else None)
            for i, v in enumerate(versions)
        ],
        "previous_version": previous[0] if previous else None,
        "is_public": permissions.is_public(agreement),
        "self_url": request.build_absolute_uri(
            reverse("sharing:version-detail", args=[agreement.reference, agreement.version])
        ),
    }


def _actions(viewer: User, agreement: DataSharingAgreement, versions: list) -> dict[str, Any]:
    """Which buttons this person sees (each page they lead to checks again)."""
    manage = permissions.can_manage(viewer, agreement)
    allowed = AGREEMENT_TRANSITIONS.get(agreement.status, frozenset())
    open_version = next((v for v in versions if v.status in OPEN_STATUSES), None)
    return {
        "can_edit": permissions.can_edit(viewer, agreement),
        "decide_for": permissions.decidable_organisations(viewer, agreement),
        "can_withdraw": agreement.status == AgreementStatus.SUBMITTED
        and permissions.can_draft(viewer, agreement.lead_organisation),
        "can_suspend": manage and AgreementStatus.SUSPENDED in allowed,
        "can_resume": manage and agreement.status == AgreementStatus.SUSPENDED,
        "can_terminate": manage and AgreementStatus.TERMINATED in allowed,
        "can_new_version": manage and agreement.status in NEW_VERSION_FROM and not open_version,
        "open_version": open_version if open_version != agreement else None,
    }


@require_safe
def agreement_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """An agreement's address: the newest version the viewer may read."""
    agreement = selectors.agreement_version_for(viewer=viewer_of(request), reference=reference)
    if agreement is None:
        raise Http404
    return redirect("sharing:version-detail", reference=reference, version=agreement.version)


@require_safe
def version_detail(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """One version of an agreement, in full, with the buttons this person may use."""
    agreement = viewable_version(request, reference, version)
    context = reading_context(request, agreement)
    context["actions"] = _actions(viewer_of(request), agreement, context["versions"])
    return render(request, "sharing/agreements/version_detail.html", context)


@require_safe
def version_print(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """A clean printable view: no navigation, page breaks between sections, the text hash and
    approvals in the footer."""
    agreement = viewable_version(request, reference, version)
    return render(
        request, "sharing/agreements/version_print.html", reading_context(request, agreement)
    )


@require_safe
def version_export(request: HttpRequest, reference: str, version: int, fmt: str) -> HttpResponse:
    """The agreement document as YAML or JSON, to download (what the import page reads)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    agreement = viewable_version(request, reference, version)
    text = codec.dump(agreement.document, "yaml" if fmt == "yaml" else "json")
    response = HttpResponse(text, content_type=f"{EXPORT_FORMATS[fmt]}; charset=utf-8")
    filename = f"{agreement.reference}-v{agreement.version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _shown(value: Any) -> str:
    """A value in a change, as a person reads it."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return str(value)


def _version_number(request: HttpRequest, name: str) -> int | None:
    """A version number from the query string; None when absent; ValueError when not one."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    number = int(raw)  # ValueError for anything but digits (and signs: refused below)
    if number < 1:
        raise ValueError(raw)
    return number


@require_safe
def version_diff(request: HttpRequest, reference: str) -> HttpResponse:
    """What changed between two versions (`?from=N&to=M`; by default, the newest version the
    viewer may read against the one before it), field by field."""
    viewer = viewer_of(request)
    versions = _visible_versions(viewer, reference)
    if not versions:
        raise Http404
    try:
        to_number = _version_number(request, "to")
        from_number = _version_number(request, "from")
    except ValueError:
        return render(
            request,
            "sharing/agreements/version_diff_bad.html",
            {"reference": reference, "versions": versions},
            status=400,
        )
    by_number = {v.version: v for v in versions}
    new = by_number.get(to_number) if to_number is not None else versions[0]
    if new is None:
        raise Http404
    if from_number is None:
        old = next((v for v in versions if v.version < new.version), None)
    else:
        old = by_number.get(from_number)
        if old is None:
            raise Http404
    changes = diff(old.document, new.document) if old is not None else []
    return render(
        request,
        "sharing/agreements/version_diff.html",
        {
            "reference": reference,
            "agreement": new,
            "old": old,
            "new": new,
            "versions": versions,
            "changes": [
                {"change": c, "before": _shown(c.before), "after": _shown(c.after)} for c in changes
            ],
        },
    )


@login_required
@require_safe
def actions(request: HttpRequest) -> HttpResponse:
    """Agreements waiting for the signed-in person: to approve, to finish, waiting on other
    parties, and review or end dates coming up."""
    return render(
        request,
        "sharing/agreements/actions.html",
        {"awaiting": selectors.agreements_awaiting(viewer=viewer_of(request))},
    )
