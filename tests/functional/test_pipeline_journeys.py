"""Pipeline journeys in a real browser, each page checked by axe-core: registering and publishing
a project; finding a similar project in another borough and asking to contribute."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from interborough.accounts.models import Organisation
from interborough.pipeline.models import ContributionRequest, ContributionStatus, Project
from interborough.pipeline.models import ProjectStatus as Status
from tests.factories.accounts import MembershipFactory
from tests.factories.pipeline import ProjectFactory
from tests.functional.pages import assert_accessible, sign_in, visit

pytestmark = pytest.mark.functional


def borough(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def wait_for_map(page) -> None:
    """The choropleth has drawn every borough (and its legend) from the boundaries."""
    expect(page.locator("[data-projects-map][data-ready='true']")).to_be_visible()
    expect(page.locator("#projects-map path.leaflet-interactive")).to_have_count(33)
    expect(page.locator(".ib-map-legend")).to_contain_text("Projects")


def test_publisher_registers_a_project_and_publishes_it(page, live_server, london):
    camden = borough("camden")
    publisher = MembershipFactory(organisation=camden, role="publisher").user
    ProjectFactory(
        organisation=borough("hackney"), title="Hackney parking", status=Status.PUBLISHED
    )
    sign_in(page, publisher.email)

    visit(page, "/projects/")
    wait_for_map(page)
    assert_accessible(page)
    page.get_by_role("button", name="Register a project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a project")
    assert_accessible(page)

    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the title.")
    expect(summary).to_contain_text("Choose at least one theme.")
    assert_accessible(page)

    page.get_by_label("Title").fill("Damp and mould reporting")
    page.get_by_label("Summary").fill("Tenants report damp and mould with photos.")
    page.get_by_label("Discovery").check()
    page.get_by_label("Start date (optional)").fill("1/4/2026")
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Tags (optional)").fill("damp, mould")
    reveal = page.get_by_label("What kind of collaboration?")
    expect(reveal).to_be_hidden()
    page.get_by_label("We want to collaborate with other organisations").check()
    expect(reveal).to_be_visible()
    reveal.fill("Share user research")
    assert_accessible(page)
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Damp and mould reporting")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    expect(page.locator(".govuk-tag", has_text="Draft")).to_be_visible()
    assert_accessible(page)
    project = Project.objects.get(title="Damp and mould reporting")
    assert project.status == Status.DRAFT
    assert project.organisation == camden
    assert project.collaboration_kind == "Share user research"

    page.get_by_role("link", name="Publish project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish “Damp and mould reporting”?")
    assert_accessible(page)
    page.get_by_role("button", name="Publish project").click()

    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    expect(page.locator(".govuk-tag", has_text="Draft")).to_have_count(0)
    assert_accessible(page)
    project.refresh_from_db()
    assert project.status == Status.PUBLISHED

    visit(page, "/projects/?q=damp")
    expect(page.locator(".ib-project-card")).to_have_count(1)
    expect(page.locator(".ib-project-card")).to_contain_text("Damp and mould reporting")
    wait_for_map(page)


def test_member_finds_a_similar_project_in_another_borough_and_asks_to_contribute(
    page, live_server, london
):
    camden, hackney = borough("camden"), borough("hackney")
    member = MembershipFactory(organisation=camden, role="member").user
    hackney_owner = MembershipFactory(organisation=hackney, role="publisher").user
    own = ProjectFactory(
        organisation=camden,
        title="Damp and mould reporting",
        summary="Tenants report damp and mould in council homes with photos.",
        problem="Damp and mould reports arrive by phone and are lost.",
        status=Status.PUBLISHED,
    )
    theirs = ProjectFactory(
        organisation=hackney,
        title="Mould and damp reports from tenants",
        summary="Council tenants send photos of damp and mould from their phones.",
        problem="Damp and mould cases are not triaged quickly.",
        status=Status.PUBLISHED,
        collaboration_wanted=True,
        collaboration_kind="Reuse our triage rules",
    )
    ProjectFactory(
        organisation=borough("islington"),
        title="Library opening hours",
        summary="Opening times for every library.",
        problem="",
        status=Status.PUBLISHED,
        themes=["customer-services"],
    )
    sign_in(page, member.email)

    # Find it by searching, then narrow the list to Hackney from the table beside the map.
    visit(page, "/projects/")
    wait_for_map(page)
    page.get_by_label("Search projects").fill("mould")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".ib-project-card")).to_have_count(2)
    page.get_by_text("Projects per borough, as a table").click()
    page.get_by_role("link", name="Hackney", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=mould.*organisation=hackney"))
    expect(page.locator(".ib-project-card")).to_have_count(1)
    expect(page.locator(".ib-project-card")).to_contain_text(theirs.title)
    wait_for_map(page)
    assert_accessible(page)

    # Or from one's own project: the similar projects in other boroughs, with why they match.
    visit(page, f"/projects/{own.pk}/")
    similar = page.locator("#similar + ul")
    expect(similar).to_contain_text(theirs.title)
    expect(similar).to_contain_text("% similar")
    expect(similar).to_contain_text("Why: they both mention")
    expect(similar).not_to_contain_text("Library opening hours")
    similar.get_by_role("link", name=theirs.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(theirs.title)
    assert_accessible(page)
    page.get_by_role("button", name="Ask to contribute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask to contribute")
    assert_accessible(page)

    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a message for the project's owners."
    )
    assert_accessible(page)
    page.get_by_label("What could you offer, or what do you want to learn?").fill(
        "Camden runs the same service: we can share our research and photos triage."
    )
    page.get_by_role("button", name="Send request").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your request has been sent to London Borough of Hackney"
    )
    expect(page.get_by_role("heading", name="Your request to contribute")).to_be_visible()
    expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    assert_accessible(page)
    request = ContributionRequest.objects.get(project=theirs, user=member)
    assert request.status == ContributionStatus.PENDING
    assert [m.to for m in mail.outbox] == [[hackney_owner.email]]
