"""Accounts' contribution to the home page: invitations, expiring tokens, two-factor set-up."""

from datetime import timedelta

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
    for membership in user.memberships.filter(role=Role.ORG_ADMIN).select_related("organisation"):
        waiting = Invitation.objects.filter(
            organisation=membership.organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).count()
        if waiting:
            items.append(
                AttentionItem(
                    f"{waiting} open invitation{pluralize(waiting)} for {membership.organisation}",
                    "People you invited have not joined yet.",
                    reverse("accounts:member-list", args=[membership.organisation.slug]),
                    "Organisations",
                )
            )
    return items
