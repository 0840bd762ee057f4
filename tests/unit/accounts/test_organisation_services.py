"""Onboarding services: platform staff add, deactivate and reactivate organisations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interborough.accounts import selectors, services
from interborough.accounts.models import ApiToken, Invitation, Organisation, Role
from interborough.accounts.services.organisations import organisation_slug_for
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _create(by, **overrides):
    values = {"name": "Riverside Digital Co-operative", "type": "supplier", **overrides}
    return services.organisation_create(by=by, **values)


def test_organisation_create_adds_an_active_organisation_with_a_slug_from_its_name(staff):
    organisation = _create(
        staff,
        short_name="Riverside",
        website="https://www.riverside.example",
        description="Civic software.\nMade in Deptford.",
    )

    organisation.refresh_from_db()
    assert organisation.slug == "riverside-digital-co-operative"
    assert organisation.type == "supplier"
    assert organisation.short_name == "Riverside"
    assert organisation.website == "https://www.riverside.example"
    assert organisation.description == "Civic software.\nMade in Deptford."
    assert organisation.gss_code == ""
    assert organisation.is_active
    assert selectors.organisation_list().filter(pk=organisation.pk).exists()


def test_organisation_create_writes_an_audit_event_naming_the_staff_member(staff):
    organisation = _create(staff)

    event = AuditEvent.objects.get(action="organisation.create")
    assert event.actor == staff
    assert event.organisation == organisation
    assert event.changes["after"]["slug"] == organisation.slug
    assert event.changes["after"]["type"] == "supplier"


def test_organisation_create_tidies_spaces_in_names(staff):
    organisation = _create(staff, name="  Riverside   Digital \t Co-operative ", short_name=" R ")

    assert organisation.name == "Riverside Digital Co-operative"
    assert organisation.short_name == "R"


@pytest.mark.parametrize("role", ["member", "org_admin"])
def test_organisation_create_by_someone_not_staff_is_denied(organisation, role):
    person = MembershipFactory(organisation=organisation, role=role).user
    count = Organisation.objects.count()

    with pytest.raises(PermissionDeniedError):
        _create(person)

    assert Organisation.objects.count() == count
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


def test_organisation_create_rejects_a_name_taken_in_any_case(staff):
    _create(staff)

    with pytest.raises(ApplicationError, match="already exists") as err:
        _create(staff, name="RIVERSIDE digital co-operative")

    assert err.value.field == "name"
    assert Organisation.objects.count() == 1


def test_organisation_create_refuses_a_reference_organisation_not_yet_loaded(staff):
    with pytest.raises(ApplicationError, match="interborough organisations load") as err:
        _create(staff, name="Transport for London", type="public_body")

    assert err.value.field == "name"


def test_organisation_create_numbers_the_slug_when_the_name_slugifies_to_a_taken_one(staff):
    first = _create(staff, name="Riverside Digital")
    second = _create(staff, name="Riverside: Digital!")
    third = _create(staff, name="Riverside (Digital)")

    assert [first.slug, second.slug, third.slug] == [
        "riverside-digital",
        "riverside-digital-2",
        "riverside-digital-3",
    ]


def test_organisation_slug_never_takes_a_page_name_or_a_reference_slug(staff):
    assert organisation_slug_for("New") == "new-2"
    assert organisation_slug_for("Camden") == "camden-2"
    assert organisation_slug_for("UCL") == "ucl-2"


def test_organisation_slug_of_a_name_with_no_latin_letters_is_still_usable():
    assert organisation_slug_for("中文") == "organisation"
    assert len(organisation_slug_for("a" * 200)) <= 100


@pytest.mark.parametrize(
    ("org_type", "code", "message"),
    [
        ("supplier", "E06000039", "Only local authorities"),
        ("university", "E09000007", "Only local authorities"),
        ("local_authority", "", "Enter the local authority's ONS GSS code"),
        ("local_authority", "E07000001", "Enter a GSS code"),
        ("local_authority", "E0600003", "Enter a GSS code"),
        ("local_authority", "E06 000039", "Enter a GSS code"),
        ("local_authority", "W06000001", "Enter a GSS code"),
        ("local_authority", "E09000007", "London's 33 local authorities"),
        ("local_authority", "E09000034", "London's 33 local authorities"),
    ],
)
def test_organisation_create_rejects_bad_gss_codes(staff, org_type, code, message):
    with pytest.raises(ApplicationError, match=message) as err:
        _create(staff, name="Some Council", type=org_type, gss_code=code)

    assert err.value.field == "gss_code"
    assert not Organisation.objects.exists()


def test_organisation_create_accepts_a_unitary_authority_outside_london(staff):
    council = _create(
        staff, name="Slough Borough Council", type="local_authority", gss_code="e06000039"
    )

    assert council.gss_code == "E06000039"
    assert council.boundary is None


def test_organisation_create_rejects_a_gss_code_already_in_use(staff):
    OrganisationFactory(name="Slough Borough Council", gss_code="E06000039")

    with pytest.raises(ApplicationError, match="already has the GSS code") as err:
        _create(staff, name="Slough Council", type="local_authority", gss_code="E06000039")

    assert err.value.field == "gss_code"


def test_organisation_create_refuses_local_authorities_once_london_is_loaded(staff):
    services.organisations_load_reference()

    with pytest.raises(ApplicationError, match="reference data") as err:
        _create(staff, name="City of London", type="local_authority", gss_code="E09000001")

    assert err.value.field == "gss_code"


def test_organisation_create_rejects_an_unknown_type(staff):
    with pytest.raises(ApplicationError) as err:
        _create(staff, type="dictatorship")

    assert err.value.field == "type"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "x" * 201),
        ("name", "nul\x00byte"),
        ("name", "\u202egnp.exe"),
        ("name", "zero\u200bwidth"),
        ("short_name", "x" * 61),
        ("short_name", "bell\x07"),
        ("website", "javascript:alert(1)"),
        ("website", "ftp://files.example"),
        ("website", "not a url"),
        ("website", "https://" + "a" * 250 + ".example"),
        ("description", "x" * 2001),
        ("description", "escape\x1b[31m"),
        ("first_admin_email", "not-an-email"),
        ("first_admin_email", "a" * 250 + "@example.org"),
    ],
)
def test_organisation_create_rejects_bad_text_and_writes_nothing(staff, field, value):
    with pytest.raises(ApplicationError) as err:
        _create(staff, **{field: value})

    assert err.value.field == field
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_organisation_create_invites_the_first_admin_by_email(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = _create(staff, first_admin_email=" Founder@Riverside.Example ")

    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "founder@riverside.example"
    assert invitation.role == Role.ORG_ADMIN
    assert invitation.invited_by == staff
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["founder@riverside.example"]
    assert "Riverside Digital Co-operative" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="invitation.create", organisation=organisation).exists()


def test_organisation_create_without_an_email_sends_no_invitation(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _create(staff)

    assert not Invitation.objects.exists()
    assert mail.outbox == []


def _live_token(user, organisation):
    token, _ = services.api_token_create(
        by=user,
        name="t",
        scope="write",
        expires_at=timezone.now() + timedelta(days=30),
        organisation=organisation,
    )
    return token


def test_organisation_set_active_false_hides_it_and_revokes_its_tokens_and_invitations(
    staff, organisation, other_organisation, member, org_admin
):
    own = _live_token(member, organisation)
    unscoped = _live_token(member, None)
    other_person = MembershipFactory(organisation=other_organisation).user
    elsewhere = _live_token(other_person, other_organisation)
    invitation, _ = services.invitation_create(
        by=org_admin, organisation=organisation, email="new@camden.example"
    )

    services.organisation_set_active(by=staff, organisation=organisation, active=False)

    organisation.refresh_from_db()
    assert not organisation.is_active
    assert not selectors.organisation_list().filter(pk=organisation.pk).exists()
    assert selectors.organisation_by_slug(slug=organisation.slug) is None
    assert ApiToken.objects.get(pk=own.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=unscoped.pk).revoked_at is None
    assert ApiToken.objects.get(pk=elsewhere.pk).revoked_at is None
    assert not Invitation.objects.get(pk=invitation.pk).is_open
    event = AuditEvent.objects.get(action="organisation.deactivate")
    assert event.actor == staff
    assert event.changes["after"] == {
        "is_active": False,
        "api_tokens_revoked": 1,
        "invitations_withdrawn": 1,
    }


def test_organisation_set_active_true_brings_it_back_but_not_its_tokens(
    staff, organisation, member
):
    token = _live_token(member, organisation)
    services.organisation_set_active(by=staff, organisation=organisation, active=False)

    services.organisation_set_active(by=staff, organisation=organisation, active=True)

    assert selectors.organisation_list().filter(pk=organisation.pk).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="organisation.reactivate", actor=staff).exists()


@pytest.mark.parametrize("role", ["member", "org_admin"])
def test_organisation_set_active_by_someone_not_staff_is_denied(organisation, role):
    person = MembershipFactory(organisation=organisation, role=role).user

    with pytest.raises(PermissionDeniedError):
        services.organisation_set_active(by=person, organisation=organisation, active=False)

    organisation.refresh_from_db()
    assert organisation.is_active


def test_organisation_set_active_to_the_current_state_says_so(staff, organisation):
    with pytest.raises(ApplicationError, match="already active"):
        services.organisation_set_active(by=staff, organisation=organisation, active=True)

    assert not AuditEvent.objects.filter(action__startswith="organisation.").exists()
