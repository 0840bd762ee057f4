"""What needs a signed-in person's attention, gathered from every module for the home page.

Each module registers a provider: a function of the viewer returning AttentionItems.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string

from interborough.accounts.models import User


@dataclass(frozen=True)
class AttentionItem:
    title: str
    description: str
    href: str
    module: str


PROVIDERS: list[str] = [
    "interborough.accounts.attention.items_for",
    "interborough.pipeline.attention.items_for",
    "interborough.catalogue.attention.items_for",
    "interborough.sharing.attention.items_for",
]


def attention_for(user: User) -> list[AttentionItem]:
    """Every module's items for this person, in provider order."""
    items: list[AttentionItem] = []
    for path in PROVIDERS:
        provider: Callable[[User], list[AttentionItem]] = import_string(path)
        items.extend(provider(user))
    return items
