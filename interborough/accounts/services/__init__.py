"""Writes for organisations, people, memberships, invitations and API tokens (one module each)."""

from interborough.accounts.services.api_tokens import (
    MAX_TOKEN_LIFETIME,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from interborough.accounts.services.memberships import (
    INVITATION_LIFETIME,
    invitation_accept,
    invitation_create,
    invitation_from_secret,
    invitation_revoke,
    membership_change_role,
    membership_create,
    membership_remove,
)
from interborough.accounts.services.organisations import (
    organisation_create,
    organisation_set_active,
    organisation_update,
    organisations_load_reference,
)
from interborough.accounts.services.people import (
    two_factor_device_activate,
    two_factor_device_confirm,
    two_factor_device_pending,
    two_factor_reset,
    user_create,
    user_set_password,
    user_update_profile,
)
from interborough.accounts.tokens import IssuedSecret

__all__ = [
    "INVITATION_LIFETIME",
    "MAX_TOKEN_LIFETIME",
    "IssuedSecret",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_create",
    "invitation_from_secret",
    "invitation_revoke",
    "membership_change_role",
    "membership_create",
    "membership_remove",
    "organisation_create",
    "organisation_set_active",
    "organisation_update",
    "organisations_load_reference",
    "two_factor_device_activate",
    "two_factor_device_confirm",
    "two_factor_device_pending",
    "two_factor_reset",
    "user_create",
    "user_set_password",
    "user_update_profile",
]
