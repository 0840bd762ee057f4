"""Platform staff add organisations, and deactivate or reactivate them, through the pages."""

import pytest
from django.core import mail
from django.urls import reverse

from interborough.accounts import demo as accounts_demo
from interborough.accounts.models import Invitation, Organisation
from interborough.accounts.services import organisations_load_reference
from interborough.core.demo import DemoReport
from interborough.core.models import AuditEvent
from tests.integration.accounts.conftest import LONG

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:organisation-create")
LIST = reverse("accounts:organisation-list")
VALID = {
    "name": "Riverside Digital Co-operative",
    "type": "supplier",
    "short_name": "Riverside",
    "gss_code": "",
    "website": "www.riverside.example",
    "description": "Civic software, made in Deptford.",
    "first_admin_email": "",
}


def _detail(slug):
    return reverse("accounts:organisation-detail", args=[slug])


def _active(slug):
    return reverse("accounts:organisation-active", args=[slug])


# --- adding an organisation ---------------------------------------------------------------


def test_organisation_create_page_shows_the_form_to_staff(client_for, staff):
    response = client_for(staff).get(CREATE)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == [
        "name",
        "type",
        "short_name",
        "gss_code",
        "website",
        "description",
        "first_admin_email",
    ]
    assert b'type="radio" value="supplier"' in response.content


def test_organisation_create_adds_it_and_shows_its_page_with_a_success_message(client_for, staff):
    response = client_for(staff).post(CREATE, VALID, follow=True)

    organisation = Organisation.objects.get(name="Riverside Digital Co-operative")
    assert response.redirect_chain == [(_detail("riverside-digital-co-operative"), 302)]
    assert organisation.website == "https://www.riverside.example"
    assert b"Riverside Digital Co-operative has been added." in response.content
    assert b"govuk-notification-banner--success" in response.content
    assert AuditEvent.objects.filter(action="organisation.create", actor=staff).exists()


def test_organisation_create_with_a_first_admin_sends_the_invitation(
    client_for, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            CREATE, {**VALID, "first_admin_email": "Founder@Riverside.example"}, follow=True
        )

    assert b"has been sent to founder@riverside.example" in response.content
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("founder@riverside.example", "org_admin")
    assert [m.to for m in mail.outbox] == [["founder@riverside.example"]]


def test_organisation_create_by_an_org_admin_is_forbidden(client_for, org_admin):
    client = client_for(org_admin)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, VALID).status_code == 403
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


def test_organisation_create_anonymous_is_sent_to_sign_in(client):
    response = client.get(CREATE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", LONG),
        ("name", "nul\x00byte"),
        ("name", "\u202egnp.exe"),
        ("name", "<script>alert(1)</script>\x07"),
        ("type", ""),
        ("type", "dictatorship"),
        ("type", LONG),
        ("short_name", LONG),
        ("gss_code", "E06000039"),  # a supplier has none
        ("gss_code", LONG),
        ("website", "javascript:alert(1)"),
        ("website", "https://" + "a" * 300 + ".example"),
        ("website", "ftp://files.example"),
        ("description", LONG),
        ("description", "\x1b[31mred"),
        ("first_admin_email", "not-an-email"),
        ("first_admin_email", LONG + "@example.org"),
    ],
)
def test_organisation_create_with_bad_input_shows_field_errors_and_writes_nothing(
    client_for, staff, field, value
):
    count = Organisation.objects.count()

    response = client_for(staff).post(CREATE, {**VALID, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"govuk-error-summary" in response.content
    assert f'href="#id_{field}"'.encode() in response.content
    assert Organisation.objects.count() == count
    assert not AuditEvent.objects.filter(action="organisation.create").exists()
    assert not Invitation.objects.exists()


def test_organisation_create_of_a_london_borough_explains_why_not(client_for, staff, organisation):
    response = client_for(staff).post(
        CREATE,
        {**VALID, "name": "Camden Council", "type": "local_authority", "gss_code": "E09000007"},
    )

    assert response.status_code == 200
    assert "come from the ONS reference data" in response.context["form"].errors["gss_code"][0]
    assert not Organisation.objects.filter(name="Camden Council").exists()


def test_organisation_create_with_a_taken_name_shows_it_on_the_name_field(
    client_for, staff, organisation
):
    response = client_for(staff).post(CREATE, {**VALID, "name": "london borough of CAMDEN"})

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Organisation.objects.count() == 1


def test_organisation_create_with_a_bad_first_admin_email_writes_nothing(client_for, staff):
    response = client_for(staff).post(CREATE, {**VALID, "first_admin_email": "a@b"})

    assert response.status_code == 200
    assert "first_admin_email" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_organisation_create_oversized_request_is_refused_without_a_server_error(client_for, staff):
    response = client_for(staff).post(CREATE, {**VALID, "description": "x" * 3_000_000})

    assert response.status_code in (200, 400, 413)
    assert not Organisation.objects.exists()


# --- the directory and the organisation's page ----------------------------------------------


def test_organisation_list_offers_staff_the_add_button(client_for, staff, organisation):
    response = client_for(staff).get(LIST)

    assert CREATE.encode() in response.content
    assert b"Add an organisation" in response.content


def test_organisation_list_does_not_offer_others_the_add_button(client, client_for, org_admin):
    assert CREATE.encode() not in client.get(LIST).content
    assert CREATE.encode() not in client_for(org_admin).get(LIST).content


def test_organisation_detail_offers_staff_deactivation(client_for, staff, org_admin, organisation):
    staff_page = client_for(staff).get(_detail(organisation.slug))
    admin_page = client_for(org_admin).get(_detail(organisation.slug))

    assert _active(organisation.slug).encode() in staff_page.content
    assert b"Deactivate this organisation" in staff_page.content
    assert _active(organisation.slug).encode() not in admin_page.content


# --- deactivating and reactivating --------------------------------------------------------


def test_organisation_active_page_asks_for_confirmation(client_for, staff, organisation):
    response = client_for(staff).get(_active(organisation.slug))

    assert response.status_code == 200
    assert b"Deactivate London Borough of Camden" in response.content
    assert b'name="active" value="false"' in response.content
    organisation.refresh_from_db()
    assert organisation.is_active


def test_organisation_deactivate_hides_it_from_everyone_but_staff(
    client, client_for, staff, member, organisation
):
    response = client_for(staff).post(_active(organisation.slug), {"active": "false"}, follow=True)

    assert b"London Borough of Camden has been deactivated." in response.content
    assert b"This organisation is deactivated" in response.content
    assert b"Reactivate this organisation" in response.content
    assert b"London Borough of Camden" not in client.get(LIST).content
    assert client.get(_detail(organisation.slug)).status_code == 404
    assert client_for(member).get(_detail(organisation.slug)).status_code == 404
    members = reverse("accounts:member-list", args=[organisation.slug])
    assert client_for(member).get(members).status_code == 404
    staff_list = client_for(staff).get(LIST)
    assert list(staff_list.context["deactivated"]) == [organisation]
    assert AuditEvent.objects.filter(action="organisation.deactivate", actor=staff).exists()


def test_organisation_reactivate_brings_it_back(client, client_for, staff, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(is_active=False)
    staff_client = client_for(staff)

    page = staff_client.get(_active(organisation.slug))
    response = staff_client.post(_active(organisation.slug), {"active": "true"})

    assert b'name="active" value="true"' in page.content
    assert response.status_code == 302
    assert client.get(_detail(organisation.slug)).status_code == 200
    assert AuditEvent.objects.filter(action="organisation.reactivate").exists()


def test_organisation_active_repeated_post_does_not_flip_it_back(client_for, staff, organisation):
    client = client_for(staff)
    client.post(_active(organisation.slug), {"active": "false"})

    response = client.post(_active(organisation.slug), {"active": "false"}, follow=True)

    organisation.refresh_from_db()
    assert not organisation.is_active
    assert b"is already deactivated" in response.content
    assert AuditEvent.objects.filter(action="organisation.deactivate").count() == 1


@pytest.mark.parametrize("data", [{}, {"active": "maybe"}, {"active": LONG}])
def test_organisation_active_with_bad_input_shows_an_error_and_changes_nothing(
    client_for, staff, organisation, data
):
    response = client_for(staff).post(_active(organisation.slug), data)

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Choose whether to deactivate or reactivate." in response.content
    organisation.refresh_from_db()
    assert organisation.is_active


def test_organisation_active_by_an_org_admin_is_forbidden(client_for, org_admin, organisation):
    response = client_for(org_admin).post(_active(organisation.slug), {"active": "false"})

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.is_active


def test_organisation_active_of_an_unknown_slug_is_not_found(client_for, staff):
    assert client_for(staff).get(_active("nowhere")).status_code == 404


# --- the demo onboards its suppliers and voluntary body through the service -----------------


def test_demo_onboards_its_organisations_once_with_an_admin_and_a_member():
    organisations_load_reference()
    accounts_demo.load(DemoReport())
    accounts_demo.load(DemoReport())

    for spec in accounts_demo.DEMO_ORGANISATIONS:
        organisation = Organisation.objects.get(name=spec.name)
        assert organisation.slug == spec.slug
        assert organisation.type == spec.type
        assert organisation.website.endswith(".example")
        roles = sorted(organisation.memberships.values_list("role", flat=True))
        assert roles == ["member", "org_admin"]
    events = AuditEvent.objects.filter(action="organisation.create")
    assert events.count() == len(accounts_demo.DEMO_ORGANISATIONS)
    assert all(event.actor is not None and event.actor.is_staff for event in events)
    assert {s.type for s in accounts_demo.DEMO_ORGANISATIONS} == {"supplier", "voluntary_sector"}
