"""Agreement keys: generation, parsing, a public fingerprint and per-purpose subkeys.

A key is 32 random bytes written as ``ibk1:<base64url>``; the prefix versions the format.
It is made per data sharing agreement and never leaves the boroughs. The hub only ever sees the
fingerprint, an HMAC of a fixed label, so it can refuse a file encoded with the wrong key
without learning the key. Every token and Bloom filter uses a subkey derived from the key, the
agreement reference and the purpose, so encodings from different agreements (or different
purposes) cannot be joined even if someone reuses a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from interborough.linkage.encoding.errors import EncoderInputError

KEY_PREFIX = "ibk1:"
KEY_BYTES = 32
_FINGERPRINT_LABEL = b"interborough/linkage/encoding/fingerprint/v1"
_SUBKEY_LABEL = b"interborough/linkage/encoding/subkey/v1"


def keygen() -> str:
    """Return a new random agreement key as text."""
    raw = secrets.token_bytes(KEY_BYTES)
    return KEY_PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def parse_key(text: str) -> bytes:
    """Return the 32 key bytes, or raise if the text is not a key made by :func:`keygen`."""
    cleaned = text.strip()
    if not cleaned.startswith(KEY_PREFIX):
        raise EncoderInputError(
            "key_invalid",
            f"The key must start with {KEY_PREFIX!r}; generate one with "
            "'interborough encode keygen'.",
        )
    body = cleaned[len(KEY_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise EncoderInputError(
            "key_invalid", f"The key is damaged: it should hold {KEY_BYTES} bytes."
        )
    return raw


def fingerprint(key: str) -> str:
    """A short public fingerprint of the key, safe to send to the hub."""
    digest = hmac.digest(parse_key(key), _FINGERPRINT_LABEL, hashlib.sha256)
    return "fp1:" + digest[:12].hex()


def check_fingerprint(key: str, expected: str) -> None:
    """Raise if ``expected`` was not made from ``key`` (the hub-side check, for tests and CLI)."""
    if not hmac.compare_digest(fingerprint(key), expected.strip()):
        raise EncoderInputError(
            "key_mismatch",
            "The file was encoded with a different key from this agreement's key.",
        )


def subkey(key: str, agreement: str, purpose: str) -> bytes:
    """Derive the subkey for one agreement and purpose (e.g. 'token', 'bloom:name')."""
    if not agreement.strip():
        raise EncoderInputError("agreement_missing", "An agreement reference is required.")
    # Length-prefix each part so ("ab", "c") and ("a", "bc") give different subkeys.
    message = _SUBKEY_LABEL
    for part in (agreement.strip(), purpose):
        encoded = part.encode("utf-8")
        message += len(encoded).to_bytes(4, "big") + encoded
    return hmac.digest(parse_key(key), message, hashlib.sha256)
