"""The market view and its OCDS export: who sees which needs, filters, and the timeline."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import OrganisationType
from interborough.pipeline import ocds
from interborough.pipeline.models import ProjectStatus, ValueBand
from interborough.pipeline.selectors import contracts as selectors
from interborough.pipeline.services.projects import project_archive
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ContractRecordFactory, ProjectFactory
from tests.unit.pipeline.test_ocds import assert_valid_package

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def need(organisation, title, *, status=ProjectStatus.PUBLISHED, days=None, **fields):
    return ProjectFactory(
        organisation=organisation,
        title=title,
        status=status,
        market_engagement_wanted=True,
        market_need=f"Suppliers who can help with {title.lower()}.",
        market_need_by=TODAY + timedelta(days=days) if days is not None else None,
        **fields,
    )


@pytest.fixture
def supplier(db):
    org = OrganisationFactory(
        name="Civic Software Ltd", slug="civic", type=OrganisationType.SUPPLIER
    )
    return MembershipFactory(organisation=org).user


@pytest.fixture
def needs(organisation, other_organisation):
    """One of each kind of project a market view must tell apart."""
    return {
        "public": need(organisation, "Public repairs need", days=40, is_public=True),
        "published": need(other_organisation, "Signed-in only need", days=200),
        "undated": need(other_organisation, "Need with no date", is_public=True),
        "own_draft": need(organisation, "Camden draft need", status=ProjectStatus.DRAFT),
        "other_draft": need(other_organisation, "Hackney draft need", status=ProjectStatus.DRAFT),
        "archived": project_archive(
            by=None, project=need(organisation, "Archived need", days=10, is_public=True)
        ),
        "no_need": ProjectFactory(
            organisation=organisation,
            title="Published without a need",
            status=ProjectStatus.PUBLISHED,
            is_public=True,
        ),
    }


def titles(viewer):
    return [p.title for p in selectors.market_needs(viewer=viewer)]


def test_anonymous_visitors_see_only_public_published_needs(needs):
    assert titles(AnonymousUser()) == ["Public repairs need", "Need with no date"]


def test_suppliers_see_every_published_need_and_no_drafts(needs, supplier):
    assert titles(supplier) == ["Public repairs need", "Signed-in only need", "Need with no date"]


def test_members_do_not_see_even_their_own_drafts_here(needs, member):
    assert "Camden draft need" not in titles(member)
    assert "Hackney draft need" not in titles(member)
    assert "Archived need" not in titles(member)


def test_market_needs_filters(needs, member, other_organisation):
    def filtered(**filters):
        return [p.title for p in selectors.market_needs(viewer=member, **filters)]

    assert filtered(organisation=other_organisation.slug) == [
        "Signed-in only need",
        "Need with no date",
    ]
    assert filtered(due_within_days=90) == ["Public repairs need"]
    assert filtered(q="REPAIRS") == ["Public repairs need"]
    assert filtered(theme="housing") == titles(member)
    assert filtered(theme="net-zero") == []


def test_market_needs_by_quarter_counts_each_quarter_in_order(organisation, member):
    need(organisation, "Soon", days=1)
    need(organisation, "Next year", days=400)
    need(organisation, "Passed", days=-5)
    need(organisation, "Undated")

    quarters = selectors.market_needs_by_quarter(needs=selectors.market_needs(viewer=member))

    counts = [q.count for q in quarters]
    assert sum(counts) == 4
    assert quarters[0].count == 1
    assert quarters[-2:] == [
        selectors.QuarterCount("Date already passed", 1),
        selectors.QuarterCount("No date given", 1),
    ]
    # every quarter between the first and the last appears, empty ones as 0
    assert len(quarters) - 2 in (5, 6)
    assert counts[1:-3] == [0] * (len(quarters) - 4)


def test_market_page_for_anonymous_visitors(client, needs):
    response = client.get(reverse("pipeline:market"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "What councils need" in body
    assert "Public repairs need" in body
    assert "Signed-in only need" not in body
    assert "draft need" not in body
    assert "Archived need" not in body
    assert "Coming up for re-procurement" not in body
    assert reverse("pipeline:market-ocds") in body
    assert f'href="/projects/{needs["public"].pk}/"' in body


def test_market_page_for_a_supplier_shows_reprocurements(client_for, supplier, needs, organisation):
    ContractRecordFactory(
        organisation=organisation,
        product="Housing Manager",
        contract_end=TODAY + timedelta(days=100),
        reprocurement_planned=True,
    )
    ContractRecordFactory(
        organisation=organisation,
        product="Not being re-procured",
        contract_end=TODAY + timedelta(days=100),
    )

    response = client_for(supplier).get(reverse("pipeline:market"))

    body = response.content.decode()
    assert "Signed-in only need" in body
    assert "Coming up for re-procurement" in body
    assert "Housing Manager" in body
    assert "Not being re-procured" not in body
    assert "draft need" not in body


def test_market_page_filters_by_borough_and_due_date(
    client_for, supplier, needs, other_organisation
):
    client = client_for(supplier)

    by_borough = client.get(reverse("pipeline:market"), {"borough": other_organisation.slug})
    soon = client.get(reverse("pipeline:market"), {"due_within": "90"})
    nonsense = client.get(reverse("pipeline:market"), {"due_within": "x", "theme": "<script>"})

    assert "Public repairs need" not in by_borough.content.decode()
    assert "Signed-in only need" in by_borough.content.decode()
    assert "Signed-in only need" not in soon.content.decode()
    assert "Public repairs need" in soon.content.decode()
    assert nonsense.status_code == 200
    assert "Signed-in only need" in nonsense.content.decode()


def test_market_page_shows_needs_by_quarter(client, needs):
    body = client.get(reverse("pipeline:market")).content.decode()

    table = body.split('id="needs-by-quarter"')[1].split("</table>")[0]
    assert "When the needs fall due" in table
    assert "No date given" in table


# --- OCDS -----------------------------------------------------------------------------------


def _package(client):
    response = client.get(reverse("pipeline:market-ocds"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_ocds_for_anonymous_visitors_has_public_needs_only(client, needs, organisation):
    ContractRecordFactory(
        organisation=organisation,
        contract_end=TODAY + timedelta(days=90),
        reprocurement_planned=True,
    )

    package = _package(client)

    assert_valid_package(package)
    assert [r["tender"]["title"] for r in package["releases"]] == [
        "Public repairs need",
        "Need with no date",
    ]
    assert package["uri"].endswith(reverse("pipeline:market-ocds"))


def test_ocds_for_a_supplier_adds_reprocurements_within_18_months(
    client_for, supplier, needs, organisation, settings
):
    settings.INTERBOROUGH_OCDS_PREFIX = "ocds-test01"
    due = ContractRecordFactory(
        organisation=organisation,
        product="Housing Manager",
        contract_end=TODAY + timedelta(days=500),
        reprocurement_planned=True,
        annual_value_band=ValueBand.OVER_1M,
        value_is_internal=True,
    )
    ContractRecordFactory(  # beyond 18 months
        organisation=organisation,
        contract_end=TODAY + timedelta(days=600),
        reprocurement_planned=True,
    )
    ContractRecordFactory(  # not being procured again
        organisation=organisation, contract_end=TODAY + timedelta(days=100)
    )

    package = _package(client_for(supplier))

    assert_valid_package(package)
    ocids = [r["ocid"] for r in package["releases"]]
    assert ocids == [
        f"ocds-test01-project-{needs['public'].pk}",
        f"ocds-test01-project-{needs['published'].pk}",
        f"ocds-test01-project-{needs['undated'].pk}",
        f"ocds-test01-contract-{due.pk}",
    ]
    assert all(r["tender"]["status"] == "planning" for r in package["releases"])


def test_ocds_never_shows_internal_values_even_to_the_owner(client_for, member, organisation):
    ContractRecordFactory(
        organisation=organisation,
        contract_end=TODAY + timedelta(days=100),
        reprocurement_planned=True,
        annual_value_band=ValueBand.OVER_1M,
        value_is_internal=True,
    )

    text = json.dumps(_package(client_for(member)))

    assert ValueBand.OVER_1M.label not in text
    assert ValueBand.OVER_1M.value not in text


def test_release_package_is_the_same_twice(member, needs):
    uri = "http://testserver/market/ocds.json"

    first = ocds.release_package(viewer=member, uri=uri)
    second = ocds.release_package(viewer=member, uri=uri)

    assert first == second
    assert first["publishedDate"] == max(r["date"] for r in first["releases"])
