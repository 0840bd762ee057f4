"""Data store journeys in a real browser, each page checked by axe-core: publishing a dataset
with a schema and a new version; finding it by a column name; previewing it on the map and
downloading filtered rows; asking for access to restricted data and approving the request."""

import csv
import json
import re

import pytest
from playwright.sync_api import expect

from interborough.accounts.models import Organisation
from interborough.catalogue.models import (
    AccessGrant,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    Dataset,
    DatasetStatus,
    Topic,
    VersionStatus,
)
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.functional.pages import (
    assert_accessible,
    confirmed_device,
    current_code,
    sign_in,
    visit,
)

pytestmark = pytest.mark.functional

HOMES_V1 = (
    "borough_code,lsoa_code,ward,households\n"
    "E09000007,E01000907,Kentish Town,1200\n"
    "E09000007,E01000908,Camden Town,950\n"
    "E09000007,E01000909,Gospel Oak,780\n"
)
# Version 2: one more row, and a new column.
HOMES_V2 = (
    "borough_code,lsoa_code,ward,households,empty_homes\n"
    "E09000007,E01000907,Kentish Town,1200,14\n"
    "E09000007,E01000908,Camden Town,950,9\n"
    "E09000007,E01000909,Gospel Oak,780,4\n"
    "E09000007,E01000910,Highgate,640,11\n"
)
HOMES_SCHEMA = {
    "fields": [
        {"name": "borough_code", "type": "string", "title": "Borough GSS code"},
        {
            "name": "lsoa_code",
            "type": "string",
            "title": "LSOA code",
            "description": "The 2021 Lower layer Super Output Area",
        },
        {"name": "ward", "type": "string"},
        {
            "name": "households",
            "type": "integer",
            "title": "Households",
            "constraints": {"required": True, "minimum": 0},
        },
    ]
}


def borough(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def file_payload(name: str, text: str, mime: str) -> dict:
    """A file for Playwright's set_input_files, made in memory."""
    return {"name": name, "mimeType": mime, "buffer": text.encode()}


def wait_until_ready(page) -> None:
    """The version status page polls until the check ends, then shows the finished version."""
    expect(page.locator(".govuk-summary-list__value .govuk-tag")).to_have_text("Ready")
    assert_accessible(page)


def test_publisher_publishes_a_dataset_with_a_schema_and_a_new_version(page, live_server, london):
    camden = borough("camden")
    publisher = MembershipFactory(organisation=camden, role="publisher").user
    sign_in(page, publisher.email)

    # Register the dataset as a draft.
    visit(page, "/datasets/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a dataset")
    page.get_by_label("Title").fill("Households by LSOA in Camden")
    page.get_by_label("Description").fill(
        "Households in each **Lower layer Super Output Area** of Camden, from council tax."
    )
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Tags (optional)").fill("households, council tax")
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Households by LSOA in Camden")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    assert_accessible(page)
    dataset = Dataset.objects.get(title="Households by LSOA in Camden")
    assert dataset.publisher == camden
    assert dataset.status == DatasetStatus.DRAFT

    # Add a resource with its CSV and the publisher's Table Schema.
    page.get_by_role("link", name="Add a resource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a resource")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Households by LSOA")
    page.get_by_label("Data file").set_input_files(
        file_payload("households.csv", HOMES_V1, "text/csv")
    )
    page.get_by_text("Attach a Table Schema (optional)").click()
    page.get_by_label("Table Schema (optional)").set_input_files(
        file_payload("households.schema.json", json.dumps(HOMES_SCHEMA), "application/json")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Add and upload").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1")
    wait_until_ready(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "“households.csv” has been uploaded as version 1"
    )
    dictionary = page.get_by_role("table", name=re.compile("Schema"))
    expect(dictionary).to_contain_text("lsoa_code")
    expect(dictionary).to_contain_text("The 2021 Lower layer Super Output Area")
    expect(page.get_by_text("The publisher confirmed this schema.")).to_be_visible()
    version = dataset.resources.get().versions.get()
    assert version.status == VersionStatus.READY
    assert version.rows == 3
    assert version.schema_confirmed

    # Publish it.
    page.get_by_role("link", name=re.compile("^Back to")).click()
    page.get_by_role("link", name="Back to Households by LSOA in Camden").click()
    page.get_by_role("link", name="Publish dataset").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish")
    assert_accessible(page)
    page.get_by_role("button", name="Publish dataset").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    assert_accessible(page)
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED

    # Upload a second version, with a row and a column added.
    page.get_by_role("link", name="Households by LSOA", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Households by LSOA")
    assert_accessible(page)
    page.get_by_role("link", name="Upload a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a new version")
    assert_accessible(page)
    page.get_by_label("Data file").set_input_files(
        file_payload("households-2.csv", HOMES_V2, "text/csv")
    )
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Version 2")
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="What changed from the version before")).to_be_visible()

    # The resource page shows what changed, beside each version.
    page.get_by_role("link", name="Back to Households by LSOA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Households by LSOA")
    versions = page.get_by_role("table", name="Versions")
    latest = versions.locator("tbody tr").filter(has=page.get_by_role("link", name="2", exact=True))
    expect(latest).to_contain_text("1 row added, 0 removed")
    expect(latest).to_contain_text("Columns added: empty_homes")
    expect(versions.locator("tbody tr").last).to_contain_text("The first version")
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    assert_accessible(page)
    resource = dataset.resources.get()
    assert resource.latest is not None and resource.latest.number == 2
    assert resource.latest.rows == 4


def published(publisher: Organisation, title: str, topic: str, **fields) -> Dataset:
    dataset = DatasetFactory(
        publisher=publisher, title=title, status=DatasetStatus.PUBLISHED, **fields
    )
    dataset.topics.add(Topic.objects.get(slug=topic))
    return dataset


def test_person_finds_a_dataset_by_a_column_name_and_narrows_by_a_facet(page, live_server, london):
    camden, hackney = borough("camden"), borough("hackney")
    camden_publisher = MembershipFactory(organisation=camden, role="publisher").user
    hackney_publisher = MembershipFactory(organisation=hackney, role="publisher").user
    lsoa = published(camden, "Households by small area in Camden", "housing")
    ready_resource(
        by=camden_publisher,
        dataset=lsoa,
        content=HOMES_V1.encode(),
        filename="households.csv",
        schema=HOMES_SCHEMA,
    )
    by_ward = published(hackney, "Households by ward in Hackney", "housing")
    ready_resource(
        by=hackney_publisher,
        dataset=by_ward,
        content=b"ward,households\nHackney Central,1500\nDalston,1320\n",
        filename="wards.csv",
    )
    cycling = published(camden, "Cycle counts on Camden's main roads", "transport")
    ready_resource(
        by=camden_publisher,
        dataset=cycling,
        content=b"site,cycles\nTottenham Court Road,5400\nEuston Road,3100\n",
        filename="cycles.csv",
    )

    visit(page, "/datasets/")
    results = page.locator(".ib-dataset-result")
    expect(results).to_have_count(3)

    # Only one dataset has an lsoa_code column; its title and description do not say so.
    page.get_by_label("Search datasets").fill("lsoa_code")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=lsoa_code"))
    expect(page.locator("#results")).to_have_text("1 dataset")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(lsoa.title)
    expect(results.get_by_text("Has column lsoa_code")).to_be_visible()
    assert_accessible(page)

    # A wider search, narrowed by the publisher facet.
    page.get_by_label("Search datasets").fill("households")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(results).to_have_count(2)
    expect(page.locator("#results")).to_have_text("2 datasets")
    page.locator(".govuk-details__summary", has_text="Publisher").click()
    page.get_by_role("group", name="Publisher").get_by_label("Hackney (1)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=households.*publisher=hackney"))
    expect(results).to_have_count(1)
    expect(results).to_contain_text(by_ward.title)
    expect(results).not_to_contain_text(lsoa.title)
    assert_accessible(page)

    results.get_by_role("link", name=by_ward.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(by_ward.title)
    assert_accessible(page)


PLACES = (
    b"borough_code,site,count,latitude,longitude\n"
    b"E09000007,Kentish Town,12,51.5503,-0.1406\n"
    b"E09000007,Camden Town,7,51.5390,-0.1426\n"
    b"E09000007,Gospel Oak,5,51.5535,-0.1500\n"
    b"E09000012,Hackney Central,30,51.5465,-0.0553\n"
    b"E09000012,Dalston,22,51.5460,-0.0750\n"
)


def wait_for_places(page, count: int) -> None:
    """The map has drawn one marker for each row of the preview."""
    expect(page.locator("[data-places-map][data-ready='true']")).to_be_attached()
    expect(page.locator("#places-map path.leaflet-interactive")).to_have_count(count)


def test_person_previews_places_on_the_map_and_downloads_filtered_rows(page, live_server, london):
    camden = borough("camden")
    publisher = MembershipFactory(organisation=camden, role="publisher").user
    dataset = published(camden, "Outreach contacts by site", "housing")
    ready_resource(
        by=publisher, dataset=dataset, content=PLACES, filename="sites.csv", name="Sites"
    )

    visit(page, f"/datasets/{dataset.slug}/")
    page.get_by_role("link", name="Sites", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sites")
    wait_for_places(page, 5)
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Rows 1 to 5 of 5")
    assert_accessible(page)

    # Filter the preview to Hackney's rows: the table and the map follow.
    filters = page.locator("#preview-filters")
    filters.get_by_label("Field").select_option("borough_code")
    filters.get_by_label("Condition").select_option("eq")
    filters.get_by_label("Value").fill("E09000012")
    filters.get_by_role("button", name="Add filter").click()
    expect(preview).to_contain_text("Rows 1 to 2 of 2 matching")
    expect(filters).to_contain_text("Filters in force")
    table = preview.locator("table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Hackney Central")
    expect(table).not_to_contain_text("Kentish Town")
    wait_for_places(page, 2)
    assert_accessible(page)

    # Download exactly those rows.
    with page.expect_download() as info:
        preview.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as saved:
        rows = list(csv.DictReader(saved))
    assert [row["site"] for row in rows] == ["Hackney Central", "Dalston"]
    assert {row["borough_code"] for row in rows} == {"E09000012"}


def test_member_of_another_borough_asks_for_restricted_data_and_the_ig_lead_approves(
    page, live_server, london
):
    camden, hackney = borough("camden"), borough("hackney")
    publisher = MembershipFactory(organisation=camden, role="publisher").user
    ig_lead = MembershipFactory(organisation=camden, role="ig_lead").user
    device = confirmed_device(ig_lead)
    requester = MembershipFactory(organisation=hackney, role="member").user
    dataset = published(
        camden,
        "Rough sleepers seen by outreach",
        "housing",
        access_level=AccessLevel.RESTRICTED,
    )
    resource = ready_resource(
        by=publisher, dataset=dataset, content=PLACES, filename="sites.csv", name="Contacts"
    )

    # Anyone sees what the dataset holds, not its rows.
    sign_in(page, requester.email)
    visit(page, f"/datasets/{dataset.slug}/")
    expect(page.locator(".ib-access-panel")).to_contain_text("reading its data needs a grant")
    visit(page, f"/datasets/{dataset.slug}/resources/{resource.pk}/")
    expect(page.locator("#preview")).to_contain_text("This data is restricted")
    expect(page.locator("#preview table")).to_have_count(0)

    # Ask for access.
    page.get_by_role("link", name=f"Ask for access to {dataset.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for access to the data")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what you need the data for.")
    expect(summary).to_contain_text("Choose how long you need access for.")
    assert_accessible(page)
    page.get_by_label("What do you need the data for?").fill(
        "Hackney's outreach team plans joint night shifts with Camden's at the border."
    )
    page.get_by_label("3 months").check()
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request for access")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your request has been sent to London Borough of Camden"
    )
    expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    assert_accessible(page)
    request = AccessRequest.objects.get(dataset=dataset, requester=requester)
    assert request.status == AccessRequestStatus.PENDING
    assert request.duration_days == 90

    # Camden's information governance lead approves it, with a reason.
    # IG leads sign in with a second factor.
    page.context.clear_cookies()
    sign_in(page, ig_lead.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/account/two-factor/"))
    visit(page, "/data-access/")
    waiting = page.get_by_role("table", name="Requests waiting for your decision")
    expect(waiting.locator("tbody tr")).to_have_count(1)
    waiting.get_by_role("link", name=re.compile(dataset.title)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request for access")
    expect(page.locator(".govuk-summary-list")).to_contain_text("joint night shifts")
    assert_accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_label("Reason").fill("Covered by the pan-London outreach protocol.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("can now read the data")
    expect(page.locator(".govuk-summary-list")).to_contain_text("pan-London outreach protocol")
    assert_accessible(page)
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED
    assert AccessGrant.objects.filter(dataset=dataset, grantee=requester).count() == 1

    # The requester now reads the rows and downloads them.
    page.context.clear_cookies()
    sign_in(page, requester.email)
    visit(page, f"/datasets/{dataset.slug}/")
    expect(page.locator(".ib-access-panel")).to_contain_text("You have access to this data until")
    page.get_by_role("link", name="Contacts", exact=True).click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Rows 1 to 5 of 5")
    expect(preview.locator("table")).to_contain_text("Kentish Town")
    assert_accessible(page)
    with page.expect_download() as info:
        preview.get_by_role("link", name="CSV", exact=True).click()
    with open(info.value.path(), encoding="utf-8-sig", newline="") as saved:
        rows = list(csv.DictReader(saved))
    assert len(rows) == 5
    assert rows[0]["site"] == "Kentish Town"
