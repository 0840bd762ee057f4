"""The data store's demo content, checked on one shared demo load (and its generators alone)."""

import random
from collections import Counter

import pyarrow.parquet as pq
import pytest
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from interborough.accounts import reference
from interborough.catalogue import demo as catalogue_demo
from interborough.catalogue import demo_data, storage, trust
from interborough.catalogue.models import (
    AccessGrant,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    Dataset,
    DatasetStatus,
    DatasetUsage,
    Resource,
    ResourceVersion,
    VersionStatus,
)
from interborough.core.demo import DemoReport
from interborough.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LONDON_LATITUDES = (51.28, 51.70)
LONDON_LONGITUDES = (-0.52, 0.34)


@pytest.fixture(scope="class", autouse=True)
def _demo_media(tmp_path_factory):
    """The class's demo load writes its files to a folder of its own (before loaded_demo)."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture(autouse=True)
def _media_root():
    """Overrides the per-test media folder: the tests read the files the demo load wrote."""


def latest_field_names(resource: Resource) -> list[str]:
    return [f["name"] for f in resource.latest.schema["fields"]]


class TestCatalogueDemo:
    def test_demo_has_60_datasets_from_many_publishers(self, quiet_report):
        datasets = Dataset.objects.all()
        published = datasets.filter(status=DatasetStatus.PUBLISHED)
        levels = Counter(published.values_list("access_level", flat=True))

        assert datasets.count() >= 60
        assert published.count() >= 60
        assert levels[AccessLevel.RESTRICTED] >= 8
        assert levels[AccessLevel.SIGNED_IN] >= 2
        assert datasets.filter(status=DatasetStatus.DRAFT).count() >= 2
        publishers = set(datasets.values_list("publisher__slug", flat=True))
        assert len(publishers) >= 20 and {"gla", "tfl"} <= publishers
        assert "Data store:" in "\n".join(quiet_report.notes)

    def test_demo_datasets_have_full_metadata(self, quiet_report):
        for dataset in Dataset.objects.prefetch_related("topics", "keywords", "boroughs"):
            assert dataset.topics.all() and dataset.keywords.all(), dataset.title
            assert dataset.boroughs.all(), dataset.title
            assert dataset.contact_email.endswith(".example")
            assert dataset.information_asset_owner
            assert "synthetic" in dataset.description

    def test_every_resource_has_a_ready_latest_version_with_parquet(self, quiet_report):
        resources = Resource.objects.select_related("latest")
        formats = Counter(r.latest.format for r in resources)

        assert all(r.latest.status == VersionStatus.READY for r in resources)
        assert all(storage.parquet_path(r.latest).exists() for r in resources)
        assert {"csv", "xlsx", "json", "geojson"} <= set(formats)
        assert formats["geojson"] >= 5 and formats["xlsx"] >= 2 and formats["json"] >= 2
        assert not ResourceVersion.objects.exclude(status=VersionStatus.READY).exists()

    def test_at_least_10_tables_have_borough_codes_for_the_choropleth(self, quiet_report):
        coded = [
            r for r in Resource.objects.select_related("latest")
            if "borough_code" in latest_field_names(r)
        ]  # fmt: skip
        gss = {b.gss_code for b in reference.LOCAL_AUTHORITIES}

        assert len(coded) >= 10
        for resource in coded[:10]:
            codes = pq.read_table(storage.parquet_path(resource.latest)).column("borough_code")
            assert set(codes.to_pylist()) <= gss

    def test_tables_with_latitude_and_longitude_fall_in_london(self, quiet_report):
        mapped = [
            r for r in Resource.objects.select_related("latest")
            if {"latitude", "longitude"} <= set(latest_field_names(r))
        ]  # fmt: skip

        assert len(mapped) >= 10
        for resource in mapped:
            table = pq.read_table(storage.parquet_path(resource.latest)).to_pydict()
            assert all(LONDON_LATITUDES[0] < v < LONDON_LATITUDES[1] for v in table["latitude"])
            assert all(LONDON_LONGITUDES[0] < v < LONDON_LONGITUDES[1] for v in table["longitude"])

    def test_an_lsoa_table_carries_its_schema_with_column_descriptions(self, quiet_report):
        dataset = Dataset.objects.get(title="Fuel poverty estimates by LSOA")
        version = dataset.resources.get().latest
        fields = {f["name"]: f for f in version.schema["fields"]}

        assert version.schema_confirmed
        assert fields["lsoa_code"]["description"] and fields["fuel_poverty_percent"]["title"]
        assert Resource.objects.filter(latest__schema__icontains='"lsoa_code"').count() >= 5

    def test_some_resources_have_versions_that_add_rows_and_a_column(self, quiet_report):
        versioned = Resource.objects.annotate(n=Count("versions")).filter(n__gte=2)
        later = ResourceVersion.objects.filter(number__gt=1)

        assert versioned.count() >= 6
        assert any(v.changes["columns_added"] for v in later)
        assert all(v.changes["rows_added"] > 0 for v in later)
        assert any(v.changes["rows_removed"] > 0 for v in later)
        assert all(v.ready_at < v.resource.latest.ready_at for v in later.filter(number=1))

    def test_freshness_shows_fresh_due_and_overdue_datasets(self, quiet_report):
        now = timezone.now()
        states = Counter(
            trust.freshness(last_version_at=d.last_version_at, frequency=d.frequency, now=now).state
            for d in Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
        )

        assert states[trust.Freshness.FRESH] >= 10
        assert states[trust.Freshness.DUE] >= 1
        assert states[trust.Freshness.OVERDUE] >= 5

    def test_usage_counts_cover_published_datasets(self, quiet_report):
        used = DatasetUsage.objects.values("dataset").distinct().count()
        kinds = set(DatasetUsage.objects.values_list("kind", flat=True))
        totals = Counter()
        for dataset_id, count in DatasetUsage.objects.values_list("dataset", "count"):
            totals[dataset_id] += count

        assert used >= 55
        assert kinds == {"page_view", "download", "api_call"}
        assert max(totals.values()) > 5 * min(totals.values())  # some are clearly most used
        assert not DatasetUsage.objects.filter(dataset__status=DatasetStatus.DRAFT).exists()

    def test_access_requests_pending_approved_and_refused(self, quiet_report):
        statuses = Counter(AccessRequest.objects.values_list("status", flat=True))
        approved = AccessRequest.objects.get(status=AccessRequestStatus.APPROVED)
        grant = AccessGrant.objects.get(request=approved)

        assert statuses == {"pending": 1, "approved": 1, "refused": 1}
        assert grant.grantee == approved.requester and grant.expires_at > timezone.now()
        assert (
            AccessRequest.objects.filter(dataset__access_level=AccessLevel.RESTRICTED).count() == 3
        )

    def test_demo_writes_through_audited_services(self, quiet_report):
        actions = Counter(AuditEvent.objects.values_list("action", flat=True))

        assert actions["dataset.create"] == Dataset.objects.count()
        assert actions["resource_version.ready"] == ResourceVersion.objects.count()
        assert actions["access_request.create"] == 3

    def test_demo_load_again_changes_nothing(self, quiet_report):
        before = (Dataset.objects.count(), ResourceVersion.objects.count())
        report = DemoReport()

        catalogue_demo.load(report)

        assert (Dataset.objects.count(), ResourceVersion.objects.count()) == before
        assert "already loaded" in report.notes[0]


# --- the generators alone (no database) ---------------------------------------------------------


def test_demo_content_specs_are_unique_and_use_known_generators():
    titles = [spec.title for spec in catalogue_demo.DEMO_DATASETS]

    assert len(titles) == len(set(titles)) >= 60
    assert all(spec.data in demo_data.GENERATORS for spec in catalogue_demo.DEMO_DATASETS)
    assert all(spec.fmt in demo_data.WRITERS for spec in catalogue_demo.DEMO_DATASETS)


def test_demo_data_is_the_same_on_every_run():
    places = demo_data.places_from_features(reference.borough_features())
    for spec in catalogue_demo.DEMO_DATASETS[:: len(catalogue_demo.DEMO_DATASETS) // 8]:
        request = demo_data.Request(spec.title, places[:3], 1, 1, spec.params)
        make = demo_data.GENERATORS[spec.data]

        assert demo_data.to_csv(make(request)) == demo_data.to_csv(make(request))


def test_demo_points_fall_inside_their_borough():
    places = demo_data.places_from_features(reference.borough_features())
    rng = random.Random(7)

    for place in places:
        latitude, longitude = demo_data.point_in(place, rng)
        assert demo_data._inside(place.ring, longitude, latitude), place.name


def test_demo_series_versions_add_a_period_and_revise_the_last():
    places = demo_data.places_from_features(reference.borough_features())[:2]
    params = {"measures": [("count", 10, 100, 0)], "periods": 4, "adds": "index"}

    first, second = (
        demo_data.borough_series(demo_data.Request("s", places, n, 2, params)) for n in (1, 2)
    )

    assert (len(first.rows), len(second.rows)) == (6, 8)
    assert second.header == [*first.header, "index"]
    assert first.rows[0][:4] == second.rows[0][:4]  # settled periods are unchanged
    assert first.rows[2][3] != second.rows[2][3]  # the provisional period was revised
