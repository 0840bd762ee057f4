"""Dataset pages: the dataset's record (with its schema.org JSON-LD), registering and editing
it, and publishing and withdrawing it. Resources, uploads and versions are in views/resources.py.

A dataset the viewer may not see answers 404 (drafts do not leak); one they see but may not
change answers 403.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, User
from interborough.accounts.selectors import organisations_where_publishing
from interborough.catalogue import permissions
from interborough.catalogue.forms import DatasetForm
from interborough.catalogue.jsonld import dataset_jsonld, jsonld_script
from interborough.catalogue.licences import licence_info
from interborough.catalogue.models import Dataset, DatasetStatus, UsageKind
from interborough.catalogue.models.datasets import DATASET_TRANSITIONS
from interborough.catalogue.selectors.access import access_state
from interborough.catalogue.selectors.following import is_following
from interborough.catalogue.selectors.trust import dataset_trust
from interborough.catalogue.services import datasets as services
from interborough.catalogue.services.usage import usage_count
from interborough.catalogue.views import viewable_dataset, viewer_of
from interborough.catalogue.views.preview import dataset_choropleth
from interborough.core.errors import ApplicationError
from interborough.ui.outcomes import act_and_report

GET_POST = ["GET", "HEAD", "POST"]


def editable_dataset(request: HttpRequest, slug: str) -> tuple[User, Dataset]:
    """The dataset and its editor: 404 if they cannot see it, 403 if they may not change it."""
    viewer = viewer_of(request)
    dataset = viewable_dataset(request, slug)
    if not permissions.can_edit_dataset(viewer, dataset):
        raise PermissionDenied
    return viewer, dataset


def publishing_organisations(viewer: User) -> list[Organisation]:
    """The organisations this person may publish data for."""
    return organisations_where_publishing(user=viewer)


# --- the record -------------------------------------------------------------------------------


@require_safe
def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The dataset's record: its description, metadata, resources and what editors can do."""
    viewer = viewer_of(request)
    dataset = viewable_dataset(request, slug)
    resources = list(dataset.resources.select_related("latest"))
    can_edit = permissions.can_edit_dataset(viewer, dataset)
    if dataset.status == DatasetStatus.PUBLISHED:
        usage_count(dataset=dataset, kind=UsageKind.PAGE_VIEW)
    jsonld = dataset_jsonld(dataset, resources, absolute=request.build_absolute_uri)
    return render(
        request,
        "catalogue/dataset_detail.html",
        {
            "dataset": dataset,
            "resources": resources,
            "licence": licence_info(dataset.licence),
            "topics": list(dataset.topics.all()),
            "keywords": list(dataset.keywords.all()),
            "boroughs": list(dataset.boroughs.all()),
            "can_edit": can_edit,
            "can_read_data": permissions.can_read_data(viewer, dataset),
            "actions": _lifecycle_actions(dataset) if can_edit else [],
            "access": access_state(viewer=viewer, dataset=dataset),
            "following": is_following(viewer=viewer, dataset=dataset),
            "trust": dataset_trust(dataset=dataset),
            "choropleth": dataset_choropleth(viewer, dataset, resources),
            "stable_url": jsonld["url"],
            "jsonld": jsonld_script(jsonld),
        },
    )


# --- registering and editing ------------------------------------------------------------------


def _organisations_for_new_dataset(request: HttpRequest, viewer: User) -> list[Organisation]:
    """Where the person may publish; `?organisation=<slug>` narrows it to one."""
    organisations = publishing_organisations(viewer)
    wanted = request.GET.get("organisation", "")
    if wanted:
        organisations = [o for o in organisations if o.slug == wanted]
    if not organisations:
        raise PermissionDenied("Only publishers and admins of an organisation publish its data.")
    return organisations


@login_required
@require_http_methods(GET_POST)
def dataset_create(request: HttpRequest) -> HttpResponse:
    """Register a dataset as a draft of one of the person's organisations."""
    viewer = viewer_of(request)
    organisations = _organisations_for_new_dataset(request, viewer)
    form = DatasetForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organisation", organisations[0].slug)
        publisher = next(o for o in organisations if o.slug == chosen)
        try:
            dataset = services.dataset_create(by=viewer, publisher=publisher, data=form.to_input())
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"“{dataset.title}” has been saved as a draft. Only {publisher} can see it "
                "until you publish it. Add its data next.",
            )
            return redirect("catalogue:dataset-detail", slug=dataset.slug)
    return render(
        request,
        "catalogue/dataset_form.html",
        {"form": form, "dataset": None, "organisation": organisations[0]},
    )


@login_required
@require_http_methods(GET_POST)
def dataset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a dataset's metadata (its publishers and admins); its URL stays the same."""
    viewer, dataset = editable_dataset(request, slug)
    if request.method == "POST":
        form = DatasetForm(request.POST)
        if form.is_valid():
            try:
                services.dataset_update(by=viewer, dataset=dataset, data=form.to_input())
            except (ApplicationError, ValidationError) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "Your changes have been saved.")
                return redirect("catalogue:dataset-detail", slug=dataset.slug)
    else:
        form = DatasetForm(initial=DatasetForm.initial_for(dataset))
    return render(
        request,
        "catalogue/dataset_form.html",
        {"form": form, "dataset": dataset, "organisation": dataset.publisher},
    )


# --- publishing and withdrawing ---------------------------------------------------------------


@dataclass(frozen=True)
class LifecycleAction:
    """A step as its confirmation page and the dataset page's editor actions show it."""

    name: str  # the URL name's suffix: dataset-<name>
    verb: str  # the button
    heading: str
    done: str  # the success message
    to: str  # the status it moves to
    warning: bool = False


ACTIONS = {
    "publish": LifecycleAction(
        "publish",
        "Publish dataset",
        "Publish",
        "“{title}” is published: its description is public, and its data is available to the "
        "people its access level allows.",
        DatasetStatus.PUBLISHED,
    ),
    "withdraw": LifecycleAction(
        "withdraw",
        "Withdraw dataset",
        "Withdraw",
        "“{title}” has been withdrawn. Only your organisation can see it now; you can publish "
        "it again.",
        DatasetStatus.WITHDRAWN,
        warning=True,
    ),
}


def _possible(dataset: Dataset, name: str) -> bool:
    return ACTIONS[name].to in DATASET_TRANSITIONS[DatasetStatus(dataset.status)]


def _lifecycle_actions(dataset: Dataset) -> list[LifecycleAction]:
    return [action for name, action in ACTIONS.items() if _possible(dataset, name)]


def _lifecycle(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """GET: a confirmation page; POST: the step itself, reported on the dataset's page."""
    viewer, dataset = editable_dataset(request, slug)
    action = ACTIONS[name]
    if request.method == "POST":
        step = services.dataset_publish if name == "publish" else services.dataset_withdraw
        act_and_report(
            request,
            lambda: step(by=viewer, dataset=dataset),
            success=action.done.format(title=dataset.title),
        )
        return redirect("catalogue:dataset-detail", slug=dataset.slug)
    return render(
        request,
        "catalogue/dataset_confirm.html",
        {
            "dataset": dataset,
            "action": action,
            "possible": _possible(dataset, name),
            "has_data": dataset.resources.filter(latest__isnull=False).exists(),
        },
    )


@login_required
@require_http_methods(GET_POST)
def dataset_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm, then publish a draft (or a withdrawn dataset again)."""
    return _lifecycle(request, slug, "publish")


@login_required
@require_http_methods(GET_POST)
def dataset_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm, then withdraw a published dataset."""
    return _lifecycle(request, slug, "withdraw")
