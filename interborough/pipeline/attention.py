"""The pipeline's contribution to the home page: stale projects and requests to decide."""

from django.template.defaultfilters import pluralize
from django.urls import reverse

from interborough.accounts.models import User
from interborough.pipeline.selectors import projects as selectors
from interborough.ui.attention import AttentionItem

MAX_ITEMS = 5


def items_for(user: User) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    pending = list(selectors.pending_contributions_for(viewer=user)[:MAX_ITEMS])
    for request in pending:
        items.append(
            AttentionItem(
                f"{request.user} asks to contribute to “{request.project}”",
                "Approve or decline the request.",
                reverse("pipeline:contribution-list", args=[request.project_id]),
                "Projects",
            )
        )
    stale = selectors.stale_projects(viewer=user).order_by("last_activity_at")
    first = stale.first()
    if first is not None:
        count = stale.count()
        items.append(
            AttentionItem(
                f"{count} project{pluralize(count)} not updated for 90 days",
                f"Starting with “{first}”: add a status update or archive "
                f"{'them' if count > 1 else 'it'}.",
                reverse("pipeline:project-detail", args=[first.pk]),
                "Projects",
            )
        )
    return items
