"""The policy decision point: each condition, the audit trail, and the catalogue's check."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from interborough.catalogue import permissions as catalogue_permissions
from interborough.catalogue.models import AccessLevel, DatasetStatus
from interborough.core.models import AuditEvent
from interborough.sharing.models import AgreementStatus
from interborough.sharing.policy import decide
from interborough.sharing.services import agreements_advance
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.factories.sharing import agreement_row, dataset_entry

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FIELDS = {"household_id": "keyed_hash", "surname": "keyed_bloom", "borough": "clear"}


@pytest.fixture
def analyst(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="member").user


@pytest.fixture
def outsider(db):
    return MembershipFactory(organisation=OrganisationFactory(), role="member").user


@pytest.fixture
def dataset(organisation):
    return DatasetFactory(
        publisher=organisation,
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )


def _agreement(organisation, other_organisation, dataset, **overrides):
    fields = overrides.pop("fields", FIELDS)
    return agreement_row(
        [organisation, other_organisation],
        datasets=[dataset_entry(organisation, key="placements", fields=fields)],
        dataset_links={"placements": dataset},
        **overrides,
    )


def _at(day):
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


def test_decide_allows_when_every_condition_holds(
    organisation, other_organisation, dataset, analyst
):
    agreement = _agreement(organisation, other_organisation, dataset)

    decision = decide(
        actor=analyst,
        action="upload",
        dataset=dataset,
        fields=["household_id", "surname"],
        purpose="dpv:ServiceProvision",
    )

    assert decision.allowed and decision.code == "allowed"
    assert decision.agreement == agreement
    assert agreement.reference in decision.reason


def test_decide_denies_without_any_agreement(dataset, analyst):
    decision = decide(actor=analyst, action="read", dataset=dataset)

    assert not decision.allowed
    assert decision.code == "no_agreement"
    assert decision.agreement is None


@pytest.mark.parametrize(
    "status",
    [s for s in AgreementStatus.values if s != AgreementStatus.ACTIVE],
)
def test_decide_denies_an_agreement_that_is_not_active(
    organisation, other_organisation, dataset, analyst, status
):
    _agreement(organisation, other_organisation, dataset, status=status)

    decision = decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])

    assert (decision.allowed, decision.code) == (False, "not_active")
    assert AgreementStatus(status).label.lower() in decision.reason


def test_decide_denies_before_the_start_date(organisation, other_organisation, dataset, analyst):
    start = timezone.localdate() + timedelta(days=3)
    _agreement(organisation, other_organisation, dataset, start=start)

    early = decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])
    on_the_day = decide(
        actor=analyst, action="upload", dataset=dataset, fields=["household_id"], at=_at(start)
    )

    assert (early.allowed, early.code) == (False, "not_started")
    assert on_the_day.allowed


def test_decide_denies_on_and_after_the_end_date(
    organisation, other_organisation, dataset, analyst
):
    today = timezone.localdate()
    _agreement(
        organisation, other_organisation, dataset, start=today - timedelta(days=10), end=today
    )

    on_end = decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])
    day_before = decide(
        actor=analyst,
        action="upload",
        dataset=dataset,
        fields=["household_id"],
        at=_at(today - timedelta(days=1)),
    )

    assert (on_end.allowed, on_end.code) == (False, "ended")
    assert f"{today:%-d %B %Y}" in on_end.reason
    assert day_before.allowed


def test_decide_denies_a_person_whose_organisation_is_not_a_party(
    organisation, other_organisation, dataset, outsider
):
    _agreement(organisation, other_organisation, dataset)

    decision = decide(actor=outsider, action="upload", dataset=dataset, fields=["household_id"])

    assert (decision.allowed, decision.code) == (False, "not_a_party")


def test_decide_denies_a_token_acting_for_another_organisation(
    organisation, other_organisation, dataset, analyst
):
    _agreement(organisation, other_organisation, dataset)
    elsewhere = OrganisationFactory()
    MembershipFactory(user=analyst, organisation=elsewhere)
    analyst.acting_organisation_id = elsewhere.pk  # as the API's token authentication sets it

    decision = decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])

    assert (decision.allowed, decision.code) == (False, "not_a_party")
    analyst.acting_organisation_id = other_organisation.pk
    assert decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])


def test_decide_denies_an_inactive_person(organisation, other_organisation, dataset, analyst):
    _agreement(organisation, other_organisation, dataset)
    analyst.is_active = False
    analyst.save()

    decision = decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])

    assert (decision.allowed, decision.code) == (False, "inactive_account")


def test_decide_denies_anonymous_people(organisation, other_organisation, dataset):
    _agreement(organisation, other_organisation, dataset)

    decision = decide(actor=AnonymousUser(), action="read", dataset=dataset, fields=["borough"])

    assert (decision.allowed, decision.code) == (False, "not_signed_in")
    assert AuditEvent.objects.filter(action="sharing.decision.deny", actor=None).exists()


def test_decide_denies_a_party_whose_organisation_was_deactivated(
    organisation, other_organisation, dataset, analyst
):
    _agreement(organisation, other_organisation, dataset)
    other_organisation.is_active = False
    other_organisation.save()

    decision = decide(actor=analyst, action="upload", dataset=dataset, fields=["household_id"])

    assert (decision.allowed, decision.code) == (False, "not_a_party")


@pytest.mark.parametrize(
    ("action", "field", "allowed"),
    [
        ("read", "borough", True),
        ("read", "household_id", False),  # reading needs the field in the clear
        ("read", "surname", False),
        ("upload", "household_id", True),  # the hub takes keyed hashes
        ("upload", "surname", True),  # and keyed Bloom filters
        ("upload", "borough", True),
        ("upload", "nhs_number", False),  # dropped: never
        ("link", "nhs_number", False),
        ("upload", "not_listed", False),  # not in the agreement at all
    ],
)
def test_decide_checks_each_fields_transformation_for_the_action(
    organisation, other_organisation, dataset, analyst, action, field, allowed
):
    _agreement(
        organisation,
        other_organisation,
        dataset,
        fields={**FIELDS, "nhs_number": "dropped"},
        operations=["read", "upload", "link"],
    )

    decision = decide(actor=analyst, action=action, dataset=dataset, fields=[field])

    assert decision.allowed is allowed
    if not allowed:
        assert decision.code == "fields_not_covered"
        assert field in decision.reason


def test_decide_with_no_fields_named_asks_for_every_field_listed(
    organisation, other_organisation, dataset, analyst
):
    _agreement(organisation, other_organisation, dataset)

    assert decide(actor=analyst, action="upload", dataset=dataset).allowed
    refused = decide(actor=analyst, action="read", dataset=dataset)
    assert refused.code == "fields_not_covered"
    assert "household_id, surname" in refused.reason


def test_decide_denies_an_action_the_agreement_does_not_permit(
    organisation, other_organisation, dataset, analyst
):
    _agreement(organisation, other_organisation, dataset, operations=["upload"])

    decision = decide(actor=analyst, action="link", dataset=dataset, fields=["household_id"])

    assert (decision.allowed, decision.code) == (False, "action_not_permitted")
    assert "link" in decision.reason


def test_decide_checks_the_purpose_when_one_is_given(
    organisation, other_organisation, dataset, analyst
):
    _agreement(organisation, other_organisation, dataset)
    asked = {"actor": analyst, "action": "upload", "dataset": dataset, "fields": ["surname"]}

    assert decide(**asked, purpose="dpv:ResearchAndDevelopment").allowed
    assert decide(**asked).allowed  # no purpose named: not a condition
    refused = decide(**asked, purpose="dpv:Marketing")
    assert (refused.allowed, refused.code) == (False, "purpose_not_covered")
    assert "dpv:Marketing" in refused.reason


def test_decide_names_the_agreement_that_came_closest(
    organisation, other_organisation, dataset, outsider
):
    _agreement(organisation, other_organisation, dataset, status=AgreementStatus.DRAFT)
    active = _agreement(organisation, other_organisation, dataset)

    decision = decide(actor=outsider, action="upload", dataset=dataset, fields=["surname"])

    assert decision.code == "not_a_party"
    assert decision.agreement == active


def test_decide_is_allowed_by_any_one_agreement_that_satisfies_everything(
    organisation, other_organisation, dataset, analyst
):
    _agreement(organisation, other_organisation, dataset, operations=["read"])
    second = _agreement(organisation, other_organisation, dataset, operations=["link"])

    decision = decide(actor=analyst, action="link", dataset=dataset, fields=["surname"])

    assert decision.allowed and decision.agreement == second


def test_decide_for_a_described_source_of_an_agreement(
    organisation, other_organisation, analyst, outsider
):
    agreement = agreement_row(
        [organisation, other_organisation],
        datasets=[dataset_entry(organisation, key="placements", fields=FIELDS)],
    )

    asked = {"action": "upload", "agreement": agreement, "source": "placements"}
    assert decide(actor=analyst, **asked).allowed
    assert decide(actor=outsider, **asked).code == "not_a_party"
    assert decide(actor=analyst, action="upload", agreement=agreement, source="other").code == (
        "no_agreement"
    )
    event = AuditEvent.objects.filter(action="sharing.decision.deny").latest("sequence")
    assert (event.object_type, event.object_id) == (
        "sharing.datasharingagreement",
        str(agreement.pk),
    )
    assert event.organisation == organisation
    assert event.changes["after"]["source"] == "other"


def test_decide_refuses_unknown_actions_and_requests_naming_no_data(analyst, dataset):
    with pytest.raises(ValueError, match="Unknown action"):
        decide(actor=analyst, action="delete", dataset=dataset)
    with pytest.raises(ValueError, match="Name a dataset"):
        decide(actor=analyst, action="read")


def test_decide_writes_every_decision_to_the_audit_trail(
    organisation, other_organisation, dataset, analyst, outsider
):
    agreement = _agreement(organisation, other_organisation, dataset)

    decide(actor=analyst, action="upload", dataset=dataset, fields=["surname", "household_id"])
    decide(actor=outsider, action="read", dataset=dataset, fields=["borough"], purpose="dpv:X")

    allow = AuditEvent.objects.get(action="sharing.decision.allow")
    assert allow.actor == analyst
    assert allow.object_id == str(dataset.pk)
    assert allow.organisation == organisation
    assert allow.changes["after"] | {"at": None} == {
        "allowed": True,
        "code": "allowed",
        "reason": f"Allowed by agreement {agreement.reference} v1.",
        "agreement": agreement.pk,
        "action": "upload",
        "source": None,
        "fields": ["household_id", "surname"],
        "purpose": None,
        "at": None,
    }
    deny = AuditEvent.objects.get(action="sharing.decision.deny")
    assert deny.actor == outsider
    assert deny.changes["after"]["code"] == "not_a_party"
    assert deny.changes["after"]["purpose"] == "dpv:X"


def test_decide_asks_the_database_a_fixed_number_of_times(
    organisation, other_organisation, dataset, analyst, django_assert_max_num_queries
):
    for _ in range(5):
        _agreement(organisation, other_organisation, dataset, status=AgreementStatus.EXPIRED)
    _agreement(organisation, other_organisation, dataset)
    decide(actor=analyst, action="read", dataset=dataset)  # the audit chain's head now exists

    # coverage, the actor's live parties, the chosen agreement's document; then the audit event
    # (savepoint, head lock, insert, head update, release)
    with django_assert_max_num_queries(8):
        assert decide(actor=analyst, action="upload", dataset=dataset, fields=["surname"])


# --- the catalogue's restricted-data check goes through decide --------------------------------


def test_can_read_data_lets_a_party_in_through_an_active_agreement_until_it_expires(
    organisation, other_organisation, dataset, analyst, outsider
):
    today = timezone.localdate()
    clear = {"borough": "clear", "count": "clear"}
    agreement = _agreement(
        organisation,
        other_organisation,
        dataset,
        fields=clear,
        start=today - timedelta(days=30),
        end=today + timedelta(days=1),
    )

    assert catalogue_permissions.can_read_data(analyst, dataset)
    assert not catalogue_permissions.can_read_data(outsider, dataset)

    agreements_advance(today=today + timedelta(days=1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED
    assert not catalogue_permissions.can_read_data(analyst, dataset)


def test_can_read_data_refuses_once_the_end_date_comes_even_before_the_daily_job(
    organisation, other_organisation, dataset, analyst
):
    today = timezone.localdate()
    _agreement(
        organisation,
        other_organisation,
        dataset,
        fields={"borough": "clear"},
        start=today - timedelta(days=30),
        end=today,
    )

    assert not catalogue_permissions.can_read_data(analyst, dataset)


def test_can_read_data_refuses_when_the_data_has_a_field_the_agreement_does_not_list(
    organisation, other_organisation, dataset, analyst
):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    ready_resource(by=publisher, dataset=dataset)  # borough_code, ward, count, lat, long
    listed = {"borough_code": "clear", "ward": "clear", "count": "clear", "latitude": "clear"}
    _agreement(organisation, other_organisation, dataset, fields=listed)

    assert not catalogue_permissions.can_read_data(analyst, dataset)
    event = AuditEvent.objects.filter(action="sharing.decision.deny").latest("sequence")
    assert event.changes["after"]["code"] == "fields_not_covered"
    assert "longitude" in event.changes["after"]["reason"]

    _agreement(organisation, other_organisation, dataset, fields={**listed, "longitude": "clear"})
    assert catalogue_permissions.can_read_data(analyst, dataset)
