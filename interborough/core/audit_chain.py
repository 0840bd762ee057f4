"""Hash chain for the audit trail: pure functions, no Django.

Each event's hash covers its own content and the previous event's hash, so changing, removing or
reordering any stored event breaks every hash after it.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    """Stable bytes for hashing: sorted keys, no whitespace, UTF-8."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def event_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical(content)).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    sequence: int
    previous_hash: str
    hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(
    links: Iterable[ChainLink],
    *,
    head_sequence: int,
    head_hash: str,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> VerifyResult:
    """Walk the chain in sequence order up to the head and name the first link that does not hold.

    `links` must stop at `head_sequence`: events appended after the head was read are not checked.
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for link in links:
        if progress is not None and checked % progress_every == 0:
            progress(checked)
        if link.sequence != expected_sequence:
            return VerifyResult(checked, expected_sequence, f"event {expected_sequence} is missing")
        if link.previous_hash != expected_previous:
            return VerifyResult(
                checked, link.sequence, "previous-hash does not match the event before it"
            )
        if event_hash(link.previous_hash, link.content) != link.hash:
            return VerifyResult(
                checked, link.sequence, "stored hash does not match the event's content"
            )
        expected_previous = link.hash
        expected_sequence += 1
        checked += 1
    if checked != head_sequence or expected_previous != head_hash:
        return VerifyResult(
            checked, checked + 1, "events after this point were removed (chain head is ahead)"
        )
    return VerifyResult(checked)
