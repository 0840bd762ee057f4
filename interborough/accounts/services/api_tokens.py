"""Writes for API tokens, and checking a presented token."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from interborough.accounts import tokens
from interborough.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    TokenScope,
    User,
)
from interborough.accounts.tokens import IssuedSecret
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record

MAX_TOKEN_LIFETIME = timedelta(days=366)


@transaction.atomic
def api_token_create(
    *,
    by: User,
    name: str,
    scope: str,
    expires_at: datetime,
    organisation: Organisation | None = None,
) -> tuple[ApiToken, IssuedSecret]:
    """Issue an API token for the person; the secret is returned once, only its hash is kept."""
    now = timezone.now()
    if scope not in TokenScope.values:
        raise ApplicationError("Choose read or write.", field="scope")
    if not name.strip():
        raise ApplicationError("Enter a name for the token.", field="name")
    if expires_at <= now:
        raise ApplicationError("The expiry date must be in the future.", field="expires_at")
    if expires_at > now + MAX_TOKEN_LIFETIME:
        raise ApplicationError("Tokens can last at most a year.", field="expires_at")
    if (
        organisation is not None
        and not Membership.objects.filter(
            user=by, organisation=organisation, organisation__is_active=True
        ).exists()
    ):
        raise ApplicationError(
            "You can only issue tokens for your own organisations.", field="organisation"
        )
    secret = tokens.new_secret(tokens.API_TOKEN_PREFIX)
    token = ApiToken(
        user=by,
        organisation=organisation,
        name=name.strip()[:100],
        scope=scope,
        prefix=tokens.display_prefix(secret),
        token_hash=tokens.secret_hash(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        by=by,
        action="api_token.create",
        obj=token,
        organisation=organisation,
        after={"name": token.name, "scope": scope, "expires_at": expires_at.isoformat()},
    )
    return token, IssuedSecret(secret)


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner or platform staff)."""
    if token.user_id != by.pk and not by.is_staff:
        raise PermissionDeniedError()
    if token.revoked_at is not None:
        raise ApplicationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(by=by, action="api_token.revoke", obj=token, organisation=token.organisation)
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """Return the live token for a presented secret and record its use, or None."""
    if not secret.startswith(tokens.API_TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=tokens.secret_hash(secret))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token
