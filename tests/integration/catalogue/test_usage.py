"""Usage figures: counting, the trust selector's totals and series, and the publishers' page."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interborough.catalogue.models import (
    AccessLevel,
    DatasetStatus,
    DatasetUsage,
    Frequency,
    UsageKind,
)
from interborough.catalogue.selectors.trust import dataset_trust, dataset_usage_series
from interborough.catalogue.services.usage import data_read_record, usage_count
from interborough.catalogue.trust import Freshness
from interborough.catalogue.views.usage import usage_chart
from interborough.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(organisation):
    return DatasetFactory(
        publisher=organisation, title="Street trees", status=DatasetStatus.PUBLISHED
    )


def _usage(dataset, days_ago, kind, count):
    DatasetUsage.objects.create(
        dataset=dataset,
        day=timezone.localdate() - timedelta(days=days_ago),
        kind=kind,
        count=count,
    )


def test_usage_count_adds_to_todays_counter(dataset):
    usage_count(dataset=dataset, kind=UsageKind.PAGE_VIEW)
    usage_count(dataset=dataset, kind=UsageKind.PAGE_VIEW)

    assert DatasetUsage.objects.get(dataset=dataset, kind=UsageKind.PAGE_VIEW).count == 2


def test_data_read_record_audits_only_restricted_reads(dataset, organisation, member):
    restricted = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level=AccessLevel.RESTRICTED
    )

    data_read_record(by=member, dataset=dataset, resource=None, how="test", kind="download")
    data_read_record(by=member, dataset=restricted, resource=None, how="test", kind="api_call")

    events = AuditEvent.objects.filter(action="dataset.data_read")
    assert [e.object_id for e in events] == [str(restricted.pk)]


def test_dataset_trust_totals_usage_over_30_and_90_days(dataset):
    _usage(dataset, 0, UsageKind.PAGE_VIEW, 5)
    _usage(dataset, 29, UsageKind.PAGE_VIEW, 3)
    _usage(dataset, 30, UsageKind.PAGE_VIEW, 100)
    _usage(dataset, 89, UsageKind.DOWNLOAD, 7)
    _usage(dataset, 90, UsageKind.DOWNLOAD, 1000)

    totals = {
        u.kind: (u.last_30_days, u.last_90_days) for u in dataset_trust(dataset=dataset).usage
    }

    assert totals == {"page_view": (8, 108), "download": (0, 7), "api_call": (0, 0)}


def test_dataset_trust_reads_freshness_and_quality_from_the_dataset(dataset, organisation):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    dataset.frequency = Frequency.MONTHLY
    dataset.save()
    ready_resource(by=publisher, dataset=dataset)
    dataset.refresh_from_db()

    trust = dataset_trust(dataset=dataset)

    assert trust.freshness.state == Freshness.FRESH
    fields = {fix.field for fix in trust.quality.fixes}
    assert "resources" not in fields
    assert {"contact", "topics", "schema"} <= fields  # the inferred schema is unconfirmed


def test_dataset_usage_series_fills_every_day_oldest_first(dataset):
    _usage(dataset, 0, UsageKind.API_CALL, 4)
    _usage(dataset, 2, UsageKind.PAGE_VIEW, 9)
    _usage(dataset, 7, UsageKind.PAGE_VIEW, 1)  # before the window

    series = dataset_usage_series(dataset=dataset, days=7)

    assert len(series) == 7
    assert series[-1].day == timezone.localdate()
    assert series[-1].counts == {"page_view": 0, "download": 0, "api_call": 4}
    assert series[-3].counts["page_view"] == 9
    assert sum(day.total for day in series) == 13


def test_usage_chart_scales_lines_to_the_largest_count(dataset):
    _usage(dataset, 0, UsageKind.PAGE_VIEW, 7)

    chart = usage_chart(dataset_usage_series(dataset=dataset, days=3))

    assert chart.y_ticks[0][1] == "0"
    assert max(float(label) for _y, label in chart.y_ticks) >= 7
    views = next(line for line in chart.lines if line.label == UsageKind.PAGE_VIEW.label)
    assert views.total == 7
    assert len(views.points.split()) == 3


def test_usage_page_shows_the_chart_and_the_table_to_the_publishers_people(dataset, member):
    _usage(dataset, 1, UsageKind.DOWNLOAD, 12)

    response = verified_client(member).get(reverse("catalogue:dataset-usage", args=[dataset.slug]))

    assert response.status_code == 200
    assert b'role="img"' in response.content and b"<polyline" in response.content
    assert b"Daily figures as a table" in response.content
    assert b"downloads 12" in response.content


def test_usage_page_is_refused_to_people_outside_the_publisher(dataset, other_organisation):
    outsider = MembershipFactory(organisation=other_organisation).user

    response = verified_client(outsider).get(
        reverse("catalogue:dataset-usage", args=[dataset.slug])
    )

    assert response.status_code == 403


def test_usage_page_of_a_draft_is_a_404_to_staff(organisation, staff):
    draft = DatasetFactory(publisher=organisation)

    response = verified_client(staff).get(reverse("catalogue:dataset-usage", args=[draft.slug]))

    assert response.status_code == 404


def test_trust_panel_shows_freshness_score_and_fixes_to_editors(dataset):
    dataset.frequency = Frequency.WEEKLY
    dataset.last_version_at = timezone.now() - timedelta(days=30)
    dataset.save()
    context = {"trust": dataset_trust(dataset=dataset), "dataset": dataset}

    public = render_to_string("catalogue/includes/trust_panel.html", context)
    editors = render_to_string("catalogue/includes/trust_panel.html", {**context, "can_edit": True})

    assert "Overdue" in public and "out of 100" in public
    assert "Give a contact email address." not in public
    assert "Give a contact email address." in editors
    assert reverse("catalogue:dataset-usage", args=[dataset.slug]) in editors
