"""The sharing framework's contribution to the home page: agreements to approve, versions sent
back for changes and drafts to finish, and review or end dates coming up. The full list is the
"Agreements waiting for you" page (sharing:actions)."""

from django.urls import reverse

from interborough.accounts.models import User
from interborough.sharing import selectors
from interborough.sharing.models import AgreementStatus
from interborough.ui.attention import AttentionItem

MAX_ITEMS = 5
MODULE = "Data sharing agreements"


def _names(organisations: list) -> str:
    names = [o.name for o in organisations]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def items_for(user: User) -> list[AttentionItem]:
    """What waits for this person on agreements (nothing for anonymous visitors)."""
    awaiting = selectors.agreements_awaiting(viewer=user)
    items: list[AttentionItem] = []
    for pending in awaiting.to_approve[:MAX_ITEMS]:
        agreement = pending.agreement
        items.append(
            AttentionItem(
                f"Approve “{agreement.title}”",
                f"{agreement.reference} version {agreement.version} waits for your approval "
                f"for {_names(pending.organisations)}. Read it, then approve it or ask for "
                "changes.",
                reverse("sharing:version-detail", args=[agreement.reference, agreement.version]),
                MODULE,
            )
        )
    for agreement in awaiting.to_finish[:MAX_ITEMS]:
        sent_back = agreement.status == AgreementStatus.CHANGES_REQUESTED
        items.append(
            AttentionItem(
                f"{'Make the changes asked for in' if sent_back else 'Finish'} “{agreement.title}”",
                f"{agreement.reference} version {agreement.version} is "
                f"{agreement.get_status_display().lower()}. Submit it when every section is "
                "complete.",
                reverse("sharing:draft-tasks", args=[agreement.reference, agreement.version]),
                MODULE,
            )
        )
    for due in awaiting.due_soon[:MAX_ITEMS]:
        agreement = due.agreement
        what = "is due for review" if due.kind == "review" else "ends"
        items.append(
            AttentionItem(
                f"“{agreement.title}” {what} on {due.due_date:%-d %B %Y}",
                "Agree with the other parties whether to carry on, change it in a new version, "
                "or let it end.",
                reverse("sharing:version-detail", args=[agreement.reference, agreement.version]),
                MODULE,
            )
        )
    return items
