"""Access rules for the permission tables, and who each rule lets in or keeps out.

A table (tests/access/<app>.py) maps each route to a `Route`: its rule, how to build its URL
from the world of fixture objects, which methods it answers and what a POST sends.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tests.access.world import World


class Kind(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed in"
    ORG_MEMBER = "member of the organisation, or staff"
    ORG_ROLE = "role in the organisation, or staff"
    STAFF = "platform staff"
    OWNER = "owner only (404 for others)"
    INVITEE = "invitation link: anonymous or the invitee"
    NOWHERE = "404 for everyone"


class Outcome(StrEnum):
    """What a person kept out must get."""

    SIGN_IN = "redirect to sign-in (401 in the API)"
    FORBIDDEN = "403"
    FORBIDDEN_OR_HIDDEN = "403 or 404"
    HIDDEN = "404"


@dataclass(frozen=True)
class Rule:
    kind: Kind
    roles: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.kind.name}({', '.join(self.roles)})" if self.roles else self.kind.name


PUBLIC = Rule(Kind.PUBLIC)
SIGNED_IN = Rule(Kind.SIGNED_IN)
ORG_MEMBER = Rule(Kind.ORG_MEMBER)
STAFF = Rule(Kind.STAFF)
OWNER = Rule(Kind.OWNER)
INVITEE = Rule(Kind.INVITEE)
NOWHERE = Rule(Kind.NOWHERE)


def ORG_ROLE(*roles: str) -> Rule:
    """Holders of any of these roles in the route's organisation, and platform staff."""
    return Rule(Kind.ORG_ROLE, roles)


WorldFn = Callable[[World], dict[str, Any]]


def nothing(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    """One route's entry in a permission table."""

    rule: Rule
    kwargs: WorldFn = nothing  # URL kwargs (path parameters for the API)
    methods: tuple[str, ...] = ("GET",)
    data: WorldFn = nothing  # what a POST sends: form fields for pages, JSON for the API
    path: Callable[[World], str] | None = field(default=None)  # for patterns reverse() can't build
    note: str = ""


# Who is who in the world; `None` is an anonymous visitor.
Audience = list[tuple[str, Any]]


def permitted(rule: Rule, world: World) -> Audience:
    """The people a rule must let in, the most typical first."""
    in_roles = [(f"{role} of the organisation", world.holder(role)) for role in rule.roles]
    return {
        Kind.PUBLIC: [("anonymous visitor", None), ("member", world.member)],
        Kind.SIGNED_IN: [("member", world.member), ("staff", world.staff)],
        Kind.ORG_MEMBER: [("member", world.member), ("staff", world.staff)],
        Kind.ORG_ROLE: [*in_roles, ("staff", world.staff)],
        Kind.STAFF: [("staff", world.staff)],
        Kind.OWNER: [("owner", world.member)],
        Kind.INVITEE: [("anonymous visitor", None), ("invitee", world.invitee)],
        Kind.NOWHERE: [],
    }[rule.kind]


def refused(rule: Rule, world: World) -> list[tuple[str, Any, Outcome]]:
    """The people a rule must keep out, with what each must get."""
    anonymous = ("anonymous visitor", None, Outcome.SIGN_IN)
    other_org = [
        ("member of another organisation", world.other_member, Outcome.FORBIDDEN_OR_HIDDEN),
        ("admin of another organisation", world.other_admin, Outcome.FORBIDDEN_OR_HIDDEN),
    ]
    without_role = [
        (f"{role} without the role", world.holder(role), Outcome.FORBIDDEN)
        for role in world.ROLES
        if role not in rule.roles
    ]
    return {
        Kind.PUBLIC: [],
        Kind.SIGNED_IN: [anonymous],
        Kind.ORG_MEMBER: [anonymous, *other_org],
        Kind.ORG_ROLE: [anonymous, *other_org, *without_role],
        Kind.STAFF: [
            anonymous,
            ("member", world.member, Outcome.FORBIDDEN),
            ("organisation admin", world.org_admin, Outcome.FORBIDDEN),
            ("admin of another organisation", world.other_admin, Outcome.FORBIDDEN),
        ],
        Kind.OWNER: [
            anonymous,
            ("member of another organisation", world.other_member, Outcome.HIDDEN),
            ("admin of the owner's organisation", world.org_admin, Outcome.HIDDEN),
            ("staff", world.staff, Outcome.HIDDEN),
        ],
        Kind.INVITEE: [
            ("someone else, signed in", world.member, Outcome.FORBIDDEN_OR_HIDDEN),
            ("staff", world.staff, Outcome.FORBIDDEN_OR_HIDDEN),
        ],
        Kind.NOWHERE: [
            ("anonymous visitor", None, Outcome.HIDDEN),
            ("member", world.member, Outcome.HIDDEN),
            ("staff", world.staff, Outcome.HIDDEN),
        ],
    }[rule.kind]
