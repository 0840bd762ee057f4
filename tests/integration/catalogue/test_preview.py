"""A resource's data on its page: the preview table (rows, sorting, filters, paging, downloads),
the chart builder, the map and the automatic borough choropleth (views/preview.py), and who
sees none of it."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from interborough.accounts.models import Organisation
from interborough.accounts.services import organisations_load_reference
from interborough.catalogue import query
from interborough.catalogue.models import AccessLevel, DatasetStatus, DatasetUsage, UsageKind
from interborough.catalogue.views import preview as preview_views
from interborough.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

SENTINEL = "Zanzibar-sentinel-7731"
PLACES = (
    b"id,ward,count,latitude,longitude\n"
    + f"1,{SENTINEL},12,51.5503,-0.1406\n".encode()
    + b"2,Camden Town,7,51.5390,-0.1426\n"
    + b"3,Hackney Central,30,51.5465,-0.0553\n"
)
BOROUGHS = (
    b"borough,households,opened\n"
    b"E09000007,10,2024-01-05\n"
    b"E09000007,5,2024-01-20\n"
    b"E09000012,7,2024-02-02\n"
    b"E09000030,1,2024-03-09\n"
)


def html(response) -> str:
    return unescape(response.content.decode())


def page_url(resource) -> str:
    return reverse("catalogue:resource-detail", args=[resource.dataset.slug, resource.pk])


def body_rows(response) -> list[list[str]]:
    """The preview table's body rows, as cell texts."""
    table = re.search(r'id="preview-caption".*?<tbody class="govuk-table__body">(.*?)</tbody>',
                      html(response), re.S)  # fmt: skip
    assert table, "no preview table on the page"
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.group(1), re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


def _resource(publisher, organisation, *, content=PLACES, access=AccessLevel.OPEN):
    dataset = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level=access
    )
    return ready_resource(by=publisher, dataset=dataset, content=content, filename="rows.csv")


@pytest.fixture
def places(publisher, organisation):
    return _resource(publisher, organisation)


@pytest.fixture
def boroughs(db):
    organisations_load_reference()
    camden = Organisation.objects.get(gss_code="E09000007")
    publisher = MembershipFactory(organisation=camden, role="publisher").user
    return _resource(publisher, camden, content=BOROUGHS)


def test_preview_shows_first_rows_total_and_downloads(places):
    response = Client().get(page_url(places))

    assert response.status_code == 200
    rows = body_rows(response)
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert "Rows 1 to 3 of 3." in html(response)
    download = reverse("catalogue:resource-download", args=[places.dataset.slug, places.pk, "csv"])
    assert f'href="{download}"' in html(response)


def test_preview_sorts_by_a_column_header(places):
    response = Client().get(page_url(places) + "?sort=-count")

    assert [row[0] for row in body_rows(response)] == ["3", "1", "2"]
    assert 'aria-sort="descending"' in html(response)
    assert "?sort=count#preview" in html(response)  # the header now sorts the other way


def test_preview_filter_form_narrows_rows_and_the_downloads_keep_it(places):
    params = "?filter-field=count&filter-op=gt&filter-value=10"
    response = Client().get(page_url(places) + params)

    assert [row[0] for row in body_rows(response)] == ["1", "3"]
    assert "Rows 1 to 2 of 2 matching." in html(response)
    assert "count__gt=10" in html(response)  # download links and hidden inputs carry it
    assert "count is greater than 10" in html(response)


def test_preview_free_text_search(places):
    response = Client().get(page_url(places) + "?q=hackney")

    assert [row[0] for row in body_rows(response)] == ["3"]


def test_preview_bad_filter_value_shows_engine_message(places):
    response = Client().get(page_url(places) + "?filter-field=count&filter-op=gt&filter-value=many")

    assert response.status_code == 200
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert summary and 'Give a whole number, not "many"' in summary.group(0)
    assert 'href="#id_filter-value"' in summary.group(0)
    assert len(body_rows(response)) == 3  # the rows stay, unfiltered


def test_preview_unknown_field_in_url_is_an_error_not_a_500(places):
    response = Client().get(page_url(places) + "?nosuchfield=1")

    assert response.status_code == 200
    assert 'There is no field called "nosuchfield"' in html(response)


def test_preview_timeout_shows_a_clear_message(places, monkeypatch):
    def too_slow(*args, **kwargs):
        raise query.QueryTimeout(5)

    monkeypatch.setattr(preview_views.query, "records_page", too_slow)

    response = Client().get(page_url(places))

    assert response.status_code == 200
    assert "took longer than 5 seconds" in html(response)


def test_preview_pages_with_offset(publisher, organisation):
    lines = b"n,label\n" + b"".join(f"{i},row {i}\n".encode() for i in range(1, 31))
    resource = _resource(publisher, organisation, content=lines)

    first = Client().get(page_url(resource))
    second = Client().get(page_url(resource) + "?offset=25")

    assert len(body_rows(first)) == 25
    assert "?offset=25#preview" in html(first)
    assert [row[0] for row in body_rows(second)] == ["26", "27", "28", "29", "30"]
    assert 'rel="prev"' in html(second) and 'rel="next"' not in html(second)


def test_preview_counts_an_api_call(places):
    Client().get(page_url(places))

    usage = DatasetUsage.objects.get(dataset=places.dataset, kind=UsageKind.API_CALL)
    assert usage.count == 1


def test_preview_restricted_shows_no_rows_to_anyone_without_access(publisher, organisation):
    resource = _resource(publisher, organisation, access=AccessLevel.RESTRICTED)
    outsider = UserFactory()

    anonymous = Client().get(page_url(resource))
    signed_in = verified_client(outsider).get(page_url(resource))

    for response in (anonymous, signed_in):
        assert response.status_code == 200
        assert SENTINEL not in html(response)
        assert "This data is restricted" in html(response)
    request_url = reverse("catalogue:access-request", args=[resource.dataset.slug])
    assert f'href="{request_url}"' in html(signed_in)
    assert "Sign in to ask for access" in html(anonymous)
    assert not DatasetUsage.objects.filter(dataset=resource.dataset).exists()


def test_preview_restricted_is_shown_and_audited_for_the_publisher(publisher, organisation):
    resource = _resource(publisher, organisation, access=AccessLevel.RESTRICTED)

    response = verified_client(publisher).get(page_url(resource))

    assert SENTINEL in html(response)
    read = AuditEvent.objects.filter(action="dataset.data_read").get()
    assert "preview" in str(read.changes)


def test_preview_signed_in_data_asks_anonymous_visitors_to_sign_in(publisher, organisation):
    resource = _resource(publisher, organisation, access=AccessLevel.SIGNED_IN)

    response = Client().get(page_url(resource))

    assert SENTINEL not in html(response)
    assert "Sign in to see it" in html(response)


def test_map_is_fed_by_the_filtered_geojson_download(places):
    response = Client().get(page_url(places) + "?count__gt=10")

    match = re.search(r'data-geojson-url="([^"]+)"', html(response))
    assert match
    url = match.group(1).replace("&amp;", "&")
    assert "count__gt=10" in url and "limit=2000" in url
    assert "catalogue-map.js" in html(response)
    features = Client().get(url)
    body = b"".join(features.streaming_content)
    assert features.status_code == 200 and body.count(b'"Feature"') == 2


def test_map_is_absent_for_a_table_without_places(boroughs):
    response = Client().get(page_url(boroughs))

    assert "data-places-map" not in html(response)
    assert "catalogue-map.js" not in html(response)


def test_chart_builder_draws_bars_with_a_table(places):
    params = "?chart-x=ward&chart-y=sum&chart-measure=count&chart-kind=bar"
    response = Client().get(page_url(places) + params)

    page = html(response)
    assert "Total of count by ward" in page
    assert page.count("<rect x=") == 3
    assert "<title>Hackney Central: 30</title>" in page


def test_chart_builder_line_chart_by_month(boroughs):
    params = "?chart-x=opened&chart-bucket=month&chart-y=count&chart-kind=line"
    response = Client().get(page_url(boroughs) + params)

    page = html(response)
    assert "<polyline" in page
    assert "<title>Jan 2024: 2</title>" in page


def test_chart_builder_needs_a_numeric_field_for_a_total(places):
    response = Client().get(page_url(places) + "?chart-x=ward&chart-y=sum&chart-kind=bar")

    summary = re.search(r'class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert summary and "Choose a numeric field" in summary.group(0)
    assert "<rect x=" not in html(response)


def test_choropleth_appears_for_borough_codes_with_rows_per_borough(boroughs):
    response = Client().get(page_url(boroughs))

    page = html(response)
    assert 'id="boroughs"' in page
    assert page.count('<path d="M') == 33
    assert "<title>Camden: 2</title>" in page
    assert re.search(r"Camden <span[^>]*>E09000007</span></th><td[^>]*>2</td>", page)


def test_choropleth_shades_by_a_chosen_total(boroughs):
    response = Client().get(page_url(boroughs) + "?map-measure=sum:households")

    assert "<title>Camden: 15</title>" in html(response)
    assert "Total of households by borough" in html(response)


def test_choropleth_absent_without_borough_codes(places):
    response = Client().get(page_url(places))

    assert 'id="boroughs"' not in html(response)


def test_dataset_choropleth_for_the_first_resource_with_codes(boroughs):
    figures = preview_views.dataset_choropleth(UserFactory(), boroughs.dataset, [boroughs])

    assert figures is not None and figures["resource"] == boroughs
    assert {a.code: a.value for a in figures["areas"]}["E09000012"] == 1


def test_dataset_choropleth_none_without_access(boroughs):
    boroughs.dataset.access_level = AccessLevel.RESTRICTED
    boroughs.dataset.save()

    assert preview_views.dataset_choropleth(UserFactory(), boroughs.dataset, [boroughs]) is None
