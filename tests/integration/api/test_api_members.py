"""Members and invitations of an organisation in API v1."""

import pytest
from django.core import mail

from interborough.accounts.models import Invitation
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db

INVITE = {"email": "New.Person@Example.London", "role": "publisher"}


@pytest.fixture
def other_member(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="org_admin").user


def test_members_are_listed_for_a_member(member, org_admin):
    response = ApiClient(issue_token(member, scope="read")).get("/organisations/camden/members")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {m["email"]: m["role"] for m in body["items"]} == {
        member.email: "member",
        org_admin.email: "org_admin",
    }


def test_members_are_listed_for_platform_staff(member, staff):
    response = ApiClient(issue_token(staff, scope="read")).get("/organisations/camden/members")

    assert response.status_code == 200
    assert [m["email"] for m in response.json()["items"]] == [member.email]


def test_members_are_hidden_from_another_organisations_admin(member, other_member):
    response = ApiClient(issue_token(other_member)).get("/organisations/camden/members")

    error = assert_error(response, 403, "permission_denied")
    assert member.email not in error["message"]


def test_members_need_authentication(member):
    assert_error(ApiClient().get("/organisations/camden/members"), 401, "not_authenticated")


def test_members_of_unknown_organisation_is_404(member):
    response = ApiClient(issue_token(member)).get("/organisations/atlantis/members")

    assert_error(response, 404, "not_found")


def test_members_with_a_token_for_another_organisation_is_refused(member, other_organisation):
    MembershipFactory(user=member, organisation=other_organisation)
    secret = issue_token(member, organisation=other_organisation)

    response = ApiClient(secret).get("/organisations/camden/members")

    assert_error(response, 403, "insufficient_scope")


def test_invitation_is_created_by_an_org_admin_without_its_secret(org_admin, organisation):
    response = ApiClient(issue_token(org_admin)).post("/organisations/camden/invitations", INVITE)

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.person@example.london"
    assert body["role"] == "publisher"
    assert body["invited_by"] == org_admin.email
    assert body["organisation"] == "camden"
    assert not {"secret", "token", "token_hash", "link"} & set(body)
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.token_hash not in response.content.decode()
    assert AuditEvent.objects.filter(action="invitation.create", object_id=str(body["id"])).exists()


def test_invitation_is_emailed_once_committed(
    org_admin, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ApiClient(issue_token(org_admin)).post(
            "/organisations/camden/invitations", INVITE
        )

    assert response.status_code == 201
    assert [m.to for m in mail.outbox] == [["new.person@example.london"]]


def test_invitation_by_platform_staff_is_allowed(staff, organisation):
    response = ApiClient(issue_token(staff)).post("/organisations/camden/invitations", INVITE)

    assert response.status_code == 201


def test_invitation_by_a_plain_member_is_refused_and_nothing_is_written(member):
    client = ApiClient(issue_token(member))
    before = AuditEvent.objects.count()

    response = client.post("/organisations/camden/invitations", INVITE)

    assert_error(response, 403, "permission_denied")
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.count() == before


def test_invitation_by_another_organisations_admin_is_refused(organisation, other_member):
    response = ApiClient(issue_token(other_member)).post(
        "/organisations/camden/invitations", INVITE
    )

    assert_error(response, 403)
    assert not Invitation.objects.exists()


def test_invitation_with_a_read_token_is_insufficient_scope(org_admin):
    secret = issue_token(org_admin, scope="read")

    response = ApiClient(secret).post("/organisations/camden/invitations", INVITE)

    assert_error(response, 403, "insufficient_scope")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b.c\x00"}, "email"),
        ({"email": "x" * 250 + "@example.london"}, "email"),
        ({"email": 42}, "email"),
        ({"email": "ok@example.london", "role": "emperor"}, "role"),
        ({"role": "member"}, "email"),
    ],
)
def test_invitation_with_bad_input_gets_field_errors(org_admin, payload, field):
    response = ApiClient(issue_token(org_admin)).post("/organisations/camden/invitations", payload)

    error = assert_error(response, 422, "validation_error")
    assert field in [f["field"] for f in error["fields"]]
    assert not Invitation.objects.exists()


def test_invitation_for_an_existing_member_is_a_400_on_the_email_field(org_admin, member):
    response = ApiClient(issue_token(org_admin)).post(
        "/organisations/camden/invitations", {"email": member.email.upper()}
    )

    error = assert_error(response, 400)
    assert error["fields"][0]["field"] == "email"


def test_invitation_defaults_to_the_member_role(org_admin):
    response = ApiClient(issue_token(org_admin)).post(
        "/organisations/camden/invitations", {"email": "someone@example.london"}
    )

    assert response.json()["role"] == "member"


def test_invitation_to_an_unknown_organisation_is_404(staff):
    response = ApiClient(issue_token(staff)).post("/organisations/atlantis/invitations", INVITE)

    assert_error(response, 404, "not_found")


def test_invitation_with_a_token_for_another_organisation_is_refused(org_admin, other_organisation):
    MembershipFactory(user=org_admin, organisation=other_organisation, role="org_admin")
    secret = issue_token(org_admin, organisation=other_organisation)

    response = ApiClient(secret).post("/organisations/camden/invitations", INVITE)

    assert_error(response, 403, "insufficient_scope")


def test_members_list_pages_are_bounded(organisation):
    viewer = UserFactory(is_staff=True)
    for _ in range(3):
        MembershipFactory(organisation=organisation)

    response = ApiClient(issue_token(viewer)).get(
        "/organisations/camden/members", {"limit": 2, "offset": 2}
    )

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert len(response.json()["items"]) == 1
