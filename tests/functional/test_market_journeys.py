from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interborough.accounts.models import Organisation, OrganisationType
from interborough.pipeline.models import ProjectStatus, ValueBand
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ContractRecordFactory, ProjectFactory
from tests.functional.pages import assert_accessible, sign_in, visit

pytestmark = pytest.mark.functional


@pytest.fixture
def market(london):
    """Two boroughs' needs (one public), a draft, and a system both boroughs run."""
    camden = Organisation.objects.get(gss_code="E09000007")
    hackney = Organisation.objects.get(gss_code="E09000012")
    today = timezone.localdate()
    for organisation, title, days, public, status in [
        (camden, "Repairs booking for tenants", 60, True, ProjectStatus.PUBLISHED),
        (hackney, "Damp and mould sensors", 200, False, ProjectStatus.PUBLISHED),
        (hackney, "Unannounced draft", 30, True, ProjectStatus.DRAFT),
    ]:
        ProjectFactory(
            organisation=organisation,
            title=title,
            status=status,
            is_public=public,
            market_engagement_wanted=True,
            market_need=f"We need a supplier for {title.lower()}.",
            market_need_by=today + timedelta(days=days),
        )
    for organisation, end in [(camden, 150), (hackney, 700)]:
        ContractRecordFactory(
            organisation=organisation,
            product="Housing Manager",
            supplier_name="Civic Software Ltd",
            contract_end=today + timedelta(days=end),
            reprocurement_planned=True,
            annual_value_band=ValueBand.OVER_1M,
            value_is_internal=True,
        )
    return {"camden": camden, "hackney": hackney}


@pytest.fixture
def supplier(db):
    organisation = OrganisationFactory(
        name="Civic Software Ltd", slug="civic-software", type=OrganisationType.SUPPLIER
    )
    return MembershipFactory(organisation=organisation, role="member").user


def test_a_supplier_browses_the_market_view(page, live_server, market, supplier):
    # Before signing in: only the needs councils made public.
    visit(page, "/market/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What councils need")
    expect(page.get_by_role("link", name="Repairs booking for tenants")).to_be_visible()
    expect(page.get_by_text("Damp and mould sensors")).to_have_count(0)
    expect(page.get_by_role("heading", name="Coming up for re-procurement")).to_have_count(0)

    sign_in(page, supplier.email)
    page.get_by_role("link", name="Market").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What councils need")
    expect(page.get_by_role("link", name="Damp and mould sensors")).to_be_visible()
    expect(page.get_by_text("Unannounced draft")).to_have_count(0)
    quarters = page.locator("#needs-by-quarter")
    expect(quarters.get_by_role("columnheader", name="Needs")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Council").select_option(label="London Borough of Hackney")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 need", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Damp and mould sensors")).to_be_visible()
    expect(page.get_by_role("link", name="Repairs booking for tenants")).to_have_count(0)
    assert_accessible(page)

    # Camden's contract ends within 18 months and will be procured again; Hackney's is later.
    reprocurements = page.get_by_role("table", name="Contracts coming up for re-procurement")
    expect(reprocurements.get_by_role("row")).to_have_count(2)  # the header and Camden's
    reprocurements.get_by_role("link", name="Housing Manager").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Housing Manager")
    expect(page.get_by_text("London Borough of Camden").first).to_be_visible()
    value = page.locator(".govuk-summary-list__row", has_text="Annual value")
    expect(value).to_contain_text("Internal")
    expect(page.get_by_text(ValueBand.OVER_1M.label)).to_have_count(0)
    expect(page.get_by_role("heading", name="Who else uses this product")).to_be_visible()
    expect(page.get_by_role("link", name="London Borough of Hackney")).to_be_visible()
    expect(page.get_by_role("link", name="Edit this record")).to_have_count(0)
    assert_accessible(page)

    package = page.request.get(f"{live_server.url}/market/ocds.json").json()
    titles = [release["tender"]["title"] for release in package["releases"]]
    assert titles == [
        "Repairs booking for tenants",
        "Damp and mould sensors",
        "Re-procurement of Housing Manager (Housing management)",
    ]
    assert all(release["tender"]["status"] == "planning" for release in package["releases"])
