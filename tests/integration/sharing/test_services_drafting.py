"""Drafting services: start, import, change a section, submit, withdraw, start a new version."""

import copy

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.sharing.document import SECTIONS, text_hash
from interborough.sharing.models import AgreementStatus, DataSharingAgreement
from interborough.sharing.services import (
    agreement_create,
    agreement_import,
    agreement_new_version,
    agreement_section_update,
    agreement_submit,
    agreement_withdraw,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalogue import DatasetFactory
from tests.factories.sharing import agreement_row, dataset_entry, full_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafter(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def camden_lead(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def hackney_lead(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="ig_lead").user


def _fill(agreement, by, document):
    """Every section of `document` written into the draft, one section at a time."""
    for section in SECTIONS:
        values = {k: document[k] for k in section.keys if k != "supersedes"}
        agreement = agreement_section_update(
            by=by, agreement=agreement, section=section.slug, values=values
        )
    return agreement


@pytest.fixture
def complete_draft(drafter, organisation, other_organisation):
    agreement = agreement_create(
        by=drafter, organisation=organisation, title="Placements", parties=[other_organisation]
    )
    return _fill(agreement, drafter, full_document([organisation, other_organisation]))


# --- agreement_create ---------------------------------------------------------------------


def test_agreement_create_starts_a_blank_draft_with_the_parties_prefilled(
    drafter, organisation, other_organisation
):
    organisation.ico_registration = "Z7654321"
    organisation.save()

    agreement = agreement_create(
        by=drafter, organisation=organisation, title="  Placements ", parties=[other_organisation]
    )

    assert agreement.status == AgreementStatus.DRAFT
    assert (agreement.version, agreement.title, agreement.template) == (1, "Placements", "")
    assert agreement.lead_organisation == organisation and agreement.created_by == drafter
    document = agreement.document
    assert document["reference"] == agreement.reference and document["version"] == 1
    assert [p["organisation"] for p in document["parties"]] == ["camden", "hackney"]
    assert document["parties"][0]["ico_registration"] == "Z7654321"
    assert document["parties"][1]["name"] == "London Borough of Hackney"
    assert {p.organisation.slug for p in agreement.parties.all()} == {"camden", "hackney"}
    assert not agreement.in_register  # nobody has said yes to publishing yet
    event = AuditEvent.objects.get(action="agreement.create")
    assert event.changes["after"]["parties"] == ["camden", "hackney"]


def test_agreement_create_from_a_template_prefills_it(drafter, organisation, other_organisation):
    agreement = agreement_create(
        by=drafter,
        organisation=organisation,
        title="Placements",
        template="homelessness-ta",
        parties=[other_organisation],
    )

    assert agreement.template == "homelessness-ta"
    assert agreement.document["purpose"]["description"]
    assert agreement.document["data"]["datasets"]
    assert agreement.coverage.count() == len(agreement.document["data"]["datasets"])


def test_agreement_create_allocates_references_in_sequence(drafter, organisation):
    first = agreement_create(by=drafter, organisation=organisation, title="One")
    second = agreement_create(by=drafter, organisation=organisation, title="Two")

    prefix, year, number = first.reference.split("-")
    assert (prefix, len(year), number) == ("DSA", 4, "0001")
    assert second.reference == f"DSA-{year}-0002"


def test_agreement_create_tries_the_next_reference_when_one_is_taken(
    drafter, organisation, monkeypatch
):
    from interborough.sharing.services import drafting

    taken = agreement_create(by=drafter, organisation=organisation, title="One")
    calls = iter([taken.reference])  # as if another request had chosen it at the same moment
    real = drafting._next_reference
    monkeypatch.setattr(drafting, "_next_reference", lambda year: next(calls, None) or real(year))

    agreement = agreement_create(by=drafter, organisation=organisation, title="Two")

    assert agreement.reference != taken.reference
    assert DataSharingAgreement.objects.count() == 2


def test_agreement_create_refuses_people_who_do_not_draft_for_the_organisation(
    organisation, other_organisation
):
    member = MembershipFactory(organisation=organisation, role="member").user
    elsewhere = MembershipFactory(organisation=other_organisation, role="publisher").user

    for person in (member, elsewhere):
        with pytest.raises(PermissionDenied):
            agreement_create(by=person, organisation=organisation, title="Placements")
    assert not DataSharingAgreement.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Placements", "template": "no-such-template"}, "template"),
    ],
)
def test_agreement_create_refuses_bad_input(drafter, organisation, values, field):
    with pytest.raises(ApplicationError) as refused:
        agreement_create(by=drafter, organisation=organisation, **values)

    assert refused.value.field == field
    assert not DataSharingAgreement.objects.exists()


def test_agreement_create_refuses_an_inactive_party(drafter, organisation):
    gone = OrganisationFactory(name="Old Borough", is_active=False)

    with pytest.raises(ApplicationError, match="Old Borough"):
        agreement_create(by=drafter, organisation=organisation, title="T", parties=[gone])


# --- agreement_import ----------------------------------------------------------------------


def test_agreement_import_makes_a_new_draft_under_a_new_reference(
    drafter, organisation, other_organisation
):
    document = full_document([other_organisation, organisation], reference="DSA-1999-0042")
    document["version"] = 7

    agreement = agreement_import(by=drafter, organisation=organisation, document=document)

    assert agreement.reference != "DSA-1999-0042"
    assert agreement.document["reference"] == agreement.reference
    assert agreement.document["version"] == 1
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.title == document["title"]
    assert agreement.in_register and agreement.public_summary
    assert agreement.start_date.isoformat() == document["dates"]["start"]
    assert agreement.coverage.get().key == "placements"
    assert AuditEvent.objects.filter(action="agreement.import").exists()


def test_agreement_import_adds_the_organisation_as_a_party_when_missing(
    drafter, organisation, other_organisation
):
    third = OrganisationFactory()
    document = full_document([other_organisation, third])

    agreement = agreement_import(by=drafter, organisation=organisation, document=document)

    assert agreement.document["parties"][0]["organisation"] == organisation.slug
    assert agreement.parties.count() == 3


def test_agreement_import_refuses_a_document_the_schema_rejects(
    drafter, organisation, other_organisation
):
    document = full_document([organisation, other_organisation])
    document["dates"]["start"] = "next Tuesday"
    document["processing"]["permitted_operations"] = ["read", "sell"]

    with pytest.raises(ValidationError) as refused:
        agreement_import(by=drafter, organisation=organisation, document=document)

    paths = refused.value.message_dict
    assert "dates.start" in paths
    assert any(p.startswith("processing.permitted_operations") for p in paths)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_refuses_unknown_organisations_and_datasets(drafter, organisation):
    stranger = OrganisationFactory.build(slug="nowhere", name="Nowhere")
    document = full_document(
        [organisation, stranger],
        datasets=[dataset_entry(organisation, catalogue_dataset="no-such-data")],
    )

    with pytest.raises(ValidationError) as refused:
        agreement_import(by=drafter, organisation=organisation, document=document)

    messages = refused.value.message_dict
    assert "nowhere" in " ".join(messages["parties.1.organisation"])
    assert "no-such-data" in " ".join(messages["data.datasets.0.catalogue_dataset"])
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_refuses_sharing_a_dataset_another_organisation_publishes(
    drafter, organisation, other_organisation
):
    third = OrganisationFactory(name="Borough of Elsewhere")
    DatasetFactory(publisher=third, slug="elsewhere-data")
    own = DatasetFactory(publisher=organisation, slug="camden-data")
    entries = [
        dataset_entry(organisation, key="theirs", catalogue_dataset="elsewhere-data"),
        dataset_entry(other_organisation, key="mislabelled", catalogue_dataset="camden-data"),
    ]
    document = full_document([organisation, other_organisation], datasets=entries)

    with pytest.raises(ValidationError) as refused:
        agreement_import(by=drafter, organisation=organisation, document=document)

    messages = refused.value.message_dict
    assert "published by Borough of Elsewhere" in messages["data.datasets.0.catalogue_dataset"][0]
    assert (
        "published by London Borough of Camden"
        in (messages["data.datasets.1.catalogue_dataset"][0])
    )
    entries[1]["provided_by"] = organisation.slug
    document = full_document([organisation, other_organisation], datasets=entries[1:])
    agreement = agreement_import(by=drafter, organisation=organisation, document=document)
    assert agreement.coverage.get().dataset == own


@pytest.mark.parametrize("document", [["a list"], {"format": "interborough-dsa/1"}])
def test_agreement_import_refuses_a_document_without_a_title_or_not_a_mapping(
    drafter, organisation, document
):
    with pytest.raises(ValidationError):
        agreement_import(by=drafter, organisation=organisation, document=document)


def test_agreement_import_refuses_people_who_do_not_draft(organisation, other_organisation):
    member = MembershipFactory(organisation=organisation, role="member").user

    with pytest.raises(PermissionDenied):
        agreement_import(
            by=member,
            organisation=organisation,
            document=full_document([organisation, other_organisation]),
        )


# --- agreement_section_update ----------------------------------------------------------------


def test_agreement_section_update_replaces_the_sections_keys_and_audits_only_changes(
    drafter, organisation, other_organisation
):
    agreement = agreement_create(
        by=drafter, organisation=organisation, title="Placements", parties=[other_organisation]
    )
    purpose = full_document([organisation, other_organisation])["purpose"]

    agreement = agreement_section_update(
        by=drafter, agreement=agreement, section="purpose", values={"purpose": purpose}
    )

    agreement.refresh_from_db()
    assert agreement.document["purpose"] == purpose
    event = AuditEvent.objects.get(action="agreement.section_update")
    assert event.changes["after"]["section"] == "purpose"
    assert event.changes["after"]["purpose.description"] == purpose["description"]
    assert event.changes["before"]["purpose.description"] == ""
    assert not any(k.startswith("parties") for k in event.changes["after"])

    agreement_section_update(
        by=drafter, agreement=agreement, section="purpose", values={"purpose": purpose}
    )
    assert AuditEvent.objects.filter(action="agreement.section_update").count() == 1


def test_agreement_section_update_recopies_columns_parties_and_coverage(
    drafter, organisation, other_organisation
):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")
    dataset = DatasetFactory(publisher=organisation, slug="placements-data")
    document = full_document(
        [organisation, other_organisation],
        datasets=[
            dataset_entry(
                organisation, catalogue_dataset="placements-data", fields={"uprn": "keyed_hash"}
            )
        ],
    )

    for section in ("about", "parties", "data", "register"):
        keys = {"about": ("title", "dates")}.get(section, (section,))
        agreement = agreement_section_update(
            by=drafter,
            agreement=agreement,
            section=section,
            values={k: document[k] for k in keys},
        )

    agreement.refresh_from_db()
    assert agreement.title == document["title"]
    assert agreement.end_date.isoformat() == document["dates"]["end"]
    assert agreement.in_register and agreement.public_summary
    assert {p.organisation for p in agreement.parties.all()} == {organisation, other_organisation}
    coverage = agreement.coverage.get()
    assert (coverage.dataset, coverage.fields) == (dataset, {"uprn": "keyed_hash"})


def test_agreement_section_update_refuses_values_the_schema_rejects(drafter, organisation):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")

    with pytest.raises(ValidationError) as refused:
        agreement_section_update(
            by=drafter,
            agreement=agreement,
            section="about",
            values={"title": "Placements", "dates": {"start": "soon", "end": None, "review": None}},
        )

    assert "dates.start" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.document["dates"]["start"] is None


def test_agreement_section_update_refuses_an_unknown_organisation(drafter, organisation):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")
    parties = [*agreement.document["parties"], {**agreement.document["parties"][0]}]
    parties[1]["organisation"] = "atlantis"

    with pytest.raises(ValidationError) as refused:
        agreement_section_update(
            by=drafter, agreement=agreement, section="parties", values={"parties": parties}
        )

    assert "atlantis" in refused.value.message_dict["parties.1.organisation"][0]
    assert agreement.parties.count() == 1


def test_agreement_section_update_keeps_the_lead_organisation_a_party(
    drafter, organisation, other_organisation
):
    agreement = agreement_create(
        by=drafter, organisation=organisation, title="Placements", parties=[other_organisation]
    )

    with pytest.raises(ValidationError) as refused:
        agreement_section_update(
            by=drafter,
            agreement=agreement,
            section="parties",
            values={"parties": agreement.document["parties"][1:]},
        )

    assert "keep it a party" in refused.value.message_dict["parties"][0]


def test_agreement_section_update_refuses_keys_of_another_section(drafter, organisation):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")

    with pytest.raises(ApplicationError, match="has no ethics"):
        agreement_section_update(
            by=drafter, agreement=agreement, section="purpose", values={"ethics": {}}
        )
    with pytest.raises(ApplicationError, match="no section"):
        agreement_section_update(by=drafter, agreement=agreement, section="money", values={})


def test_agreement_section_update_never_changes_what_the_platform_sets(drafter, organisation):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")
    dates = {"start": "2030-01-01", "end": "2031-01-01", "review": "2030-06-01"}

    agreement = agreement_section_update(
        by=drafter,
        agreement=agreement,
        section="about",
        values={"title": "New", "dates": dates, "supersedes": 9},
    )

    assert agreement.document["supersedes"] is None
    assert agreement.document["title"] == "New"


def test_agreement_section_update_refuses_other_organisations_and_agreed_versions(
    drafter, organisation, other_organisation
):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")
    elsewhere = MembershipFactory(organisation=other_organisation, role="publisher").user
    agreed = agreement_row([organisation, other_organisation], status=AgreementStatus.ACTIVE)
    values = {"ethics": full_document([organisation])["ethics"]}

    with pytest.raises(PermissionDenied):
        agreement_section_update(by=elsewhere, agreement=agreement, section="ethics", values=values)
    with pytest.raises(ApplicationError, match="start a new version"):
        agreement_section_update(by=drafter, agreement=agreed, section="ethics", values=values)


def test_agreement_section_update_moves_a_version_sent_back_to_draft(
    complete_draft, drafter, hackney_lead, organisation, other_organisation
):
    from interborough.sharing.services import agreement_request_changes

    submitted = agreement_submit(by=drafter, agreement=complete_draft)
    agreement_request_changes(
        by=hackney_lead, agreement=submitted, organisation=other_organisation, comment="Dates?"
    )
    complete_draft.refresh_from_db()
    ethics = {**complete_draft.document["ethics"], "transparency": "Told in the newsletter."}

    agreement = agreement_section_update(
        by=drafter, agreement=complete_draft, section="ethics", values={"ethics": ethics}
    )

    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.text_hash == ""


# --- agreement_submit ------------------------------------------------------------------------


def test_agreement_submit_fixes_the_text_hash_and_emails_every_partys_ig_lead(
    complete_draft, drafter, camden_lead, hackney_lead
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        agreement = agreement_submit(by=drafter, agreement=complete_draft)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUBMITTED
    assert agreement.text_hash == text_hash(agreement.document)
    assert agreement.submitted_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([camden_lead.email, hackney_lead.email])
    assert agreement.reference in mail.outbox[0].subject
    assert f"/agreements/{agreement.reference}/v1/" in mail.outbox[0].body
    assert AuditEvent.objects.get(action="agreement.submit").changes["after"] == {
        "text_hash": agreement.text_hash
    }


def test_agreement_submit_lists_everything_missing_by_section(drafter, organisation):
    agreement = agreement_create(by=drafter, organisation=organisation, title="Placements")

    with pytest.raises(ValidationError) as refused:
        agreement_submit(by=drafter, agreement=agreement)

    sections = refused.value.message_dict
    assert set(sections) == {s.slug for s in SECTIONS}  # a blank document misses something in each
    assert any("another party" in m for m in sections["parties"])
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_agreement_submit_refuses_a_contradictory_agreement(
    drafter, organisation, other_organisation
):
    document = full_document([organisation, other_organisation])
    document["dates"]["end"] = "2000-01-01"  # before the start
    agreement = agreement_import(by=drafter, organisation=organisation, document=document)

    with pytest.raises(ValidationError) as refused:
        agreement_submit(by=drafter, agreement=agreement)

    assert list(refused.value.message_dict) == ["about"]


def test_agreement_submit_refuses_others_and_versions_already_submitted(
    complete_draft, drafter, hackney_lead
):
    with pytest.raises(PermissionDenied):
        agreement_submit(by=hackney_lead, agreement=complete_draft)
    agreement_submit(by=drafter, agreement=complete_draft)
    complete_draft.refresh_from_db()
    with pytest.raises(ApplicationError, match="withdraw it first"):
        agreement_submit(by=drafter, agreement=complete_draft)


def test_agreement_withdraw_takes_a_submitted_version_back_to_draft(complete_draft, drafter):
    submitted = agreement_submit(by=drafter, agreement=complete_draft)

    agreement = agreement_withdraw(by=drafter, agreement=submitted)

    assert (agreement.status, agreement.text_hash) == (AgreementStatus.DRAFT, "")
    with pytest.raises(ApplicationError, match="only a submitted"):
        agreement_withdraw(by=drafter, agreement=agreement)


# --- agreement_new_version -------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        AgreementStatus.APPROVED,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
        AgreementStatus.EXPIRED,
    ],
)
def test_agreement_new_version_copies_an_agreed_version(
    camden_lead, organisation, other_organisation, status
):
    agreed = agreement_row([organisation, other_organisation], status=status)

    new = agreement_new_version(by=camden_lead, agreement=agreed)

    assert (new.reference, new.version, new.status) == (agreed.reference, 2, "draft")
    assert new.supersedes == agreed and new.created_by == camden_lead
    expected = copy.deepcopy(agreed.document) | {"version": 2, "supersedes": 1}
    assert new.document == expected
    assert new.parties.count() == 2 and new.coverage.count() == 1
    agreed.refresh_from_db()
    assert agreed.status == status  # the agreed version keeps working meanwhile


@pytest.mark.parametrize(
    "status",
    [AgreementStatus.DRAFT, AgreementStatus.SUBMITTED, AgreementStatus.TERMINATED],
)
def test_agreement_new_version_refuses_versions_not_agreed_or_ended(
    camden_lead, organisation, other_organisation, status
):
    agreement = agreement_row([organisation, other_organisation], status=status)

    with pytest.raises(ApplicationError, match="new version starts from"):
        agreement_new_version(by=camden_lead, agreement=agreement)


def test_agreement_new_version_refuses_while_a_newer_draft_is_open(
    camden_lead, organisation, other_organisation
):
    agreed = agreement_row([organisation, other_organisation], reference="DSA-2026-0009")
    agreement_new_version(by=camden_lead, agreement=agreed)

    with pytest.raises(ApplicationError, match="Version 2 is already draft"):
        agreement_new_version(by=camden_lead, agreement=agreed)


def test_agreement_new_version_is_for_the_parties_ig_leads(
    drafter, organisation, other_organisation
):
    agreed = agreement_row([organisation, other_organisation])
    outsider_lead = MembershipFactory(organisation=OrganisationFactory(), role="ig_lead").user

    for person in (drafter, outsider_lead):
        with pytest.raises(PermissionDenied):
            agreement_new_version(by=person, agreement=agreed)
