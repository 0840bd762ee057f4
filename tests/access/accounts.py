"""Who may reach each accounts page (the URL map in the foundation issue)."""

from tests.access.rules import (
    INVITEE,
    ORG_MEMBER,
    ORG_ROLE,
    OWNER,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    Route,
)
from tests.access.world import World


def org(world: World) -> dict[str, str]:
    return {"slug": world.organisation.slug}


def membership(world: World) -> dict[str, object]:
    return {"slug": world.organisation.slug, "pk": world.membership.pk}


def invitation(world: World) -> dict[str, object]:
    return {"slug": world.organisation.slug, "pk": world.invitation.pk}


GET_POST = ("GET", "POST")

ACCESS = {
    "accounts:sign-in": Route(
        PUBLIC, methods=GET_POST, data=lambda w: {"username": w.member.email, "password": "x"}
    ),
    "accounts:sign-out": Route(
        PUBLIC, methods=("POST",), note="POST only; signing out is harmless for anyone"
    ),
    "accounts:two-factor": Route(SIGNED_IN, methods=GET_POST, data=lambda w: {"code": "000000"}),
    "accounts:two-factor-setup": Route(
        SIGNED_IN, methods=GET_POST, data=lambda w: {"code": "000000"}
    ),
    "accounts:password-reset": Route(
        PUBLIC, methods=GET_POST, data=lambda w: {"email": w.member.email}
    ),
    "accounts:password-reset-done": Route(PUBLIC),
    "accounts:password-reset-confirm": Route(
        PUBLIC, kwargs=lambda w: w.password_reset_kwargs(), methods=GET_POST
    ),
    "accounts:password-reset-complete": Route(PUBLIC),
    "accounts:password-change": Route(SIGNED_IN, methods=GET_POST),
    "accounts:profile": Route(
        SIGNED_IN, methods=GET_POST, data=lambda w: {"full_name": "Changed", "job_title": ""}
    ),
    "accounts:token-list": Route(
        SIGNED_IN,
        methods=GET_POST,
        data=lambda w: {"name": "Authorisation test", "scope": "write", "expires_in": "30"},
    ),
    "accounts:token-revoke": Route(OWNER, kwargs=lambda w: {"pk": w.token.pk}, methods=GET_POST),
    "accounts:organisation-list": Route(PUBLIC),
    "accounts:borough-boundaries": Route(PUBLIC),
    "accounts:organisation-detail": Route(PUBLIC, kwargs=org),
    "accounts:organisation-create": Route(
        STAFF,
        methods=GET_POST,
        data=lambda w: {
            "name": "Riverside Digital Co-operative",
            "type": "supplier",
            "first_admin_email": "founder@riverside.example",
        },
    ),
    "accounts:organisation-active": Route(
        STAFF, kwargs=org, methods=GET_POST, data=lambda w: {"active": "false"}
    ),
    "accounts:organisation-edit": Route(
        ORG_ROLE("org_admin"),
        kwargs=org,
        methods=GET_POST,
        data=lambda w: {"description": "Changed", "website": "", "ico_registration": ""},
    ),
    "accounts:member-list": Route(ORG_MEMBER, kwargs=org),
    "accounts:member-invite": Route(
        ORG_ROLE("org_admin"),
        kwargs=org,
        methods=GET_POST,
        data=lambda w: {"email": "someone.new@example.london", "role": "org_admin"},
    ),
    "accounts:member-edit": Route(
        ORG_ROLE("org_admin"),
        kwargs=membership,
        methods=GET_POST,
        data=lambda w: {"action": "remove"},
    ),
    "accounts:member-two-factor-reset": Route(
        STAFF, kwargs=membership, methods=("POST",), note="staff only, not organisation admins"
    ),
    "accounts:invitation-revoke": Route(ORG_ROLE("org_admin"), kwargs=invitation, methods=GET_POST),
    "accounts:invitation-accept": Route(
        INVITEE,
        kwargs=lambda w: {"secret": w.invitation_secret},
        methods=GET_POST,
        data=lambda w: {"full_name": "Someone", "password1": "x", "password2": "x"},
    ),
}
