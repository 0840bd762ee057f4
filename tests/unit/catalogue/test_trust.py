"""Trust signals from plain values: freshness against the promised frequency, metadata quality."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interborough.catalogue.models import Frequency
from interborough.catalogue.trust import (
    FRESHNESS_WINDOWS,
    Freshness,
    MetadataFacts,
    freshness,
    metadata_quality,
)

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def _days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.mark.parametrize(
    "frequency, days, state",
    [
        (Frequency.MONTHLY, 0, Freshness.FRESH),
        (Frequency.MONTHLY, 31, Freshness.FRESH),
        (Frequency.MONTHLY, 32, Freshness.DUE),
        (Frequency.MONTHLY, 38, Freshness.DUE),
        (Frequency.MONTHLY, 39, Freshness.OVERDUE),
        (Frequency.DAILY, 0.5, Freshness.FRESH),
        (Frequency.DAILY, 2, Freshness.DUE),
        (Frequency.DAILY, 4, Freshness.OVERDUE),
        (Frequency.WEEKLY, 8, Freshness.DUE),
        (Frequency.QUARTERLY, 90, Freshness.FRESH),
        (Frequency.ANNUAL, 400, Freshness.OVERDUE),
        (Frequency.CONTINUOUS, 1.5, Freshness.DUE),
    ],
)
def test_freshness_against_each_window(frequency, days, state):
    assert freshness(last_version_at=_days_ago(days), frequency=frequency, now=NOW).state == state


def test_freshness_gives_the_due_date():
    result = freshness(last_version_at=_days_ago(10), frequency=Frequency.MONTHLY, now=NOW)

    assert result.due_on == date(2026, 4, 21)
    assert result.days_since == 10
    assert result.label == "Up to date"


@pytest.mark.parametrize("frequency", [Frequency.IRREGULAR, Frequency.NEVER])
def test_freshness_does_not_apply_without_a_schedule(frequency):
    result = freshness(last_version_at=_days_ago(1000), frequency=frequency, now=NOW)

    assert result.state == Freshness.NOT_APPLICABLE
    assert result.due_on is None


def test_freshness_without_any_version_is_no_data():
    assert freshness(last_version_at=None, frequency="MONTHLY", now=NOW).state == Freshness.NO_DATA


def test_freshness_windows_cover_every_scheduled_frequency():
    unscheduled = {Frequency.IRREGULAR, Frequency.NEVER}
    assert set(FRESHNESS_WINDOWS) == set(Frequency.values) - unscheduled


@given(
    frequency=st.sampled_from(sorted(FRESHNESS_WINDOWS)),
    earlier=st.floats(min_value=0, max_value=800),
    later=st.floats(min_value=0, max_value=800),
)
def test_freshness_never_improves_as_time_passes(frequency, earlier, later):
    order = [Freshness.FRESH, Freshness.DUE, Freshness.OVERDUE]
    young, old = sorted([earlier, later])
    a = freshness(last_version_at=_days_ago(young), frequency=frequency, now=NOW).state
    b = freshness(last_version_at=_days_ago(old), frequency=frequency, now=NOW).state

    assert order.index(a) <= order.index(b)


COMPLETE = MetadataFacts(
    description="x" * 250,
    topic_count=2,
    keyword_count=4,
    contact_email="data@camden.gov.uk",
    temporal_start=date(2024, 1, 1),
    temporal_end=date(2024, 12, 31),
    borough_count=1,
    licence="OGL-UK-3.0",
    frequency="MONTHLY",
    information_asset_owner="Head of Housing",
    ready_resources=1,
    schemas_confirmed=True,
    columns=4,
    columns_described=4,
)


def test_metadata_quality_of_complete_metadata_is_100_with_nothing_to_fix():
    quality = metadata_quality(COMPLETE)

    assert (quality.score, quality.fixes, quality.rating) == (100, [], "Good")


def test_metadata_quality_of_empty_metadata_is_0_and_the_fixes_add_up_to_100():
    quality = metadata_quality(MetadataFacts())

    assert quality.score == 0
    assert sum(fix.points for fix in quality.fixes) == 100
    assert quality.fixes == sorted(quality.fixes, key=lambda f: -f.points)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"description": "Short."}, "description"),
        ({"topic_count": 0}, "topics"),
        ({"keyword_count": 1}, "keywords"),
        ({"contact_email": ""}, "contact"),
        ({"temporal_end": None}, "temporal"),
        ({"borough_count": 0}, "boroughs"),
        ({"licence": ""}, "licence"),
        ({"frequency": "IRREG"}, "frequency"),
        ({"information_asset_owner": ""}, "information_asset_owner"),
        ({"schemas_confirmed": False}, "schema"),
        ({"columns_described": 1}, "schema"),
    ],
)
def test_metadata_quality_names_what_to_fix(change, field):
    quality = metadata_quality(replace(COMPLETE, **change))

    assert quality.score < 100
    assert [fix.field for fix in quality.fixes] == [field]
    assert quality.score + quality.fixes[0].points == 100
    assert quality.fixes[0].message.endswith(".")


def test_metadata_quality_without_resources_asks_for_data_and_a_schema():
    quality = metadata_quality(replace(COMPLETE, ready_resources=0, columns=0, columns_described=0))

    assert [fix.field for fix in quality.fixes] == ["resources", "schema", "schema"]
    assert quality.score == 65
