"""Decisions on an agreement version: each party's information governance lead approves the exact
text (by its hash) or sends it back; IG leads of any party suspend, resume or terminate an agreed
version, or start its next version.

A version the person may not read is a 404 (its existence does not leak); one they may read but
not decide on or manage is a 403. The services check again and have the last word: their
refusals show in the error summary, or as a message on the agreement's page.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, User
from interborough.accounts.viewer import viewer_of
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.sharing import permissions, services
from interborough.sharing.models import AGREEMENT_TRANSITIONS, AgreementStatus, DataSharingAgreement
from interborough.sharing.services.approval import COMMENT_MAX_LENGTH
from interborough.sharing.services.lifecycle import REASON_MAX_LENGTH
from interborough.sharing.views.agreements import viewable_version
from interborough.ui.outcomes import act_and_report

GET_POST = ["GET", "POST"]
CHOOSE_ORGANISATION = "Choose the organisation you are deciding for."


class _DecisionForm(forms.Form):
    """The party decided for: one of the person's organisations still to decide."""

    organisation = forms.ChoiceField(
        label="Which organisation are you deciding for?",
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ORGANISATION, "invalid_choice": CHOOSE_ORGANISATION},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]  # type: ignore[attr-defined]
        if len(organisations) == 1:  # nothing to choose: the page names it instead
            self.fields["organisation"].initial = organisations[0].slug
            self.fields["organisation"].widget = forms.HiddenInput()

    def full_clean(self) -> None:
        """Errors on hidden fields show above the form (the error summary lists visible ones)."""
        super().full_clean()
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self.errors:
                for error in self.errors.pop(name):
                    self.add_error(None, error)

    def chosen(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class ApprovalForm(_DecisionForm):
    text_hash = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": "The agreement text is missing: open this page again."},
    )


class RequestChangesForm(_DecisionForm):
    comment = forms.CharField(
        label="What needs to change?",
        help_text="The lead organisation's drafters read this. Say which sections need "
        "changing and why.",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter what needs to change.",
            "max_length": f"What needs to change must be {COMMENT_MAX_LENGTH} characters or fewer.",
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text="Every party's information governance leads are emailed this reason, and it "
        "is shown on the agreement.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason.",
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer.",
        },
    )


def _deciding_for(viewer: User, agreement: DataSharingAgreement) -> list[Organisation]:
    """The parties this person may still decide for; 403 when they decide for none of them."""
    parties = [p.organisation for p in agreement.parties.all()]
    if not any(permissions.can_decide(viewer, agreement, o) for o in parties):
        raise PermissionDeniedError(
            "Only an information governance lead of a party decides on this agreement, for "
            "their own organisation."
        )
    return permissions.decidable_organisations(viewer, agreement)


def _nothing_to_decide(request: HttpRequest, agreement: DataSharingAgreement) -> HttpResponse:
    if agreement.status != AgreementStatus.SUBMITTED:
        messages.error(
            request,
            f"This version is {agreement.get_status_display().lower()}: only a submitted "
            "version waits for decisions.",
        )
    else:
        messages.error(request, "Every organisation you decide for has approved this text.")
    return _back(agreement)


def _back(agreement: DataSharingAgreement) -> HttpResponse:
    return redirect("sharing:version-detail", agreement.reference, agreement.version)


def _refused(form: forms.Form, exc: ApplicationError | ValidationError) -> None:
    """Show a service's refusal; one about the hidden text hash goes above the form."""
    if isinstance(exc, ApplicationError) and exc.field == "text_hash":
        form.add_error(None, exc.message)
    else:
        add_service_error(form, exc)


@login_required
@require_http_methods(GET_POST)
def version_approve(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Approve the submitted text for one of the person's organisations (by its hash)."""
    viewer = viewer_of(request)
    agreement = viewable_version(request, reference, version)
    organisations = _deciding_for(viewer, agreement)
    if not organisations:
        return _nothing_to_decide(request, agreement)
    initial = {"text_hash": agreement.text_hash}
    data = request.POST if request.method == "POST" else None
    form = ApprovalForm(data, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen()
        try:
            services.agreement_approve(
                by=viewer,
                agreement=agreement,
                organisation=organisation,
                text_hash=form.cleaned_data["text_hash"],
            )
        except (ApplicationError, ValidationError) as exc:
            _refused(form, exc)
        else:
            agreement.refresh_from_db()
            done = (
                " Every party has now approved it."
                if agreement.status != AgreementStatus.SUBMITTED
                else ""
            )
            messages.success(
                request, f"You approved {agreement.reference} v{version} for {organisation}.{done}"
            )
            return _back(agreement)
    previous = agreement.supersedes
    return render(
        request,
        "sharing/decisions/approve.html",
        {
            "agreement": agreement,
            "form": form,
            # Always the hash of the text on the server: after a refusal, the person re-reads it.
            "text_hash": agreement.text_hash,
            "organisations": organisations,
            "previous": previous
            if previous and permissions.can_view_full(viewer, previous)
            else None,
        },
    )


@login_required
@require_http_methods(GET_POST)
def version_request_changes(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Send a submitted version back to its drafters for one of the person's organisations."""
    viewer = viewer_of(request)
    agreement = viewable_version(request, reference, version)
    organisations = _deciding_for(viewer, agreement)
    if not organisations:
        return _nothing_to_decide(request, agreement)
    data = request.POST if request.method == "POST" else None
    form = RequestChangesForm(data, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_request_changes(
                by=viewer,
                agreement=agreement,
                organisation=form.chosen(),
                comment=form.cleaned_data["comment"],
            )
        except (ApplicationError, ValidationError) as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                f"{agreement.reference} v{version} has gone back to "
                f"{agreement.lead_organisation}. We have emailed its drafters your comments.",
            )
            return _back(agreement)
    return render(
        request,
        "sharing/decisions/request_changes.html",
        {"agreement": agreement, "form": form, "organisations": organisations},
    )


def _managed(request: HttpRequest, reference: str, version: int) -> DataSharingAgreement:
    """The version, for an IG lead of one of its parties (404 unseen, 403 not theirs)."""
    agreement = viewable_version(request, reference, version)
    if not permissions.can_manage(viewer_of(request), agreement):
        raise PermissionDeniedError(
            "Only information governance leads of the parties manage this agreement."
        )
    return agreement


# What each reasoned action does: (service, status it moves to, template words, success).
_REASONED = {
    "suspend": (
        services.agreement_suspend,
        AgreementStatus.SUSPENDED,
        "Suspend",
        "{ref} is suspended: no data flows under it until it is resumed.",
    ),
    "terminate": (
        services.agreement_terminate,
        AgreementStatus.TERMINATED,
        "Terminate",
        "{ref} is terminated: its exit terms now apply.",
    ),
}


def _reasoned(request: HttpRequest, reference: str, version: int, action: str) -> HttpResponse:
    service, target, verb, success = _REASONED[action]
    viewer = viewer_of(request)
    agreement = _managed(request, reference, version)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(by=viewer, agreement=agreement, reason=form.cleaned_data["reason"])
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, success.format(ref=f"{reference} v{version}"))
            return _back(agreement)
    return render(
        request,
        "sharing/decisions/reason.html",
        {
            "agreement": agreement,
            "form": form,
            "action": action,
            "verb": verb,
            "allowed": target in AGREEMENT_TRANSITIONS.get(agreement.status, frozenset()),
        },
    )


@login_required
@require_http_methods(GET_POST)
def version_suspend(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Suspend an active agreement, with a reason (IG leads of the parties)."""
    return _reasoned(request, reference, version, "suspend")


@login_required
@require_http_methods(GET_POST)
def version_terminate(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Terminate an agreed version before its end date, with a reason."""
    return _reasoned(request, reference, version, "terminate")


@login_required
@require_POST
def version_resume(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Let a suspended agreement's data flow again."""
    viewer = viewer_of(request)
    agreement = _managed(request, reference, version)
    act_and_report(
        request,
        lambda: services.agreement_resume(by=viewer, agreement=agreement),
        success=f"{reference} v{version} is active again.",
    )
    return _back(agreement)


@login_required
@require_POST
def version_withdraw(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Take a submitted version back to draft to change it (the lead organisation's drafters);
    approvals given so far lapse, and the parties' IG leads are told."""
    viewer = viewer_of(request)
    agreement = viewable_version(request, reference, version)
    if not permissions.can_draft(viewer, agreement.lead_organisation):
        raise PermissionDeniedError(
            f"Only drafters of {agreement.lead_organisation} withdraw this agreement."
        )
    withdrawn = act_and_report(
        request,
        lambda: services.agreement_withdraw(by=viewer, agreement=agreement),
        success=f"{reference} version {version} is a draft again: change it, then submit it.",
    )
    if withdrawn:
        return redirect("sharing:draft-tasks", reference, version)
    return _back(agreement)


@login_required
@require_POST
def version_new(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Start the next version from an agreed one, and go to its task list."""
    viewer = viewer_of(request)
    agreement = _managed(request, reference, version)
    try:
        new = services.agreement_new_version(by=viewer, agreement=agreement)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(agreement)
    messages.success(
        request,
        f"Version {new.version} is a draft copied from version {version}. Version {version} "
        "stays in force until every party approves the new one.",
    )
    return redirect("sharing:draft-tasks", new.reference, new.version)
