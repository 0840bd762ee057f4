"""The contract register: its one set of rules, its writes, its reads and its pages."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import OrganisationType
from interborough.core.models import AuditEvent
from interborough.pipeline.models import ContractRecord, ValueBand
from interborough.pipeline.selectors import contracts as selectors
from interborough.pipeline.services.contracts import (
    ContractInput,
    ContractLookups,
    clean_contract_input,
    contract_create,
    contract_delete,
    contract_update,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ContractRecordFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
VALID = ContractInput(
    product="  Housing   Manager ",
    category="Housing management",
    supplier_name="Civic Software Ltd",
    contract_start=date(2022, 4, 1),
    contract_end=date(2027, 3, 31),
    annual_value_band=ValueBand.FROM_100K,
    value_is_internal=True,
    contract_notice_url="https://www.contractsfinder.service.gov.uk/Notice/abc",
    reprocurement_planned=True,
)


@pytest.fixture
def supplier_org(db):
    return OrganisationFactory(
        name="Civic Software Ltd", slug="civic-software", type=OrganisationType.SUPPLIER
    )


@pytest.fixture
def supplier_person(supplier_org):
    return MembershipFactory(organisation=supplier_org, role="org_admin").user


# --- clean_contract_input ------------------------------------------------------------------


def test_clean_contract_input_returns_model_fields(supplier_org):
    values = clean_contract_input(
        data=ContractInput(**{**VALID.__dict__, "supplier": "civic-software"})
    )

    assert values["product"] == "Housing Manager"
    assert values["supplier"] == supplier_org
    assert values["annual_value_band"] == ValueBand.FROM_100K
    assert values["value_is_internal"] is True
    assert values["contract_end"] == date(2027, 3, 31)
    assert set(values) <= {f.name for f in ContractRecord._meta.fields}


def test_clean_contract_input_lists_every_wrong_field(organisation):
    bad = ContractInput(
        product="",
        category="x" * 101,
        supplier_name="Bidi\u202eLtd",
        supplier=organisation.slug,  # a council, not a supplier
        contract_start=date(2027, 1, 1),
        contract_end=date(2026, 1, 1),
        annual_value_band="priceless",
        contract_notice_url="javascript:alert(1)",
        notes="n" * 1001,
    )

    with pytest.raises(ValidationError) as caught:
        clean_contract_input(data=bad)

    errors = caught.value.message_dict
    assert set(errors) == {
        "product",
        "category",
        "supplier_name",
        "supplier",
        "contract_end",
        "annual_value_band",
        "contract_notice_url",
        "notes",
    }
    assert errors["product"] == ["Enter the product."]
    assert "on or after the start date" in errors["contract_end"][0]
    assert "no active supplier “camden”" in errors["supplier"][0]


def test_clean_contract_input_uses_the_lookups_it_is_given(supplier_org, django_assert_num_queries):
    lookups = ContractLookups.load()
    data = ContractInput(product="CRM", supplier_name="Civic", supplier="civic-software")

    with django_assert_num_queries(0):
        for _ in range(3):
            assert clean_contract_input(data=data, lookups=lookups)["supplier"] == supplier_org


def test_inactive_supplier_is_refused(supplier_org):
    supplier_org.is_active = False
    supplier_org.save()

    with pytest.raises(ValidationError) as caught:
        clean_contract_input(
            data=ContractInput(product="CRM", supplier_name="C", supplier="civic-software")
        )

    assert set(caught.value.message_dict) == {"supplier"}


# --- services -------------------------------------------------------------------------------


def test_contract_create_saves_the_record_with_audit(publisher, organisation):
    contract = contract_create(by=publisher, organisation=organisation, data=VALID)

    assert contract.organisation == organisation
    assert contract.product == "Housing Manager"
    assert contract.created_by == publisher
    event = AuditEvent.objects.get(action="contract.create")
    assert event.object_id == str(contract.pk)
    assert event.organisation == organisation
    assert event.changes["after"]["annual_value_band"] == ValueBand.FROM_100K


@pytest.mark.parametrize("who", ["member", "staff", "other_publisher"])
def test_contract_create_refuses_anyone_but_publishers_and_admins(who, request, organisation):
    person = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        contract_create(by=person, organisation=organisation, data=VALID)
    assert not ContractRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="contract.create").exists()


def test_contract_create_for_a_deactivated_organisation_is_refused(org_admin, organisation):
    organisation.is_active = False
    organisation.save()

    with pytest.raises(PermissionDenied):
        contract_create(by=org_admin, organisation=organisation, data=VALID)


def test_contract_create_writes_nothing_when_a_field_is_wrong(publisher, organisation):
    with pytest.raises(ValidationError):
        contract_create(by=publisher, organisation=organisation, data=ContractInput(product="CRM"))
    assert not ContractRecord.objects.exists()
    assert not AuditEvent.objects.exists()


def test_contract_update_records_what_changed(publisher, organisation):
    contract = contract_create(by=publisher, organisation=organisation, data=VALID)

    contract_update(
        by=publisher,
        contract=contract,
        data=ContractInput(
            **{**VALID.__dict__, "notes": "Extension agreed", "value_is_internal": False}
        ),
    )

    contract.refresh_from_db()
    assert contract.notes == "Extension agreed"
    event = AuditEvent.objects.get(action="contract.update")
    assert event.changes["before"] == {"notes": "", "value_is_internal": True}
    assert event.changes["after"] == {"notes": "Extension agreed", "value_is_internal": False}


def test_contract_update_refuses_another_organisations_publisher(other_publisher, organisation):
    contract = ContractRecordFactory(organisation=organisation, notes="Original")

    with pytest.raises(PermissionDenied):
        contract_update(by=other_publisher, contract=contract, data=VALID)
    contract.refresh_from_db()
    assert contract.notes == "Original"


def test_contract_delete_removes_it_and_keeps_it_in_the_audit(org_admin, organisation):
    contract = ContractRecordFactory(organisation=organisation, product="Old CRM")
    pk = contract.pk

    contract_delete(by=org_admin, contract=contract)

    assert not ContractRecord.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="contract.delete")
    assert event.object_id == str(pk)
    assert event.changes["before"]["product"] == "Old CRM"


def test_contract_delete_refuses_a_plain_member(member, organisation):
    contract = ContractRecordFactory(organisation=organisation)

    with pytest.raises(PermissionDenied):
        contract_delete(by=member, contract=contract)
    assert ContractRecord.objects.filter(pk=contract.pk).exists()


# --- selectors ------------------------------------------------------------------------------


def test_contract_list_is_empty_for_anonymous_visitors(organisation):
    from django.contrib.auth.models import AnonymousUser

    ContractRecordFactory(organisation=organisation)

    assert not selectors.contract_list(viewer=AnonymousUser()).exists()


def test_contract_list_filters(member, organisation, other_organisation, supplier_org):
    soon = ContractRecordFactory(
        organisation=organisation,
        product="Housing Manager",
        supplier_name="Civic Software Ltd",
        contract_end=TODAY + timedelta(days=60),
        reprocurement_planned=True,
    )
    later = ContractRecordFactory(
        organisation=other_organisation,
        product="Revenues Pro",
        category="Revenues and benefits",
        supplier_name="Other Co",
        supplier=supplier_org,
        contract_end=TODAY + timedelta(days=400),
    )
    ended = ContractRecordFactory(
        organisation=organisation, product="Old CRM", contract_end=TODAY - timedelta(days=1)
    )

    def ids(**filters):
        return {c.pk for c in selectors.contract_list(viewer=member, **filters)}

    assert ids() == {soon.pk, later.pk, ended.pk}
    assert ids(q="revenues") == {later.pk}
    assert ids(product="housing") == {soon.pk}
    assert ids(supplier="civic") == {soon.pk}
    assert ids(supplier="civic-software") == {later.pk}
    assert ids(organisation=other_organisation.slug) == {later.pk}
    assert ids(ending_within_days=90) == {soon.pk}
    assert ids(ending_within_days=500) == {soon.pk, later.pk}
    assert ids(reprocurement_only=True) == {soon.pk}


def test_contract_list_hides_deactivated_organisations(member, other_organisation):
    ContractRecordFactory(organisation=other_organisation)
    other_organisation.is_active = False
    other_organisation.save()

    assert not selectors.contract_list(viewer=member).exists()


def test_product_peers_are_other_organisations_with_the_same_product_and_supplier(
    member, organisation, other_organisation
):
    mine = ContractRecordFactory(
        organisation=organisation, product="Housing Manager", supplier_name="Civic Software Ltd"
    )
    peer = ContractRecordFactory(
        organisation=other_organisation,
        product="housing manager",
        supplier_name="CIVIC SOFTWARE LTD",
    )
    ContractRecordFactory(  # same product from a reseller: not the same deal
        organisation=other_organisation, product="Housing Manager", supplier_name="Resale Ltd"
    )
    ContractRecordFactory(  # the same organisation is not a peer
        organisation=organisation, product="Housing Manager", supplier_name="Civic Software Ltd"
    )
    third = OrganisationFactory()
    ContractRecordFactory(
        organisation=third, product="Housing Manager 2", supplier_name="Civic Software Ltd"
    )

    peers = list(selectors.product_peers(viewer=member, contract=mine))

    assert peers == [peer]


def test_products_summary_counts_organisations_per_product(
    member, organisation, other_organisation
):
    ContractRecordFactory(organisation=organisation, product="Housing Manager")
    ContractRecordFactory(organisation=organisation, product="housing manager")
    ContractRecordFactory(organisation=other_organisation, product="HOUSING MANAGER")
    ContractRecordFactory(organisation=other_organisation, product="Revenues Pro")

    summary = selectors.products_summary(viewer=member)

    assert [row["organisations"] for row in summary] == [2, 1]
    assert summary[0]["product"].lower() == "housing manager"
    assert summary[1]["product"] == "Revenues Pro"


def test_upcoming_reprocurements_are_planned_and_soon(member, organisation):
    due = ContractRecordFactory(
        organisation=organisation,
        contract_end=TODAY + timedelta(days=300),
        reprocurement_planned=True,
    )
    ContractRecordFactory(
        organisation=organisation,
        contract_end=TODAY + timedelta(days=300),
        reprocurement_planned=False,
    )
    ContractRecordFactory(
        organisation=organisation,
        contract_end=TODAY + timedelta(days=900),
        reprocurement_planned=True,
    )

    assert list(selectors.upcoming_reprocurements(viewer=member)) == [due]


def test_value_visibility_follows_permissions(
    member, organisation, other_organisation, supplier_person
):
    internal = ContractRecordFactory(organisation=organisation, value_is_internal=True)
    public = ContractRecordFactory(organisation=other_organisation, value_is_internal=False)

    assert selectors.value_visibility(member)(internal) is True
    assert selectors.value_visibility(supplier_person)(internal) is False
    assert selectors.value_visibility(supplier_person)(public) is True


# --- pages ----------------------------------------------------------------------------------


def _internal_contract(organisation):
    return ContractRecordFactory(
        organisation=organisation,
        product="Housing Manager",
        supplier_name="Civic Software Ltd",
        annual_value_band=ValueBand.OVER_1M,
        value_is_internal=True,
        contract_end=TODAY + timedelta(days=200),
    )


def test_register_shows_internal_values_only_to_the_owners(
    client_for, member, supplier_person, organisation
):
    _internal_contract(organisation)
    label = ValueBand.OVER_1M.label

    own = client_for(member).get(reverse("pipeline:contract-list"))
    supplier = client_for(supplier_person).get(reverse("pipeline:contract-list"))

    assert own.status_code == supplier.status_code == 200
    assert label in own.content.decode()
    body = supplier.content.decode()
    assert "Housing Manager" in body
    assert label not in body
    assert ">Internal<" in body


def test_register_needs_signing_in(client, organisation):
    response = client.get(reverse("pipeline:contract-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_register_filters_by_query(client_for, member, organisation, other_organisation):
    ContractRecordFactory(organisation=organisation, product="Housing Manager")
    ContractRecordFactory(organisation=other_organisation, product="Revenues Pro")

    response = client_for(member).get(
        reverse("pipeline:contract-list"), {"organisation": other_organisation.slug}
    )

    listed = response.content.decode().split('id="contracts"')[1]  # not "most used systems"
    assert "Revenues Pro" in listed
    assert "Housing Manager" not in listed


def test_register_ignores_filter_values_it_cannot_use(client_for, member, organisation):
    ContractRecordFactory(organisation=organisation, product="Housing Manager")

    response = client_for(member).get(
        reverse("pipeline:contract-list"), {"ending_within": "banana", "organisation": "nowhere"}
    )

    assert response.status_code == 200
    assert "Housing Manager" in response.content.decode()


def test_contract_page_lists_who_else_uses_the_product(
    client_for, supplier_person, organisation, other_organisation
):
    contract = _internal_contract(organisation)
    ContractRecordFactory(
        organisation=other_organisation,
        product="housing manager",
        supplier_name="Civic Software Ltd",
        annual_value_band=ValueBand.UNDER_25K,
    )

    response = client_for(supplier_person).get(
        reverse("pipeline:contract-detail", args=[contract.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Who else uses this product" in body
    assert other_organisation.name in body
    assert ValueBand.UNDER_25K.label in body
    assert ValueBand.OVER_1M.label not in body
    assert "Edit this record" not in body


def test_contract_page_of_a_missing_record_is_404(client_for, member):
    assert (
        client_for(member).get(reverse("pipeline:contract-detail", args=[999999])).status_code
        == 404
    )


def test_contract_page_offers_editing_to_publishers(client_for, publisher, organisation):
    contract = _internal_contract(organisation)

    response = client_for(publisher).get(reverse("pipeline:contract-detail", args=[contract.pk]))

    assert "Edit this record" in response.content.decode()


FORM = {
    "product": "Repairs Hub",
    "category": "Repairs",
    "supplier_name": "Civic Software Ltd",
    "supplier": "civic-software",
    "contract_start": "1/4/2024",
    "contract_end": "31/3/2028",
    "annual_value_band": "25k_100k",
    "contract_notice_url": "",
    "notes": "",
}


def test_publisher_adds_a_contract(client_for, publisher, organisation, supplier_org):
    response = client_for(publisher).post(reverse("pipeline:contract-create"), FORM)

    contract = ContractRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:contract-detail", args=[contract.pk])
    assert contract.organisation == organisation
    assert contract.supplier == supplier_org
    assert contract.contract_end == date(2028, 3, 31)
    assert contract.value_is_internal is False


def test_someone_publishing_for_two_organisations_chooses_one(
    client_for, publisher, organisation, other_organisation
):
    MembershipFactory(user=publisher, organisation=other_organisation, role="org_admin")
    client = client_for(publisher)

    form_page = client.get(reverse("pipeline:contract-create"))
    missing = client.post(reverse("pipeline:contract-create"), {**FORM, "supplier": ""})
    chosen = client.post(
        reverse("pipeline:contract-create"),
        {**FORM, "supplier": "", "organisation": other_organisation.slug},
    )

    assert other_organisation.name in form_page.content.decode()
    assert "Choose the organisation." in missing.content.decode()
    assert chosen.status_code == 302
    assert ContractRecord.objects.get().organisation == other_organisation


def test_add_form_shows_every_problem_in_the_error_summary(client_for, publisher, organisation):
    response = client_for(publisher).post(
        reverse("pipeline:contract-create"),
        {
            **FORM,
            "product": "",
            "supplier": "",
            "contract_start": "1/4/2030",
            "contract_end": "not a date",
            "contract_notice_url": "ftp://example.org",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter the product." in body
    assert "Enter the contract end date as a date" in body
    assert not ContractRecord.objects.exists()


def test_add_form_shows_service_errors_on_their_fields(client_for, publisher, organisation):
    response = client_for(publisher).post(
        reverse("pipeline:contract-create"),
        {**FORM, "supplier": "", "contract_notice_url": "ftp://example.org"},
    )

    body = response.content.decode()
    assert "There is a problem" in body
    assert "contract notice link as a web address" in body
    assert "govuk-input--error" in body
    assert not ContractRecord.objects.exists()


def test_add_page_refuses_people_who_publish_for_nobody(client_for, member, supplier_person):
    assert client_for(member).get(reverse("pipeline:contract-create")).status_code == 403


def test_add_page_refuses_an_organisation_the_person_does_not_publish_for(
    client_for, publisher, other_organisation
):
    url = reverse("pipeline:contract-create") + f"?organisation={other_organisation.slug}"

    response = client_for(publisher).post(url, {**FORM, "supplier": ""})

    assert response.status_code == 403
    assert not ContractRecord.objects.exists()


def test_publisher_edits_a_contract(client_for, publisher, organisation):
    contract = _internal_contract(organisation)
    client = client_for(publisher)

    page = client.get(reverse("pipeline:contract-edit", args=[contract.pk]))
    response = client.post(
        reverse("pipeline:contract-edit", args=[contract.pk]),
        {**FORM, "supplier": "", "product": "Housing Manager", "value_is_internal": "on"},
    )

    assert 'value="Housing Manager"' in page.content.decode()
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.category == "Repairs"
    assert contract.value_is_internal is True


def test_edit_refuses_a_plain_member(client_for, member, organisation):
    contract = _internal_contract(organisation)

    response = client_for(member).post(
        reverse("pipeline:contract-edit", args=[contract.pk]), {**FORM, "supplier": ""}
    )

    assert response.status_code == 403
    contract.refresh_from_db()
    assert contract.product == "Housing Manager"


def test_delete_asks_then_deletes(client_for, org_admin, organisation):
    contract = _internal_contract(organisation)
    client = client_for(org_admin)

    confirm = client.get(reverse("pipeline:contract-delete", args=[contract.pk]))
    response = client.post(reverse("pipeline:contract-delete", args=[contract.pk]))

    assert "You cannot undo this." in confirm.content.decode()
    assert ContractRecord.objects.filter(pk=contract.pk).exists() is False
    assert response["Location"] == reverse("pipeline:contract-list")


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_blanks_internal_values_for_outsiders(
    client_for, member, supplier_person, organisation
):
    _internal_contract(organisation)

    own = _csv(client_for(member).get(reverse("pipeline:contract-export-csv")))
    outsider = _csv(client_for(supplier_person).get(reverse("pipeline:contract-export-csv")))

    assert own[0]["annual_value_band"] == ValueBand.OVER_1M
    assert outsider[0]["annual_value_band"] == ""
    assert outsider[0]["value_is_internal"] == "yes"
    assert outsider[0]["product"] == "Housing Manager"


def test_csv_export_is_formula_safe_and_filtered(
    client_for, member, organisation, other_organisation
):
    ContractRecordFactory(organisation=organisation, product='=HYPERLINK("http://x")')
    ContractRecordFactory(organisation=other_organisation, product="Revenues Pro")

    response = client_for(member).get(
        reverse("pipeline:contract-export-csv"), {"organisation": organisation.slug}
    )

    rows = _csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="contracts.csv"'
    assert [r["product"] for r in rows] == ['\'=HYPERLINK("http://x")']
