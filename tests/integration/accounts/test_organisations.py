import pytest
from django.urls import reverse

from interborough.accounts.models import Organisation
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db

VALID = {
    "description": "Camden's council.",
    "website": "https://www.camden.gov.uk",
    "ico_registration": "z1234567",
}


def _edit(organisation):
    return reverse("accounts:organisation-edit", args=[organisation.slug])


def test_organisation_list_is_public(client, organisation):
    response = client.get(reverse("accounts:organisation-list") + "?q=" + "x" * 500)
    assert response.status_code == 200


def test_organisation_detail_is_public_without_member_links(client, organisation):
    response = client.get(reverse("accounts:organisation-detail", args=[organisation.slug]))
    assert response.status_code == 200
    assert (
        reverse("accounts:member-list", args=[organisation.slug]).encode() not in response.content
    )
    assert _edit(organisation).encode() not in response.content


def test_organisation_detail_of_unknown_slug_is_not_found(client):
    assert client.get(reverse("accounts:organisation-detail", args=["nowhere"])).status_code == 404


def test_organisation_detail_shows_members_link_to_members_only(client_for, member, organisation):
    response = client_for(member).get(
        reverse("accounts:organisation-detail", args=[organisation.slug])
    )
    assert reverse("accounts:member-list", args=[organisation.slug]).encode() in response.content
    assert _edit(organisation).encode() not in response.content


def test_organisation_detail_shows_edit_link_to_admins(client_for, org_admin, organisation):
    response = client_for(org_admin).get(
        reverse("accounts:organisation-detail", args=[organisation.slug])
    )
    assert _edit(organisation).encode() in response.content


def test_organisation_edit_saves_and_audits(client_for, org_admin, organisation):
    response = client_for(org_admin).post(_edit(organisation), VALID)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == "https://www.camden.gov.uk"
    assert organisation.ico_registration == "Z1234567"
    assert AuditEvent.objects.filter(action="organisation.update", actor=org_admin).exists()


def test_organisation_edit_by_staff_is_allowed(client_for, staff, organisation):
    assert client_for(staff).post(_edit(organisation), VALID).status_code == 302


def test_organisation_edit_prefills_the_form(client_for, org_admin, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(ico_registration="Z7654321")
    response = client_for(org_admin).get(_edit(organisation))
    assert response.status_code == 200
    assert b'value="Z7654321"' in response.content


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", LONG),
        ("website", "not a url"),
        ("website", "javascript:alert(1)"),
        ("website", "https://" + "a" * 300 + ".com"),
        ("ico_registration", "Z123-<script>"),
        ("ico_registration", LONG),
    ],
)
def test_organisation_edit_with_bad_input_shows_field_errors(
    client_for, org_admin, organisation, field, value
):
    response = client_for(org_admin).post(_edit(organisation), {**VALID, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"govuk-error-summary" in response.content
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_organisation_edit_by_a_plain_member_is_forbidden(client_for, member, organisation):
    assert client_for(member).get(_edit(organisation)).status_code == 403
    assert client_for(member).post(_edit(organisation), VALID).status_code == 403


def test_organisation_edit_by_an_admin_of_another_organisation_is_forbidden(
    client_for, organisation, other_organisation
):
    other_admin = MembershipFactory(organisation=other_organisation, role="org_admin").user
    assert client_for(other_admin).post(_edit(organisation), VALID).status_code == 403
    organisation.refresh_from_db()
    assert organisation.website == ""


def test_organisation_edit_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.get(_edit(organisation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_organisation_edit_of_unknown_slug_is_not_found(client_for, staff):
    assert (
        client_for(staff).get(reverse("accounts:organisation-edit", args=["x"])).status_code == 404
    )
