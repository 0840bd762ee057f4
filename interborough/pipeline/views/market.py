"""The market view: what councils need from suppliers and when, and its OCDS export.

Public: anonymous visitors see the needs of public projects; anyone signed in (suppliers
included) sees every published need, and the upcoming re-procurements from the register.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from interborough.accounts.models import Organisation
from interborough.pipeline import ocds, permissions
from interborough.pipeline.forms.contracts import MarketFilterForm
from interborough.pipeline.models import Theme
from interborough.pipeline.selectors import contracts as selectors
from interborough.pipeline.views import viewer_of

NEEDS_PER_PAGE = 50
REPROCUREMENTS_SHOWN = 20


@require_safe
def market_view(request: HttpRequest) -> HttpResponse:
    """What councils need: market needs with dates, themes and owners, by quarter."""
    user = viewer_of(request)
    visible = selectors.market_needs(viewer=user)
    owners = Organisation.objects.filter(pk__in=visible.values("organisation_id")).order_by("name")
    form = MarketFilterForm(
        request.GET, themes=list(Theme.objects.all()), organisations=list(owners)
    )
    needs = selectors.market_needs(viewer=user, **form.filters())
    page = Paginator(needs, NEEDS_PER_PAGE).get_page(request.GET.get("page"))
    quarters = selectors.market_needs_by_quarter(needs=needs)
    busiest = max((q.count for q in quarters), default=0)
    signed_in = permissions.can_view_contracts(user)
    reprocurements = (
        list(selectors.upcoming_reprocurements(viewer=user)[:REPROCUREMENTS_SHOWN])
        if signed_in
        else []
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pipeline/market.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "quarters": [(q, round(100 * q.count / busiest) if busiest else 0) for q in quarters],
            "signed_in": signed_in,
            "reprocurements": reprocurements,
            "reprocurement_days": selectors.REPROCUREMENT_HORIZON_DAYS,
            "query": query.urlencode(),
            "project_list_url": reverse("pipeline:project-list"),
        },
    )


@require_safe
def market_ocds(request: HttpRequest) -> HttpResponse:
    """The planned procurements the viewer may see, as an OCDS 1.1 release package."""
    user = viewer_of(request)
    package = ocds.release_package(
        viewer=user, uri=request.build_absolute_uri(reverse("pipeline:market-ocds"))
    )
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'inline; filename="planned-procurements.json"'
    return response
