"""The data store's contribution to the home page: access requests to decide, and the
person's own grants that are about to expire."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import User
from interborough.catalogue.selectors import access as selectors
from interborough.ui.attention import AttentionItem

MAX_ITEMS = 5
GRANT_WARNING = timedelta(days=14)


def items_for(user: User) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for request in selectors.access_requests_waiting(viewer=user)[:MAX_ITEMS]:
        items.append(
            AttentionItem(
                f"{request.requester} asks for access to “{request.dataset}”",
                "Approve or refuse the request, with a reason.",
                reverse("catalogue:access-request-detail", args=[request.pk]),
                "Data",
            )
        )
    soon = timezone.now() + GRANT_WARNING
    for grant in selectors.access_grants_of(viewer=user).filter(expires_at__lte=soon)[:MAX_ITEMS]:
        items.append(
            AttentionItem(
                f"Your access to “{grant.dataset}” ends soon",
                f"It ends on {timezone.localtime(grant.expires_at):%d %B %Y}. "
                "Ask again from the dataset's page if you still need it.",
                reverse("catalogue:dataset-detail", args=[grant.dataset.slug]),
                "Data",
            )
        )
    return items
