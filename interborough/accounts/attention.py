"""Accounts' contribution to the home page: invitations, expiring tokens, two-factor set-up."""

from datetime import timedelta

from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import ApiToken, Invitation, Role, User
from interborough.ui.attention import AttentionItem

TOKEN_WARNING = timedelta(days=14)


def items_for(user: User) -> list[AttentionItem]:
    now = timezone.now()
    items: list[AttentionItem] = []
    for invitation in Invitation.objects.filter(
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).select_related("organisation"):
        items.append(
            AttentionItem(
                f"Invitation to join {invitation.organisation}",
                f"You were invited as {invitation.get_role_display().lower()}. "
                "Open the link in your email to accept.",
                reverse("accounts:organisation-detail", args=[invitation.organisation.slug]),
                "Organisations",
            )
        )
    for token in ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now, expires_at__lte=now + TOKEN_WARNING
    ):
        items.append(
            AttentionItem(
                f"API token “{token.name}” expires soon",
                f"It stops working on {timezone.localtime(token.expires_at):%d %B %Y}. "
                "Issue a replacement.",
                reverse("accounts:token-list"),
                "API tokens",
            )
        )
    waiting_by_organisation = (
        Invitation.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__role=Role.ORG_ADMIN,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .values("organisation__slug", "organisation__name")
        .annotate(waiting=Count("id"))
        .order_by("organisation__name")
    )
    for row in waiting_by_organisation:
        waiting = row["waiting"]
        items.append(
            AttentionItem(
                f"{waiting} open invitation{pluralize(waiting)} for {row['organisation__name']}",
                "People you invited have not joined yet.",
                reverse("accounts:member-list", args=[row["organisation__slug"]]),
                "Organisations",
            )
        )
    return items
