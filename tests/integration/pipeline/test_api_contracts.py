"""API v1 for the contract register, market needs and the OCDS export."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interborough.accounts.models import OrganisationType
from interborough.core.models import AuditEvent
from interborough.pipeline.models import ContractRecord, ProjectStatus, ValueBand
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ContractRecordFactory, ProjectFactory
from tests.integration.api.helpers import ApiClient, assert_error, issue_token
from tests.unit.pipeline.test_ocds import assert_valid_package

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def api(user=None, **token) -> ApiClient:
    return ApiClient(issue_token(user, **token) if user is not None else None)


@pytest.fixture
def supplier(db):
    org = OrganisationFactory(
        name="Civic Software Ltd", slug="civic", type=OrganisationType.SUPPLIER
    )
    return MembershipFactory(organisation=org, role="org_admin").user


@pytest.fixture
def internal(organisation):
    return ContractRecordFactory(
        organisation=organisation,
        product="Housing Manager",
        annual_value_band=ValueBand.OVER_1M,
        value_is_internal=True,
        contract_end=TODAY + timedelta(days=120),
        reprocurement_planned=True,
    )


NEW = {
    "organisation": "camden",
    "product": "Repairs Hub",
    "category": "Repairs",
    "supplier_name": "Civic Software Ltd",
    "supplier": "civic",
    "contract_start": "2024-04-01",
    "contract_end": "2028-03-31",
    "annual_value_band": "25k_100k",
    "value_is_internal": True,
    "reprocurement_planned": True,
}


# --- reading the register ------------------------------------------------------------------


def test_suppliers_never_see_internal_values(supplier, internal):
    listed = api(supplier).get("/contracts")
    one = api(supplier).get(f"/contracts/{internal.pk}")

    assert listed.status_code == one.status_code == 200
    (item,) = listed.json()["items"]
    assert item["product"] == "Housing Manager"
    assert item["annual_value_band"] is None
    assert item["value_is_internal"] is True
    assert one.json()["annual_value_band"] is None
    assert ValueBand.OVER_1M.value not in listed.content.decode()


def test_the_owners_members_see_internal_values(member, internal):
    response = api(member).get(f"/contracts/{internal.pk}")

    assert response.json()["annual_value_band"] == ValueBand.OVER_1M
    assert response.json()["organisation"] == "camden"


def test_a_token_for_another_organisation_hides_internal_values(
    member, internal, other_organisation
):
    MembershipFactory(user=member, organisation=other_organisation)

    through_other = api(member, organisation=other_organisation).get(f"/contracts/{internal.pk}")
    through_own = api(member, organisation=internal.organisation).get(f"/contracts/{internal.pk}")

    assert through_other.json()["annual_value_band"] is None
    assert through_own.json()["annual_value_band"] == ValueBand.OVER_1M


def test_anonymous_callers_cannot_read_the_register(client, internal):
    assert_error(ApiClient().get("/contracts"), 401, "not_authenticated")
    assert_error(ApiClient().get(f"/contracts/{internal.pk}"), 401)


def test_contract_list_filters(member, internal, other_organisation):
    ContractRecordFactory(organisation=other_organisation, product="Revenues Pro")

    def products(**params):
        return [c["product"] for c in api(member).get("/contracts", params).json()["items"]]

    assert products() == ["Housing Manager", "Revenues Pro"]
    assert products(organisation="hackney") == ["Revenues Pro"]
    assert products(ending_within_days=180, reprocurement_only="true") == ["Housing Manager"]
    assert products(q="revenues") == ["Revenues Pro"]


def test_contract_list_refuses_an_absurd_window(member):
    error = assert_error(api(member).get("/contracts", {"ending_within_days": 0}), 422)

    assert error["fields"][0]["field"] == "ending_within_days"


def test_missing_contract_is_404(member):
    assert_error(api(member).get("/contracts/999999"), 404, "not_found")


# --- writing ----------------------------------------------------------------------------------


def test_publisher_creates_a_contract(publisher, organisation, supplier):
    response = api(publisher).post("/contracts", NEW)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["supplier"] == "civic"
    assert body["annual_value_band"] == "25k_100k"  # the owner sees their own value
    contract = ContractRecord.objects.get(pk=body["id"])
    assert contract.organisation == organisation
    assert AuditEvent.objects.filter(action="contract.create").count() == 1


def test_create_lists_every_wrong_field(publisher, organisation):
    response = api(publisher).post(
        "/contracts",
        {
            **NEW,
            "supplier": "camden",
            "contract_start": "2029-01-01",
            "contract_notice_url": "notaurl",
        },
    )

    error = assert_error(response, 422, "validation_error")
    assert {f["field"] for f in error["fields"]} == {
        "supplier",
        "contract_end",
        "contract_notice_url",
    }
    assert not ContractRecord.objects.exists()


def test_create_refuses_missing_required_fields(publisher, organisation):
    error = assert_error(api(publisher).post("/contracts", {"organisation": "camden"}), 422)

    assert {f["field"] for f in error["fields"]} == {"product", "supplier_name"}


def test_create_for_an_unknown_organisation_is_a_field_error(publisher):
    error = assert_error(api(publisher).post("/contracts", {**NEW, "organisation": "nowhere"}), 400)

    assert error["fields"] == [
        {"field": "organisation", "message": "There is no active organisation with this slug."}
    ]


def test_plain_members_and_suppliers_cannot_create(member, supplier, organisation):
    assert_error(api(member).post("/contracts", {**NEW, "supplier": None}), 403)
    assert_error(api(supplier).post("/contracts", {**NEW, "supplier": None}), 403)
    assert not ContractRecord.objects.exists()


def test_a_token_for_another_organisation_cannot_write(publisher, organisation, other_organisation):
    MembershipFactory(user=publisher, organisation=other_organisation, role="publisher")
    client = api(publisher, organisation=other_organisation)

    assert_error(client.post("/contracts", {**NEW, "supplier": None}), 403, "insufficient_scope")


def test_a_read_token_cannot_write(publisher, organisation):
    client = api(publisher, scope="read")

    assert_error(client.post("/contracts", {**NEW, "supplier": None}), 403, "insufficient_scope")


def test_patch_changes_only_the_fields_sent(publisher, internal):
    response = api(publisher).request(
        "PATCH", f"/contracts/{internal.pk}", b'{"notes": "Extension agreed", "supplier": null}'
    )

    assert response.status_code == 200, response.content
    internal.refresh_from_db()
    assert internal.notes == "Extension agreed"
    assert internal.product == "Housing Manager"
    assert internal.annual_value_band == ValueBand.OVER_1M
    assert internal.value_is_internal is True


def test_patch_checks_the_merged_record(publisher, internal):
    response = api(publisher).request(
        "PATCH", f"/contracts/{internal.pk}", b'{"contract_start": "2099-01-01"}'
    )

    error = assert_error(response, 422)
    assert error["fields"][0]["field"] == "contract_end"


def test_patch_by_another_organisation_is_refused(other_publisher, internal):
    response = api(other_publisher).request(
        "PATCH", f"/contracts/{internal.pk}", b'{"notes": "Meddled"}'
    )

    assert_error(response, 403, "permission_denied")
    internal.refresh_from_db()
    assert internal.notes == ""


def test_delete(org_admin, internal):
    response = api(org_admin).request("DELETE", f"/contracts/{internal.pk}")

    assert response.status_code == 204
    assert not ContractRecord.objects.exists()


def test_delete_by_staff_is_refused(staff, internal):
    assert_error(api(staff).request("DELETE", f"/contracts/{internal.pk}"), 403)
    assert ContractRecord.objects.filter(pk=internal.pk).exists()


# --- market needs and OCDS ---------------------------------------------------------------------


@pytest.fixture
def needs(organisation, other_organisation):
    def make(org, title, **fields):
        return ProjectFactory(
            organisation=org,
            title=title,
            market_engagement_wanted=True,
            market_need="A product that does this.",
            **fields,
        )

    return [
        make(organisation, "Public need", status=ProjectStatus.PUBLISHED, is_public=True),
        make(other_organisation, "Members' need", status=ProjectStatus.PUBLISHED),
        make(organisation, "Draft need", is_public=True),
        make(other_organisation, "Hackney draft need"),
    ]


def test_anonymous_callers_see_public_market_needs_only(client, needs):
    response = ApiClient().get("/market-needs")

    assert response.status_code == 200
    assert [n["title"] for n in response.json()["items"]] == ["Public need"]
    assert response.json()["items"][0]["themes"] == ["housing"]


def test_suppliers_see_all_published_needs_and_no_drafts(supplier, needs):
    response = api(supplier).get("/market-needs")

    assert sorted(n["title"] for n in response.json()["items"]) == ["Members' need", "Public need"]


def test_a_bad_token_on_a_public_endpoint_is_401(needs):
    assert_error(ApiClient("not-a-real-token").get("/market-needs"), 401)


def test_ocds_endpoint_returns_a_release_package(supplier, needs, internal):
    anonymous = ApiClient().get("/market/ocds")
    signed_in = api(supplier).get("/market/ocds")

    assert_valid_package(anonymous.json())
    assert_valid_package(signed_in.json())
    assert [r["tender"]["title"] for r in anonymous.json()["releases"]] == ["Public need"]
    titles = [r["tender"]["title"] for r in signed_in.json()["releases"]]
    assert titles[-1].startswith("Re-procurement of Housing Manager")
    assert "Draft need" not in titles
    assert ValueBand.OVER_1M.value not in signed_in.content.decode()
