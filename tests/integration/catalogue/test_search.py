"""Dataset search: the selector against the database (visibility, the data dictionary from the
latest versions, facets, sorts, paging, refreshes) and the dataset list page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import OrganisationType
from interborough.catalogue.models import (
    AccessLevel,
    Dataset,
    DatasetStatus,
    DatasetUsage,
    Keyword,
    Topic,
    UsageKind,
)
from interborough.catalogue.selectors.search import dataset_search
from interborough.catalogue.selectors.search_cache import dataset_index_clear
from interborough.catalogue.selectors.search_query import DatasetSearchQuery
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

LSOA_TABLE = b"lsoa_code,households\nE01000001,120\nE01000002,98\n"
WARD_TABLE = b"ward_code,ward_name\nE05000001,Kentish Town\n"


@pytest.fixture(autouse=True)
def _fresh_dataset_index():
    dataset_index_clear()
    yield
    dataset_index_clear()


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def published(organisation, **kwargs) -> Dataset:
    return DatasetFactory(publisher=organisation, status=DatasetStatus.PUBLISHED, **kwargs)


def search(viewer, **params) -> list[str]:
    results = dataset_search(viewer=viewer, query=DatasetSearchQuery(**params))
    return [d.title for d in results.datasets]


def test_dataset_search_finds_a_column_by_its_exact_name(publisher, organisation, anonymous):
    households = published(organisation, title="Households by area")
    ready_resource(by=publisher, dataset=households, content=LSOA_TABLE, filename="h.csv")
    wards = published(organisation, title="Ward names")
    ready_resource(by=publisher, dataset=wards, content=WARD_TABLE, filename="w.csv")
    published(organisation, title="Deprivation", description="Scores for each LSOA, with a code.")

    results = dataset_search(viewer=anonymous, query=DatasetSearchQuery(q="lsoa_code"))

    # The column named exactly ranks first; the description with both words follows.
    assert [d.title for d in results.datasets] == ["Households by area", "Deprivation"]
    assert results.results[0].matched_columns == ["lsoa_code"]
    assert results.results[0].formats == ("csv",)
    assert results.results[1].matched_columns == []
    assert search(anonymous, q="lsoa code")[0] == "Households by area"
    assert search(anonymous, q="ward_name") == ["Ward names"]


def test_dataset_search_reads_column_titles_and_descriptions(publisher, organisation, anonymous):
    schema = {
        "fields": [
            {"name": "hh", "type": "integer", "title": "Households", "description": "Occupied"},
            {"name": "lsoa_code", "type": "string", "title": "Lower layer super output area"},
        ]
    }
    dataset = published(organisation, title="Area table")
    ready_resource(
        by=publisher, dataset=dataset, content=b"hh,lsoa_code\n1,E01000001\n", schema=schema
    )

    assert search(anonymous, q="super output area") == ["Area table"]
    assert search(anonymous, q="occupied") == ["Area table"]


def test_dataset_search_shows_drafts_only_to_the_publisher(
    publisher, organisation, other_organisation, anonymous
):
    published(organisation, title="Street trees")
    DatasetFactory(publisher=organisation, title="Draft trees")
    DatasetFactory(publisher=other_organisation, title="Other draft trees")
    DatasetFactory(publisher=organisation, title="Withdrawn trees", status=DatasetStatus.WITHDRAWN)
    outsider = MembershipFactory(organisation=other_organisation).user

    assert search(anonymous, q="trees") == ["Street trees"]
    assert search(UserFactory(), q="trees") == ["Street trees"]
    assert sorted(search(publisher, q="trees")) == [
        "Draft trees",
        "Street trees",
        "Withdrawn trees",
    ]
    assert sorted(search(outsider, q="trees")) == ["Other draft trees", "Street trees"]


def test_dataset_search_counts_facets_and_filters_by_them(
    publisher, organisation, other_organisation, anonymous
):
    borough = OrganisationFactory(
        slug="islington", name="Islington", type=OrganisationType.LOCAL_AUTHORITY
    )
    housing = Topic.objects.get(slug="housing")
    camden = published(organisation, title="Rough sleeping", access_level=AccessLevel.RESTRICTED)
    camden.topics.add(housing)
    camden.keywords.add(Keyword.objects.create(name="homelessness"))
    camden.boroughs.add(borough)
    ready_resource(by=publisher, dataset=camden)
    published(other_organisation, title="Rough sleeping in Hackney")

    everything = dataset_search(viewer=anonymous, query=DatasetSearchQuery(q="rough sleeping"))
    filtered = dataset_search(
        viewer=anonymous, query=DatasetSearchQuery(q="rough sleeping", publishers=["hackney"])
    )

    assert everything.total == 2
    publishers = {f.value: f.count for f in everything.facets["publisher"]}
    assert publishers == {"camden": 1, "hackney": 1}
    assert [(f.value, f.count) for f in everything.facets["topic"]] == [("housing", 1)]
    assert [(f.value, f.count) for f in everything.facets["tag"]] == [("homelessness", 1)]
    assert [(f.value, f.count) for f in everything.facets["borough"]] == [("islington", 1)]
    formats = {f.value: f.count for f in everything.facets["format"]}
    assert formats["csv"] == 1 and formats["parquet"] == 0
    access = {f.value: f.count for f in everything.facets["access_level"]}
    assert access == {"open": 1, "signed_in": 0, "restricted": 1}
    assert [d.title for d in filtered.datasets] == ["Rough sleeping in Hackney"]
    # A facet's own filter does not narrow its own counts.
    assert {f.value: (f.count, f.selected) for f in filtered.facets["publisher"]} == {
        "camden": (1, False),
        "hackney": (1, True),
    }
    for params in (
        {"topics": ["housing"]},
        {"tags": ["homelessness"]},
        {"formats": ["csv"]},
        {"access_levels": ["restricted"]},
        {"boroughs": ["islington"]},
        {"licences": ["OGL-UK-3.0"], "topics": ["housing"]},
    ):
        assert search(anonymous, **params) == ["Rough sleeping"], params


def test_dataset_search_drops_filter_values_nobody_could_match(organisation, anonymous):
    published(organisation, title="Street trees")

    results = dataset_search(
        viewer=anonymous,
        query=DatasetSearchQuery(publishers=["nowhere"], tags=["unknown"], topics=["housing"]),
    )

    assert (results.query.publishers, results.query.tags, results.query.topics) == ([], [], [])
    assert results.total == 1


def test_dataset_search_sorts_by_update_use_and_title(organisation, anonymous):
    now = timezone.now()
    old = published(organisation, title="Beta", last_version_at=now - timedelta(days=30))
    new = published(organisation, title="Alpha", last_version_at=now)
    used = published(organisation, title="Gamma", last_version_at=now - timedelta(days=60))
    Dataset.objects.filter(pk__in=[old.pk, new.pk, used.pk]).update(
        updated_at=now - timedelta(days=90)
    )
    today = timezone.localdate()
    DatasetUsage.objects.create(dataset=used, day=today, kind=UsageKind.PAGE_VIEW, count=50)
    DatasetUsage.objects.create(dataset=old, day=today, kind=UsageKind.DOWNLOAD, count=5)
    DatasetUsage.objects.create(  # too long ago to count
        dataset=new, day=today - timedelta(days=120), kind=UsageKind.PAGE_VIEW, count=500
    )

    assert search(anonymous) == ["Alpha", "Beta", "Gamma"]  # recently updated, by default
    assert search(anonymous, sort="used") == ["Gamma", "Beta", "Alpha"]
    assert search(anonymous, sort="title") == ["Alpha", "Beta", "Gamma"]
    assert search(anonymous, sort="nonsense") == ["Alpha", "Beta", "Gamma"]


def test_dataset_search_pages_and_slices_by_offset(organisation, anonymous):
    for n in range(5):
        published(organisation, title=f"Dataset {n}")

    page = dataset_search(
        viewer=anonymous, query=DatasetSearchQuery(sort="title", per_page=2, page=99)
    )
    sliced = dataset_search(
        viewer=anonymous, query=DatasetSearchQuery(sort="title"), offset=1, limit=3
    )

    assert (page.page, page.pages, page.total) == (3, 3, 5)  # past the end: the last page
    assert [d.title for d in page.datasets] == ["Dataset 4"]
    assert [d.title for d in sliced.datasets] == ["Dataset 1", "Dataset 2", "Dataset 3"]
    assert (sliced.offset, sliced.limit) == (1, 3)


def test_dataset_search_follows_edits_and_new_versions(publisher, organisation, anonymous):
    dataset = published(organisation, title="Street trees")
    assert search(anonymous, q="trees") == ["Street trees"]

    dataset.title = "Street lights"
    dataset.save()
    ready_resource(by=publisher, dataset=dataset, content=LSOA_TABLE, filename="h.csv")
    draft = DatasetFactory(publisher=organisation, title="More trees")
    draft.status = DatasetStatus.PUBLISHED
    draft.save()

    assert search(anonymous, q="trees") == ["More trees"]
    assert search(anonymous, q="lsoa_code") == ["Street lights"]
    Dataset.objects.filter(pk=draft.pk).delete()
    assert search(anonymous, q="trees") == []


# --- the page ---------------------------------------------------------------------------------


def test_dataset_list_page_shows_results_facets_and_matched_columns(
    client, publisher, organisation
):
    dataset = published(
        organisation, title="Households by area", description="**Counts** of homes."
    )
    ready_resource(by=publisher, dataset=dataset, content=LSOA_TABLE, filename="h.csv")

    response = client.get(reverse("catalogue:dataset-list"), {"q": "lsoa_code"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/datasets/{dataset.slug}/"' in html
    assert "Has column <code>lsoa_code</code>" in html
    assert "Counts of homes." in html  # the Markdown summary as plain text
    assert 'name="publisher" type="checkbox" value="camden"' in html
    assert "1 dataset<" in html
    assert '<strong class="govuk-tag govuk-tag--grey">CSV</strong>' in html


def test_dataset_list_page_hides_drafts_from_others(client, client_for, publisher, organisation):
    DatasetFactory(publisher=organisation, title="Secret draft")

    assert "Secret draft" not in client.get(reverse("catalogue:dataset-list")).content.decode()
    own = client_for(publisher).get(reverse("catalogue:dataset-list"))
    assert "Secret draft" in own.content.decode()


def test_dataset_list_page_says_what_to_try_when_nothing_matches(client, organisation):
    published(organisation, title="Street trees")

    response = client.get(reverse("catalogue:dataset-list"), {"q": "zebra crossings"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "No datasets match “zebra crossings”" in html
    assert "clear the search and filters" in html


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "'; DROP TABLE catalogue_dataset; --"},
        {"page": "-3"},
        {"page": "99999999999"},
        {"per_page": "100000"},
        {"q": "x" * 5000},
        {"format": "exe", "access": "everyone", "licence": "mine"},
        {"publisher": "<script>", "tag": "a" * 500},
    ],
)
def test_dataset_list_page_takes_junk_parameters_calmly(client, organisation, params):
    published(organisation, title="Street trees")

    response = client.get(reverse("catalogue:dataset-list"), params)

    assert response.status_code == 200
    assert "Street trees" in response.content.decode() or "q" in params


def test_dataset_list_page_pages_with_govuk_pagination(client, organisation):
    for n in range(25):
        published(organisation, title=f"Dataset {n:02}")

    response = client.get(reverse("catalogue:dataset-list"), {"sort": "title", "page": 2})

    html = response.content.decode()
    assert "Dataset 20" in html and "Dataset 19" not in html
    assert 'aria-current="page">2</a>' in html
    assert "sort=title&amp;page=1" in html


def test_dataset_list_page_offers_publishing_to_publishers_only(publisher, member, client):
    from tests.conftest import verified_client

    url = reverse("catalogue:dataset-list")
    publish = reverse("catalogue:dataset-create").encode()

    assert publish in verified_client(publisher).get(url).content
    assert publish not in verified_client(member).get(url).content
    assert publish not in client.get(url).content
