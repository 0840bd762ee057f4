"""Following a dataset: one button that follows or stops following."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from interborough.catalogue.selectors.following import is_following
from interborough.catalogue.services import following as services
from interborough.catalogue.views import viewable_dataset, viewer_of
from interborough.ui.outcomes import act_and_report


@login_required
@require_POST
def dataset_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow or stop following: `follow=yes|no`, or a toggle when it is not sent."""
    viewer = viewer_of(request)
    dataset = viewable_dataset(request, slug)
    wanted = request.POST.get("follow", "")
    if wanted not in ("yes", "no"):
        wanted = "no" if is_following(viewer=viewer, dataset=dataset) else "yes"
    if wanted == "yes":
        act_and_report(
            request,
            lambda: services.dataset_follow(by=viewer, dataset=dataset),
            success="You are following this dataset. We will email you when a new version lands.",
        )
    else:
        services.dataset_unfollow(by=viewer, dataset=dataset)
        messages.success(request, "You are no longer following this dataset.")
    return redirect("catalogue:dataset-detail", slug=dataset.slug)
