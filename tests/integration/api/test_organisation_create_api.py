"""Platform staff add organisations with POST /api/v1/organisations."""

import pytest
from django.core import mail

from interborough.accounts.models import Invitation, Organisation
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Riverside Digital Co-operative",
    "type": "voluntary_sector",
    "short_name": "Riverside",
    "website": "https://www.riverside.example",
    "description": "Digital skills in Deptford libraries.",
}


def test_organisation_create_by_staff_answers_201_with_the_organisation(staff):
    response = ApiClient(issue_token(staff)).post("/organisations", NEW)

    assert response.status_code == 201
    assert response.json() == {
        "slug": "riverside-digital-co-operative",
        "name": "Riverside Digital Co-operative",
        "short_name": "Riverside",
        "type": "voluntary_sector",
        "gss_code": "",
        "website": "https://www.riverside.example",
        "description": "Digital skills in Deptford libraries.",
    }
    assert AuditEvent.objects.filter(action="organisation.create", actor=staff).exists()
    listed = ApiClient().get("/organisations", {"type": "voluntary_sector"}).json()
    assert [o["slug"] for o in listed["items"]] == ["riverside-digital-co-operative"]


def test_organisation_create_with_a_first_admin_emails_the_invitation(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ApiClient(issue_token(staff)).post(
            "/organisations", {**NEW, "first_admin_email": "Founder@Riverside.Example"}
        )

    assert response.status_code == 201
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("founder@riverside.example", "org_admin")
    assert [m.to for m in mail.outbox] == [["founder@riverside.example"]]


def test_organisation_create_accepts_a_unitary_authority_with_its_gss_code(staff):
    payload = {"name": "Slough Borough Council", "type": "local_authority", "gss_code": "E06000039"}

    response = ApiClient(issue_token(staff)).post("/organisations", payload)

    assert response.status_code == 201
    assert response.json()["gss_code"] == "E06000039"


@pytest.mark.parametrize("role", ["member", "org_admin"])
def test_organisation_create_by_someone_not_staff_is_forbidden(organisation, role):
    person = MembershipFactory(organisation=organisation, role=role).user

    response = ApiClient(issue_token(person)).post("/organisations", NEW)

    assert_error(response, 403, "permission_denied")
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


def test_organisation_create_without_a_token_is_unauthenticated(db):
    assert_error(ApiClient().post("/organisations", NEW), 401, "not_authenticated")
    assert not Organisation.objects.exists()


def test_organisation_create_with_a_read_token_is_refused(staff):
    response = ApiClient(issue_token(staff, scope="read")).post("/organisations", NEW)

    assert_error(response, 403, "insufficient_scope")
    assert not Organisation.objects.exists()


def test_organisation_create_with_a_token_for_one_organisation_is_refused(organisation):
    staff_member = MembershipFactory(organisation=organisation, user__is_staff=True).user
    secret = issue_token(staff_member, organisation=organisation)

    response = ApiClient(secret).post("/organisations", NEW)

    assert_error(response, 403, "insufficient_scope")
    assert Organisation.objects.count() == 1


def test_organisation_create_with_a_taken_name_names_the_field(staff, organisation):
    response = ApiClient(issue_token(staff)).post(
        "/organisations", {**NEW, "name": "LONDON BOROUGH OF CAMDEN"}
    )

    error = assert_error(response, 400)
    assert error["fields"][0]["field"] == "name"
    assert "already exists" in error["fields"][0]["message"]
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW, "type": "local_authority", "gss_code": "E09000007"}, "gss_code"),
        ({**NEW, "type": "local_authority", "gss_code": "E07000001"}, "gss_code"),
        ({**NEW, "gss_code": "E06000039"}, "gss_code"),
        ({**NEW, "website": "javascript:alert(1)"}, "website"),
        ({**NEW, "name": "\u202egnp.exe"}, "name"),
        ({**NEW, "name": "   "}, "name"),
        ({**NEW, "description": "bell\x07"}, "description"),
    ],
)
def test_organisation_create_breaking_a_rule_is_a_400_on_the_field(staff, payload, field):
    response = ApiClient(issue_token(staff)).post("/organisations", payload)

    error = assert_error(response, 400)
    assert [f["field"] for f in error["fields"]] == [field]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({k: v for k, v in NEW.items() if k != "name"}, "name"),
        ({**NEW, "name": ""}, "name"),
        ({**NEW, "name": "x" * 201}, "name"),
        ({**NEW, "name": "a\x00b"}, "name"),
        ({**NEW, "type": "dictatorship"}, "type"),
        ({**NEW, "short_name": "x" * 61}, "short_name"),
        ({**NEW, "description": "x" * 2001}, "description"),
        ({**NEW, "gss_code": "E0600003900"}, "gss_code"),
        ({**NEW, "first_admin_email": "not-an-email"}, "first_admin_email"),
        ({**NEW, "name": ["a list"]}, "name"),
    ],
)
def test_organisation_create_with_a_malformed_body_is_a_422_on_the_field(staff, payload, field):
    response = ApiClient(issue_token(staff)).post("/organisations", payload)

    error = assert_error(response, 422, "validation_error")
    assert field in [f["field"] for f in error["fields"]]
    assert not Organisation.objects.exists()
