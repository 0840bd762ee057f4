"""Harvest sources and their job history. Members of an organisation see its sources
(platform staff see all); its publishers and admins add sources and harvest them now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, User
from interborough.catalogue import permissions
from interborough.catalogue.harvest_forms import HarvestSourceForm
from interborough.catalogue.models import HarvestSource
from interborough.catalogue.services import harvest as services
from interborough.catalogue.views import viewer_of
from interborough.core.errors import ApplicationError, PermissionDeniedError

RUNS_PER_PAGE = 25
REFUSED = "Only publishers and admins of an organisation harvest catalogues into it."


def _member_organisations(user: User) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).defer("boundary"))


def _manageable(user: User) -> list[Organisation]:
    return [o for o in _member_organisations(user) if permissions.can_manage_harvest(user, o)]


def _source_or_404(user: User, pk: int) -> HarvestSource:
    source = HarvestSource.objects.select_related("organisation").filter(pk=pk).first()
    if source is None or not permissions.can_view_harvest_sources(user, source.organisation):
        raise Http404
    return source


@login_required
@require_safe
def harvest_source_list(request: HttpRequest) -> HttpResponse:
    """The sources of the person's organisations (every source for platform staff)."""
    user = viewer_of(request)
    sources = HarvestSource.objects.select_related("organisation").order_by(
        "organisation__name", "name"
    )
    if not user.is_staff:
        sources = sources.filter(organisation__memberships__user=user)
    rows = [(source, source.runs.first()) for source in sources]
    return render(
        request,
        "catalogue/harvest_source_list.html",
        {"rows": rows, "can_add": bool(_manageable(user))},
    )


def _chosen_organisations(request: HttpRequest, user: User) -> list[Organisation]:
    """Where a new source may go: ?organisation=<slug>, or every organisation they manage."""
    manageable = _manageable(user)
    slug = request.GET.get("organisation", "")
    if slug:
        manageable = [o for o in manageable if o.slug == slug]
    if not manageable:
        raise PermissionDeniedError(REFUSED)
    return manageable


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def harvest_source_create(request: HttpRequest) -> HttpResponse:
    """Add a catalogue to harvest (publishers and admins choose the organisation if several)."""
    user = viewer_of(request)
    organisations = _chosen_organisations(request, user)
    form = HarvestSourceForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data.get("organisation") or organisations[0].slug
        organisation = next(o for o in organisations if o.slug == slug)
        try:
            source = services.harvest_source_create(
                by=user, organisation=organisation, data=form.source_input()
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{source.name} will be harvested every few hours.")
            return redirect("catalogue:harvest-source-detail", pk=source.pk)
    chosen = organisations[0] if len(organisations) == 1 else None
    return render(
        request, "catalogue/harvest_source_form.html", {"form": form, "organisation": chosen}
    )


@login_required
@require_safe
def harvest_source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A source, its schedule and its job history (status, counts and errors of each run)."""
    user = viewer_of(request)
    source = _source_or_404(user, pk)
    runs = Paginator(source.runs.select_related("requested_by"), RUNS_PER_PAGE)
    return render(
        request,
        "catalogue/harvest_source_detail.html",
        {
            "source": source,
            "page": runs.get_page(request.GET.get("page")),
            "can_run": permissions.can_manage_harvest(user, source.organisation),
            "datasets": source.datasets.count(),
        },
    )


@login_required
@require_POST
def harvest_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Harvest the source now ("Harvest now")."""
    user = viewer_of(request)
    source = _source_or_404(user, pk)
    if not permissions.can_manage_harvest(user, source.organisation):
        raise PermissionDeniedError(REFUSED)
    try:
        services.harvest_run_start(by=user, source=source)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The harvest has started. Its result appears below.")
    return redirect("catalogue:harvest-source-detail", pk=source.pk)
