"""Usage figures for publishers: daily page views, downloads and API calls as a chart drawn on
the server (an SVG, no JavaScript) with the same figures in a table."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interborough.catalogue import charts, permissions
from interborough.catalogue.models import UsageKind
from interborough.catalogue.selectors.trust import (
    UsageDay,
    dataset_trust,
    dataset_usage_series,
)
from interborough.catalogue.views import viewable_dataset, viewer_of

# Each line is told apart by its dash pattern as well as its colour (GOV.UK palette).
SERIES_STYLE = {
    UsageKind.PAGE_VIEW: ("#1d70b8", ""),
    UsageKind.DOWNLOAD: ("#d4351c", "8 4"),
    UsageKind.API_CALL: ("#00703c", "2 3"),
}


def usage_chart(days: list[UsageDay]) -> charts.Chart:
    """A line a kind of use, one point a day (the shared chart drawing, charts.py)."""
    return charts.line_chart(
        [d.day.strftime("%-d %b") for d in days],
        [
            charts.Series(
                str(kind.label), [d.counts[kind.value] for d in days], *SERIES_STYLE[kind]
            )
            for kind in UsageKind
        ],
    )


@login_required
@require_safe
def dataset_usage(request: HttpRequest, slug: str) -> HttpResponse:
    """A dataset's usage over the last 90 days: the publisher's members and platform staff."""
    viewer = viewer_of(request)
    dataset = viewable_dataset(request, slug)
    if not permissions.can_view_usage(viewer, dataset):
        raise PermissionDenied("Usage figures are for the publisher's people and platform staff.")
    days = dataset_usage_series(dataset=dataset, days=90)
    return render(
        request,
        "catalogue/usage.html",
        {
            "dataset": dataset,
            "trust": dataset_trust(dataset=dataset),
            "chart": usage_chart(days),
            "kinds": [str(k.label) for k in UsageKind],
            "rows": [(d.day, [d.counts[k] for k in UsageKind.values]) for d in reversed(days)],
        },
    )
