"""Data sharing agreement journeys in a real browser, each page checked by axe-core: drafting an
agreement from a template through its task list; submitting it and each party's information
governance lead approving it; finding it in the public register without signing in; and an
analyst's restricted-data access allowed while the agreement is active and refused once it
has expired."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interborough.accounts.models import Organisation
from interborough.catalogue.models import AccessLevel, DatasetStatus
from interborough.sharing import codec, services
from interborough.sharing.document import SECTIONS
from interborough.sharing.ethics import QUESTIONS
from interborough.sharing.models import AgreementStatus, DataSharingAgreement
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.factories.sharing import agreement_row, dataset_entry, full_document
from tests.functional.pages import (
    assert_accessible,
    confirmed_device,
    current_code,
    sign_in,
    visit,
)

pytestmark = pytest.mark.functional

UK = "%d/%m/%Y"
PLACES = (
    b"borough_code,site,count,latitude,longitude\n"
    b"E09000007,Kentish Town,12,51.5503,-0.1406\n"
    b"E09000007,Camden Town,7,51.5390,-0.1426\n"
    b"E09000007,Gospel Oak,5,51.5535,-0.1500\n"
    b"E09000012,Hackney Central,30,51.5465,-0.0553\n"
    b"E09000012,Dalston,22,51.5460,-0.0750\n"
)


def borough(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def save_section(page, heading: str) -> None:
    """Save a section and land back on the task list with its banner (checked by axe)."""
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{heading}: your changes have been saved."
    )
    assert_accessible(page)


def open_section(page, title: str) -> None:
    page.locator(".govuk-task-list").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)


def status_of(page, slug: str):
    return page.locator(f"#task-{slug}-status")


def test_drafter_drafts_an_agreement_from_a_template_through_the_task_list(
    page, live_server, london
):
    camden, hackney = borough("camden"), borough("hackney")
    drafter = MembershipFactory(organisation=camden, role="publisher").user
    today = timezone.localdate()
    sign_in(page, drafter.email)

    # Judge the template first, then start from it.
    visit(page, "/agreements/templates/")
    page.get_by_role(
        "link", name="Cross-borough homelessness and temporary accommodation placements"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cross-borough homelessness")
    expect(page.locator("main")).to_contain_text("Housing Act 1996")
    assert_accessible(page)
    page.get_by_role("link", name="Start an agreement from this template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a data sharing agreement")
    assert_accessible(page)
    page.get_by_role("button", name="Start the agreement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the agreement")
    assert_accessible(page)
    page.get_by_label("Title").fill("Camden and Hackney temporary accommodation placements")
    expect(
        page.get_by_label("Cross-borough homelessness and temporary accommodation placements")
    ).to_be_checked()
    page.get_by_text("Other parties (optional)").click()
    page.get_by_label(hackney.name, exact=True).check()
    page.get_by_role("button", name="Start the agreement").click()

    # The task list: what the template filled in, and what is left for the parties.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Camden and Hackney temporary accommodation placements"
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text("started as a draft")
    assert_accessible(page)
    agreement = DataSharingAgreement.objects.get()
    assert agreement.template == "homelessness-ta"
    expect(status_of(page, "purpose")).to_have_text("Completed")
    expect(status_of(page, "parties")).to_have_text("Incomplete")
    expect(page.locator("#dpia-screening")).to_contain_text("is required")
    expect(page.get_by_role("button", name="Submit for approval")).to_have_count(0)

    # About: the dates, as people write them.
    open_section(page, "About the agreement")
    page.get_by_label("Start date").fill(today.strftime(UK))
    page.get_by_label("End date").fill((today + timedelta(days=730)).strftime(UK))
    page.get_by_label("Review date").fill("31/02/2027")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the review date as a real date"
    )
    assert_accessible(page)
    page.get_by_label("Review date").fill((today + timedelta(days=365)).strftime(UK))
    save_section(page, "About the agreement")
    expect(status_of(page, "about")).to_have_text("Completed")

    # Parties: each party's contacts and certifications.
    open_section(page, "Parties")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Why the template pre-filled this")
    for index, organisation in enumerate([camden, hackney]):
        row = f"#id_parties-{index}-"
        page.fill(f"{row}ico_registration", f"Z{index + 1:07d}")
        page.fill(f"{row}dpo_name", f"{organisation.short_name or organisation.name} DPO")
        page.fill(f"{row}dpo_email", f"dpo@{organisation.slug}.example.london")
        page.fill(f"{row}signatory_name", "Sam Okafor")
        page.fill(f"{row}signatory_job_title", "Senior Information Risk Owner")
        page.fill(f"{row}signatory_email", f"siro@{organisation.slug}.example.london")
        page.select_option(f"{row}dspt_status", "standards_met")
        page.select_option(f"{row}cyber_essentials", "cyber_essentials_plus")
    save_section(page, "Parties")
    expect(status_of(page, "parties")).to_have_text("Completed")

    # DPIA: the screening concludes a DPIA is needed, so give its reference and date.
    open_section(page, "Data protection impact assessment")
    expect(page.locator("#dpia-conclusion")).to_contain_text("is required")
    page.get_by_label("DPIA reference").fill("DPIA-2026-031")
    page.get_by_label("DPIA date").fill((today - timedelta(days=14)).strftime(UK))
    save_section(page, "Data protection impact assessment")

    # Rights, register and the ethics checklist.
    open_section(page, "Rights and transparency")
    page.get_by_label("Privacy notices").fill("https://camden.example.london/privacy/housing")
    save_section(page, "Rights and transparency")
    open_section(page, "Public register")
    page.get_by_label("Contact").fill("dpo@camden.example.london")
    save_section(page, "Public register")
    open_section(page, "Data ethics")
    for question in QUESTIONS:
        page.get_by_label(question.question).fill(f"Our answer: {question.guidance[:60]}")
    save_section(page, "Data ethics")

    # Every section is complete: it can be submitted.
    expect(
        page.get_by_text(f"You have completed {len(SECTIONS)} of {len(SECTIONS)} sections")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Submit for approval")).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert services.submission_problems(agreement) == {}

    # The other section pages (lists, checkboxes, the fields of a dataset) pass axe too.
    base = f"/agreements/{agreement.reference}/v1/edit/"
    for slug in ("purpose", "legal-basis", "processing", "security", "exit", "data"):
        visit(page, f"{base}{slug}/")
    page.get_by_role("link", name=re.compile("Change the fields")).first.click()
    expect(page.get_by_role("button", name="Save the fields")).to_be_visible()
    assert_accessible(page)


def test_drafter_imports_an_agreement_file_and_fixes_a_bad_one(page, live_server, london):
    camden, hackney = borough("camden"), borough("hackney")
    drafter = MembershipFactory(organisation=camden, role="publisher").user
    document = full_document([camden, hackney])
    sign_in(page, drafter.email)

    visit(page, "/agreements/import/")
    broken = codec.dump(document, "yaml").replace("title: ", "title: [", 1)
    page.get_by_label("Upload a file").set_input_files(
        {"name": "agreement.yaml", "mimeType": "application/x-yaml", "buffer": broken.encode()}
    )
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("line")
    assert_accessible(page)
    assert not DataSharingAgreement.objects.exists()

    page.get_by_label("Or paste the agreement").fill(codec.dump(document, "json"))
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("imported as a draft")
    assert_accessible(page)
    assert DataSharingAgreement.objects.get().title == document["title"]


def sign_in_with_code(page, user, device) -> None:
    """IG leads sign in with a second factor."""
    page.context.clear_cookies()
    sign_in(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/account/two-factor/"))


def approve_as(page, user, device, agreement, organisation) -> None:
    """The party's IG lead finds the agreement waiting for them and approves its text."""
    sign_in_with_code(page, user, device)
    visit(page, "/agreements/actions/")
    waiting = page.get_by_role("table", name="Agreements to approve")
    expect(waiting.locator("tbody tr")).to_have_count(1)
    waiting.get_by_role("link", name=agreement.title).click()
    assert_accessible(page)
    page.get_by_role("link", name="Approve this version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approve")
    expect(page.locator("main")).to_contain_text(agreement.text_hash)
    assert_accessible(page)
    page.get_by_role("button", name="Approve this version").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You approved {agreement.reference} v{agreement.version} for {organisation.name}"
    )
    assert_accessible(page)


def test_drafter_submits_and_each_partys_ig_lead_approves(page, live_server, london):
    camden, hackney = borough("camden"), borough("hackney")
    drafter = MembershipFactory(organisation=camden, role="publisher").user
    camden_lead = MembershipFactory(organisation=camden, role="ig_lead").user
    hackney_lead = MembershipFactory(organisation=hackney, role="ig_lead").user
    devices = {
        camden_lead.pk: confirmed_device(camden_lead),
        hackney_lead.pk: confirmed_device(hackney_lead),
    }
    agreement = agreement_row(
        [camden, hackney], status=AgreementStatus.DRAFT, reference="DSA-2026-0101", by=drafter
    )

    # The drafter submits the complete draft from its task list.
    sign_in(page, drafter.email)
    visit(page, "/agreements/DSA-2026-0101/v1/edit/")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "has been sent to each party's information governance lead"
    )
    assert_accessible(page)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUBMITTED
    # It can no longer be changed: its task list sends the drafter to its page.
    page.goto("/agreements/DSA-2026-0101/v1/edit/")
    expect(page).to_have_url(re.compile(r"/agreements/DSA-2026-0101/v1/$"))

    # Each party's IG lead approves the exact text, for their own organisation only.
    approve_as(page, camden_lead, devices[camden_lead.pk], agreement, camden)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUBMITTED
    approve_as(page, hackney_lead, devices[hackney_lead.pk], agreement, hackney)
    agreement.refresh_from_db()
    # Its start date has come, so it is in force as soon as the last party approves.
    assert agreement.status == AgreementStatus.ACTIVE
    assert {a.organisation for a in agreement.approvals.all()} == {camden, hackney}
    assert {a.text_hash for a in agreement.approvals.all()} == {agreement.text_hash}


def test_anonymous_visitor_reads_an_agreement_in_the_public_register(page, live_server, london):
    camden, hackney = borough("camden"), borough("hackney")
    agreement_row([camden, hackney], reference="DSA-2026-0202")
    agreement_row([camden, hackney], status=AgreementStatus.DRAFT, reference="DSA-2026-0203")

    visit(page, "/agreements/")
    page.get_by_label("Search agreements").fill("placements")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 agreement")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("main")).not_to_contain_text("DSA-2026-0203")
    page.get_by_role("link", name="Cross-borough temporary accommodation placements").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cross-borough temporary accommodation placements"
    )
    expect(page.locator("main")).to_contain_text("Boroughs count families placed in each other")
    assert_accessible(page)
    # A draft is nobody's business but the parties': it does not exist for the public.
    response = page.goto("/agreements/DSA-2026-0203/v1/")
    assert response is not None and response.status == 404


def test_analyst_reads_restricted_data_while_the_agreement_is_active_and_not_after_it_expires(
    page, live_server, london
):
    camden, hackney = borough("camden"), borough("hackney")
    publisher = MembershipFactory(organisation=camden, role="publisher").user
    analyst = MembershipFactory(organisation=hackney, role="member").user
    dataset = DatasetFactory(
        publisher=camden,
        title="Rough sleepers seen by outreach",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    resource = ready_resource(
        by=publisher, dataset=dataset, content=PLACES, filename="sites.csv", name="Contacts"
    )
    fields = dict.fromkeys(["borough_code", "site", "count", "latitude", "longitude"], "clear")
    start = timezone.localdate() - timedelta(days=30)
    agreement = agreement_row(
        [camden, hackney],
        reference="DSA-2026-0303",
        start=start,
        end=start + timedelta(days=90),
        datasets=[
            dataset_entry(camden, key="outreach", catalogue_dataset=dataset.slug, fields=fields)
        ],
        operations=["read"],
        dataset_links={"outreach": dataset},
    )
    preview_url = f"/datasets/{dataset.slug}/resources/{resource.pk}/"

    # While the agreement is active, a member of a party reads the rows.
    sign_in(page, analyst.email)
    visit(page, preview_url)
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Rows 1 to 5 of 5")
    expect(preview.locator("table")).to_contain_text("Kentish Town")

    # The day its end date comes, the daily run expires it, and the data is refused.
    services.agreements_advance(today=agreement.end_date)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED
    visit(page, preview_url)
    expect(page.locator("#preview")).to_contain_text("This data is restricted")
    expect(page.locator("#preview table")).to_have_count(0)
