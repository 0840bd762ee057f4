"""Quality diagnostics of a linkage that reveal no identity (issue 6).

Only counts leave here: how scored pairs spread over match weight, how many people have
clusters of each size, how many people each pair of parties shares, and estimates of precision
and recall from the model's own match probabilities (no labels are needed: the expected number
of true matches among accepted pairs is the sum of their probabilities). No record id, token or
person id is included, so the diagnostics can be shown on a status page.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class LinkDiagnostics:
    """Counts and estimates describing one linkage run."""

    records_by_party: dict[str, int]
    people: int
    people_in_two_or_more_parties: int
    overlap_by_party_pair: dict[tuple[str, str], int]
    cluster_sizes: dict[int, int]  # records in a cluster -> number of clusters
    match_weight_histogram: dict[int, int]  # lower edge of a 1-wide bin -> pairs
    pairs_scored: int
    pairs_accepted: int
    estimated_precision: float
    estimated_recall: float


def diagnose(predictions: pa.Table, person_ids: pa.Table, threshold: float) -> LinkDiagnostics:
    """Diagnostics from scored pairs (match_weight, match_probability) and the person ids."""
    probability = predictions["match_probability"].to_numpy()
    accepted = probability >= threshold
    expected_all = float(probability.sum())
    expected_accepted = float(probability[accepted].sum())
    parties = person_ids["party"].to_pylist()
    people = person_ids["person_id"].to_pylist()
    members: dict[str, set[str]] = {}
    for party, person in zip(parties, people, strict=True):
        members.setdefault(person, set()).add(party)
    sizes = Counter(Counter(people).values())
    return LinkDiagnostics(
        records_by_party=dict(sorted(Counter(parties).items())),
        people=len(members),
        people_in_two_or_more_parties=sum(1 for held in members.values() if len(held) > 1),
        overlap_by_party_pair=_overlaps(members),
        cluster_sizes=dict(sorted(sizes.items())),
        match_weight_histogram=_histogram(predictions),
        pairs_scored=predictions.num_rows,
        pairs_accepted=int(accepted.sum()),
        estimated_precision=expected_accepted / int(accepted.sum()) if accepted.any() else 1.0,
        estimated_recall=expected_accepted / expected_all if expected_all else 1.0,
    )


def _overlaps(members: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """People known to both parties of each pair of parties."""
    overlap: Counter[tuple[str, str]] = Counter()
    for held in members.values():
        for pair in combinations(sorted(held), 2):
            overlap[pair] += 1
    return dict(sorted(overlap.items()))


def _histogram(predictions: pa.Table) -> dict[int, int]:
    """Scored pairs per whole-number bin of match weight."""
    if predictions.num_rows == 0:
        return {}
    floors = pc.floor(predictions["match_weight"]).to_pylist()
    counts = Counter(int(w) for w in floors if w is not None and math.isfinite(w))
    return dict(sorted(counts.items()))
