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
    staff: bool = True  # ORG_ROLE: platform staff are let in too
    hidden: bool = False  # ORG_ROLE: those kept out get a 404 (the object's existence is private)

    def __str__(self) -> str:
        extras = [*self.roles]
        if not self.staff:
            extras.append("not staff")
        if self.hidden:
            extras.append("404 to others")
        return f"{self.kind.name}({', '.join(extras)})" if extras else self.kind.name


PUBLIC = Rule(Kind.PUBLIC)
SIGNED_IN = Rule(Kind.SIGNED_IN)
ORG_MEMBER = Rule(Kind.ORG_MEMBER)
STAFF = Rule(Kind.STAFF)
OWNER = Rule(Kind.OWNER)
INVITEE = Rule(Kind.INVITEE)
NOWHERE = Rule(Kind.NOWHERE)


def ORG_ROLE(*roles: str, staff: bool = True, hidden: bool = False) -> Rule:
    """Holders of any of these roles in the route's organisation, and platform staff unless
    `staff=False` (records that belong to the organisation alone). With `hidden=True` everyone
    kept out gets a 404 rather than a 403."""
    return Rule(Kind.ORG_ROLE, roles, staff=staff, hidden=hidden)


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
        Kind.ORG_ROLE: [*in_roles, *([("staff", world.staff)] if rule.staff else [])],
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
    kept_out = Outcome.HIDDEN if rule.hidden else Outcome.FORBIDDEN
    without_role = [
        (f"{role} without the role", world.holder(role), kept_out)
        for role in world.ROLES
        if role not in rule.roles
    ]
    if rule.kind == Kind.ORG_ROLE and not rule.staff:
        # Staff see no more of the organisation's records than any outsider (a draft is a 404).
        staff_outcome = Outcome.HIDDEN if rule.hidden else Outcome.FORBIDDEN_OR_HIDDEN
        without_role.append(("staff", world.staff, staff_outcome))
    if rule.hidden:
        other_org = [(who, person, Outcome.HIDDEN) for who, person, _ in other_org]
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
