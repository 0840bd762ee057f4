"""Trust signals on a dataset, from plain values (no database): how fresh it is against the
update frequency its publisher promised, and a metadata quality score with what to fix.

Freshness windows (days since the newest version landed):

| frequency  | fresh up to | due up to  | overdue after |
|------------|-------------|------------|---------------|
| continuous | 1           | 2          | 2             |
| daily      | 1           | 3          | 3             |
| weekly     | 7           | 10         | 10            |
| monthly    | 31          | 38         | 38            |
| quarterly  | 92          | 106        | 106           |
| annually   | 366         | 396        | 396           |
| irregular, never: not applicable                     |

"Fresh" until the promised interval has passed; "due" during a short grace period after it
(the next update should land any day); "overdue" after that. The due date is when the promised
interval ends.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum


class Freshness(StrEnum):
    FRESH = "fresh"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not_applicable"
    NO_DATA = "no_data"


FRESHNESS_LABELS = {
    Freshness.FRESH: "Up to date",
    Freshness.DUE: "Update due",
    Freshness.OVERDUE: "Overdue",
    Freshness.NOT_APPLICABLE: "No regular updates promised",
    Freshness.NO_DATA: "No data yet",
}


@dataclass(frozen=True)
class Window:
    fresh_days: int  # the promised interval
    grace_days: int  # "due" for this long after it


# Keyed by the Frequency values (catalogue/models/datasets.py); frequencies not here (IRREG,
# NEVER) promise no schedule, so freshness does not apply to them.
FRESHNESS_WINDOWS: dict[str, Window] = {
    "CONT": Window(fresh_days=1, grace_days=1),
    "DAILY": Window(fresh_days=1, grace_days=2),
    "WEEKLY": Window(fresh_days=7, grace_days=3),
    "MONTHLY": Window(fresh_days=31, grace_days=7),
    "QUARTERLY": Window(fresh_days=92, grace_days=14),
    "ANNUAL": Window(fresh_days=366, grace_days=30),
}


@dataclass(frozen=True)
class FreshnessResult:
    state: Freshness
    due_on: date | None = None  # when the next version is promised by
    days_since: int | None = None  # days since the newest version landed

    @property
    def label(self) -> str:
        return FRESHNESS_LABELS[self.state]


def freshness(
    *, last_version_at: datetime | None, frequency: str, now: datetime
) -> FreshnessResult:
    """Fresh, due or overdue against the promised frequency (or why that does not apply)."""
    if last_version_at is None:
        return FreshnessResult(Freshness.NO_DATA)
    days_since = max((now - last_version_at).days, 0)
    window = FRESHNESS_WINDOWS.get(frequency)
    if window is None:
        return FreshnessResult(Freshness.NOT_APPLICABLE, days_since=days_since)
    due_on = (last_version_at + timedelta(days=window.fresh_days)).date()
    age = now - last_version_at
    if age <= timedelta(days=window.fresh_days):
        state = Freshness.FRESH
    elif age <= timedelta(days=window.fresh_days + window.grace_days):
        state = Freshness.DUE
    else:
        state = Freshness.OVERDUE
    return FreshnessResult(state, due_on=due_on, days_since=days_since)


# --- metadata quality ----------------------------------------------------------------------

DESCRIPTION_GOOD_LENGTH = 200
DESCRIPTION_MIN_LENGTH = 50


@dataclass(frozen=True)
class MetadataFacts:
    """What the score looks at, as plain values."""

    description: str = ""
    topic_count: int = 0
    keyword_count: int = 0
    contact_email: str = ""
    temporal_start: date | None = None
    temporal_end: date | None = None
    borough_count: int = 0
    licence: str = ""
    frequency: str = ""
    information_asset_owner: str = ""
    ready_resources: int = 0
    schemas_confirmed: bool = False  # every ready resource's latest version has a confirmed schema
    columns: int = 0  # columns across the latest schemas
    columns_described: int = 0  # of those, with a description


@dataclass(frozen=True)
class Fix:
    """One thing to improve: how many points it is worth, what to do, and which field."""

    points: int
    message: str
    field: str


@dataclass(frozen=True)
class Quality:
    score: int  # 0-100
    fixes: list[Fix] = field(default_factory=list)

    @property
    def rating(self) -> str:
        if self.score >= 80:
            return "Good"
        if self.score >= 50:
            return "Fair"
        return "Needs work"


def _check(facts: MetadataFacts) -> Sequence[tuple[int, float, str, str]]:
    """(points, share earned 0-1, message when not all earned, field) for every criterion;
    the points add up to 100."""
    length = len(facts.description.strip())
    description_share = (
        1.0
        if length >= DESCRIPTION_GOOD_LENGTH
        else 0.5
        if length >= DESCRIPTION_MIN_LENGTH
        else 0.0
    )
    described = facts.columns_described / facts.columns if facts.columns else 0.0
    return [
        (
            15,
            description_share,
            f"Write a description of at least {DESCRIPTION_GOOD_LENGTH} characters: what the "
            "data is, how it was collected and its known limits.",
            "description",
        ),
        (
            15,
            1.0 if facts.ready_resources else 0.0,
            "Upload at least one resource, so there is data to use.",
            "resources",
        ),
        (
            10,
            1.0 if facts.ready_resources and facts.schemas_confirmed else 0.0,
            "Confirm the schema of each resource, so people know each column's type.",
            "schema",
        ),
        (
            10,
            described,
            "Describe every column in the schema (the data dictionary), so people can find "
            "and understand them.",
            "schema",
        ),
        (8, 1.0 if facts.topic_count else 0.0, "Choose at least one topic.", "topics"),
        (
            7,
            1.0 if facts.keyword_count >= 3 else facts.keyword_count / 3,
            "Add at least three keywords people would search for.",
            "keywords",
        ),
        (8, 1.0 if facts.contact_email else 0.0, "Give a contact email address.", "contact"),
        (
            7,
            1.0
            if facts.temporal_start and facts.temporal_end
            else 0.5
            if facts.temporal_start or facts.temporal_end
            else 0.0,
            "Give the period the data covers (its start and end dates).",
            "temporal",
        ),
        (
            6,
            1.0 if facts.borough_count else 0.0,
            "Say which boroughs the data covers.",
            "boroughs",
        ),
        (5, 1.0 if facts.licence else 0.0, "Choose a licence.", "licence"),
        (
            5,
            1.0 if facts.frequency and facts.frequency != "IRREG" else 0.0,
            "Say how often the data is updated, so people know when to expect new data.",
            "frequency",
        ),
        (
            4,
            1.0 if facts.information_asset_owner else 0.0,
            "Name the information asset owner.",
            "information_asset_owner",
        ),
    ]


def metadata_quality(facts: MetadataFacts) -> Quality:
    """A score out of 100 and the fixes that would raise it, the most valuable first."""
    score = 0.0
    fixes = []
    for points, share, message, field_name in _check(facts):
        share = min(max(share, 0.0), 1.0)
        score += points * share
        missing = round(points * (1 - share))
        if missing:
            fixes.append(Fix(points=missing, message=message, field=field_name))
    fixes.sort(key=lambda fix: -fix.points)
    return Quality(score=round(score), fixes=fixes)
