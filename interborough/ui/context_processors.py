from django.http import HttpRequest
from django.urls import reverse

from interborough.ui.navigation import NAV_ITEMS


def navigation(request: HttpRequest) -> dict[str, object]:
    """Service navigation entries the viewer may see, with the current one marked."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    items = []
    for item in NAV_ITEMS:
        if item.staff_only and not (signed_in and user.is_staff):  # type: ignore[union-attr]
            continue
        if item.signed_in_only and not signed_in:
            continue
        href = reverse(item.url_name)
        active = (
            request.path == href
            if item.path_prefix.endswith("$")
            else request.path.startswith(item.path_prefix)
        )
        items.append({"label": item.label, "href": href, "active": active})
    return {"service_navigation": items}
