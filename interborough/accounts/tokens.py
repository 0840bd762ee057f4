"""Secrets for API tokens and invitations: generated here, only their SHA-256 is stored."""

import hashlib
import secrets
from dataclasses import dataclass

API_TOKEN_PREFIX = "ib_"  # noqa: S105 (a public marker, not a secret)


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[: len(API_TOKEN_PREFIX) + 6]


@dataclass(frozen=True)
class IssuedSecret:
    """A newly issued secret, shown once and never stored."""

    secret: str
