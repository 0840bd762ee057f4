"""Projects in API v1: the record's whole lifecycle, who may see and change it, and its checks."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from interborough.core.models import AuditEvent
from interborough.pipeline.models import Phase, Project, ProjectStatus, StatusUpdate
from tests.factories.accounts import MembershipFactory
from tests.factories.pipeline import ProjectFactory, StatusUpdateFactory
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db

NEW = {
    "organisation": "camden",
    "title": "Damp and mould reporting",
    "summary": "Tenants report damp and mould with photos; surveyors triage the same day.",
    "problem": "Reports arrive by phone and get lost.",
    "themes": ["housing", "net-zero"],
    "tags": ["Damp", " mould "],
    "phase": "discovery",
}
FULL = {
    **NEW,
    "user_needs": "Tenants need to report once and know what happens next.",
    "outcomes": "Fewer repeat visits.",
    "department": "Housing repairs",
    "partners": ["hackney"],
    "start_date": "2025-04-01",
    "end_date": "2026-03-31",
    "budget_band": "50k_250k",
    "funding_source": "gla",
    "collaboration_wanted": True,
    "collaboration_kind": "Share user research",
    "market_engagement_wanted": True,
    "market_need": "A photo-first repairs reporting product.",
    "market_need_by": "2025-09-30",
    "technology": "GOV.UK Forms, Power BI",
    "suppliers": "In-house",
    "source_code_url": "https://github.com/camden/damp-reporting",
    "related_datasets": ["https://data.london.gov.uk/dataset/housing-repairs"],
    "is_public": True,
}


def api_for(user, **kwargs) -> ApiClient:
    return ApiClient(issue_token(user, **kwargs))


def patch(api: ApiClient, path: str, payload: dict):
    import json

    return api.request("PATCH", path, json.dumps(payload).encode())


def fields_of(error: dict) -> dict[str, str]:
    return {f["field"]: f["message"] for f in error["fields"]}


# --- create, read, update, delete --------------------------------------------------------


def test_project_crud_round_trip(publisher, organisation, other_organisation):
    api = api_for(publisher)

    created = api.post("/projects", FULL)
    assert created.status_code == 201, created.content
    body = created.json()
    project_id = body["id"]
    assert body["status"] == "draft"
    assert body["organisation"] == {"slug": "camden", "name": organisation.name}
    assert body["partners"] == [{"slug": "hackney", "name": other_organisation.name}]
    assert {t["slug"] for t in body["themes"]} == {"housing", "net-zero"}
    assert body["tags"] == ["damp", "mould"]
    assert body["url"].endswith(f"/projects/{project_id}/")
    assert body["published_at"] is None
    assert body["is_stale"] is False

    fetched = api.get(f"/projects/{project_id}")
    assert fetched.status_code == 200
    assert fetched.json() == body

    changed = patch(api, f"/projects/{project_id}", {"title": "Damp, mould and leaks"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Damp, mould and leaks"

    deleted = api.request("DELETE", f"/projects/{project_id}")
    assert deleted.status_code == 204
    assert not Project.objects.filter(pk=project_id).exists()
    assert_error(api.get(f"/projects/{project_id}"), 404, "not_found")
    actions = AuditEvent.objects.filter(
        object_type="pipeline.project", object_id=str(project_id)
    ).values_list("action", flat=True)
    assert set(actions) == {"project.create", "project.update", "project.delete"}


def test_project_patch_changes_only_the_fields_sent(publisher, other_organisation):
    api = api_for(publisher)
    body = api.post("/projects", FULL).json()

    response = patch(api, f"/projects/{body['id']}", {"summary": "A new summary.", "tags": []})

    assert response.status_code == 200, response.content
    after = response.json()
    assert after["summary"] == "A new summary."
    assert after["tags"] == []
    moving = {"summary", "tags", "updated_at", "last_activity_at"}
    assert {k: v for k, v in after.items() if k not in moving} == {
        k: v for k, v in body.items() if k not in moving
    }


def test_project_patch_clears_a_date_with_null(publisher, other_organisation):
    api = api_for(publisher)
    body = api.post("/projects", FULL).json()

    response = patch(api, f"/projects/{body['id']}", {"end_date": None})

    assert response.status_code == 200
    assert response.json()["end_date"] is None
    assert response.json()["start_date"] == "2025-04-01"


def test_project_patch_refuses_null_for_a_text_field(publisher):
    api = api_for(publisher)
    body = api.post("/projects", NEW).json()

    error = assert_error(patch(api, f"/projects/{body['id']}", {"title": None}), 422)

    assert "title" in fields_of(error)
    assert Project.objects.get(pk=body["id"]).title == NEW["title"]


def test_project_patch_is_checked_as_a_whole_record(publisher):
    api = api_for(publisher)
    body = api.post("/projects", NEW).json()

    response = patch(api, f"/projects/{body['id']}", {"collaboration_wanted": True})

    error = assert_error(response, 422, "validation_error")
    assert fields_of(error) == {"collaboration_kind": "Say what kind of collaboration you want."}
    assert Project.objects.get(pk=body["id"]).collaboration_wanted is False


# --- validation messages ---------------------------------------------------------------------


def test_project_create_reports_each_wrong_field(publisher):
    payload = {
        **NEW,
        "title": "   ",
        "themes": ["housing", "space-travel"],
        "end_date": "2024-01-01",
        "start_date": "2025-01-01",
        "market_engagement_wanted": True,
        "source_code_url": "github.com/camden",
        "contact_email": "nobody@example.org",
    }

    error = assert_error(api_for(publisher).post("/projects", payload), 422, "validation_error")

    messages = fields_of(error)
    assert messages["title"] == "Enter the title."
    assert messages["themes"].startswith("There is no theme “space-travel”.")
    assert messages["end_date"] == "The end date must be on or after the start date."
    assert messages["market_need"] == "Say what you need from suppliers, so they can respond."
    assert "web address" in messages["source_code_url"]
    assert "member of London Borough of Camden" in messages["contact_email"]
    assert not Project.objects.exists()


def test_project_create_without_required_fields_names_them(publisher):
    error = assert_error(api_for(publisher).post("/projects", {"organisation": "camden"}), 422)

    assert {"title", "summary", "themes"} <= set(fields_of(error))


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "x" * 201),
        ("problem", "x" * 100_000),
        ("tags", [f"tag {n}" for n in range(16)]),
        ("tags", ["x" * 51]),
        ("partners", ["x" * 101]),
        ("phase", "launched"),
        ("start_date", "31/12/2025"),
        ("related_datasets", ["https://example.org/" + "x" * 300]),
    ],
)
def test_project_create_refuses_out_of_bounds_input_with_422(publisher, field, value):
    response = api_for(publisher).post("/projects", {**NEW, field: value})

    error = assert_error(response, 422, "validation_error")
    assert field in {f["field"].split(".")[0] for f in error["fields"]}
    assert not Project.objects.exists()


def test_project_create_for_an_unknown_organisation_is_422(publisher):
    response = api_for(publisher).post("/projects", {**NEW, "organisation": "atlantis"})

    error = assert_error(response, 422)
    assert "organisation" in fields_of(error)


def test_project_create_needs_a_publisher_of_the_organisation(member):
    response = api_for(member).post("/projects", NEW)

    assert_error(response, 403, "permission_denied")
    assert not Project.objects.exists()


def test_project_create_is_refused_to_platform_staff(staff, organisation):
    assert_error(api_for(staff).post("/projects", NEW), 403, "permission_denied")


# --- tokens ----------------------------------------------------------------------------------


def test_read_token_cannot_write(publisher, organisation):
    project = ProjectFactory(organisation=organisation)
    api = api_for(publisher, scope="read")

    assert_error(api.post("/projects", NEW), 403, "insufficient_scope")
    assert_error(patch(api, f"/projects/{project.pk}", {"title": "x"}), 403, "insufficient_scope")
    assert_error(api.post(f"/projects/{project.pk}/publish"), 403, "insufficient_scope")
    assert api.get(f"/projects/{project.pk}").status_code == 200
    assert Project.objects.count() == 1
    assert Project.objects.get().status == ProjectStatus.DRAFT


def test_token_for_another_organisation_cannot_write(publisher, organisation, other_organisation):
    MembershipFactory(user=publisher, organisation=other_organisation, role="publisher")
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    api = api_for(publisher, organisation=other_organisation)

    assert_error(api.post("/projects", NEW), 403, "insufficient_scope")
    assert_error(patch(api, f"/projects/{project.pk}", {"title": "x"}), 403, "insufficient_scope")
    assert_error(api.request("DELETE", f"/projects/{project.pk}"), 403, "insufficient_scope")
    assert Project.objects.filter(pk=project.pk).exists()
    assert api.post("/projects", {**NEW, "organisation": "hackney"}).status_code == 201


def test_token_for_another_organisation_does_not_see_drafts(
    publisher, organisation, other_organisation
):
    MembershipFactory(user=publisher, organisation=other_organisation, role="publisher")
    draft = ProjectFactory(organisation=organisation, title="Camden draft")
    hackney_draft = ProjectFactory(organisation=other_organisation, title="Hackney draft")
    hackney_token = api_for(publisher, organisation=other_organisation)
    any_token = api_for(publisher)

    assert hackney_token.get(f"/projects/{draft.pk}").status_code == 404
    assert hackney_token.get(f"/projects/{hackney_draft.pk}").status_code == 200
    listed = [p["title"] for p in hackney_token.get("/projects").json()["items"]]
    assert listed == ["Hackney draft"]
    assert any_token.get(f"/projects/{draft.pk}").status_code == 200
    assert len(any_token.get("/projects").json()["items"]) == 2


# --- who sees what -----------------------------------------------------------------------------


@pytest.fixture
def projects(organisation, other_organisation):
    return {
        "public": ProjectFactory(
            organisation=organisation,
            title="Public repairs",
            status=ProjectStatus.PUBLISHED,
            is_public=True,
        ),
        "published": ProjectFactory(
            organisation=organisation, title="Published repairs", status=ProjectStatus.PUBLISHED
        ),
        "draft": ProjectFactory(organisation=organisation, title="Camden draft"),
        "other_draft": ProjectFactory(organisation=other_organisation, title="Hackney draft"),
        "public_draft": ProjectFactory(
            organisation=organisation, title="Public but draft", is_public=True
        ),
    }


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


def test_anonymous_sees_only_public_projects(projects):
    api = ApiClient()

    assert titles(api.get("/projects")) == {"Public repairs"}
    public = api.get(f"/projects/{projects['public'].pk}")
    assert public.status_code == 200
    for name in ("published", "draft", "public_draft"):
        assert_error(api.get(f"/projects/{projects[name].pk}"), 401, "not_authenticated")
    assert_error(api.get("/projects/999999"), 401, "not_authenticated")


def test_contact_is_shown_to_signed_in_people_only(organisation, publisher, member):
    project = ProjectFactory(
        organisation=organisation, status=ProjectStatus.PUBLISHED, is_public=True, contact=member
    )

    anonymous = ApiClient().get(f"/projects/{project.pk}").json()
    signed_in = api_for(publisher, scope="read").get(f"/projects/{project.pk}").json()

    assert anonymous["contact"] is None
    assert signed_in["contact"] == {"name": member.full_name, "email": member.email}


def test_signed_in_people_see_published_projects_and_their_own_drafts(projects, member):
    seen = titles(api_for(member, scope="read").get("/projects"))

    assert seen == {"Public repairs", "Published repairs", "Camden draft", "Public but draft"}


def test_drafts_of_other_organisations_are_404(projects, other_publisher):
    api = api_for(other_publisher)
    draft = projects["draft"].pk

    assert "Camden draft" not in titles(api.get("/projects"))
    assert_error(api.get(f"/projects/{draft}"), 404, "not_found")
    assert_error(patch(api, f"/projects/{draft}", {"title": "Mine now"}), 404)
    assert_error(api.post(f"/projects/{draft}/publish"), 404)
    assert_error(api.request("DELETE", f"/projects/{draft}"), 404)
    assert_error(api.get(f"/projects/{draft}/updates"), 404)
    assert Project.objects.get(pk=draft).title == "Camden draft"


def test_a_visible_project_another_organisation_may_not_edit_is_403(projects, other_publisher):
    published = projects["published"].pk

    response = patch(api_for(other_publisher), f"/projects/{published}", {"title": "Mine now"})

    assert_error(response, 403, "permission_denied")
    assert Project.objects.get(pk=published).title == "Published repairs"


def test_a_session_without_two_factor_reads_as_anonymous(projects, org_admin):
    client = Client()
    client.force_login(org_admin)  # an org admin must verify a second factor first

    response = client.get(f"/api/v1/projects/{projects['draft'].pk}")

    assert response.status_code == 401


# --- lifecycle -------------------------------------------------------------------------------


def test_publish_archive_and_restore(publisher, organisation):
    project = ProjectFactory(organisation=organisation)
    api = api_for(publisher)

    published = api.post(f"/projects/{project.pk}/publish")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None
    archived = api.post(f"/projects/{project.pk}/archive").json()
    assert archived["status"] == "archived"
    assert archived["archived_at"] is not None
    assert api.post(f"/projects/{project.pk}/restore").json()["status"] == "published"


def test_an_impossible_transition_is_400_with_the_reason(publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)

    error = assert_error(api_for(publisher).post(f"/projects/{project.pk}/restore"), 400)

    assert error["code"] == "invalid_transition"
    assert error["message"] == "A published project cannot become published."


def test_a_published_project_cannot_be_deleted(publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)

    response = api_for(publisher).request("DELETE", f"/projects/{project.pk}")

    error = assert_error(response, 400, "published")
    assert "archive it instead" in error["message"]
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_stale_project_is_flagged(publisher, organisation):
    project = ProjectFactory(organisation=organisation)
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=timezone.now() - timedelta(days=91)
    )

    assert api_for(publisher).get(f"/projects/{project.pk}").json()["is_stale"] is True


# --- timeline --------------------------------------------------------------------------------


def test_status_update_is_added_and_moves_the_phase(publisher, organisation):
    project = ProjectFactory(organisation=organisation, phase=Phase.DISCOVERY)
    api = api_for(publisher)

    response = api.post(
        f"/projects/{project.pk}/updates", {"text": "Alpha begins.", "phase": "alpha"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["phase"] == "alpha"
    assert response.json()["author"] == publisher.full_name
    assert Project.objects.get(pk=project.pk).phase == Phase.ALPHA
    listed = api.get(f"/projects/{project.pk}/updates").json()
    assert [u["text"] for u in listed["items"]] == ["Alpha begins."]


def test_status_update_text_is_required(publisher, organisation):
    project = ProjectFactory(organisation=organisation)

    response = api_for(publisher).post(f"/projects/{project.pk}/updates", {"text": "  "})

    error = assert_error(response, 400)
    assert fields_of(error) == {"text": "Enter the update."}
    assert not StatusUpdate.objects.exists()


def test_timeline_of_a_public_project_hides_authors_from_anonymous(organisation):
    project = ProjectFactory(
        organisation=organisation, status=ProjectStatus.PUBLISHED, is_public=True
    )
    StatusUpdateFactory(project=project, text="Live in all estates.")

    body = ApiClient().get(f"/projects/{project.pk}/updates").json()

    assert body["count"] == 1
    assert body["items"][0]["text"] == "Live in all estates."
    assert body["items"][0]["author"] is None


def test_a_plain_member_cannot_post_an_update(member, organisation):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)

    response = api_for(member).post(f"/projects/{project.pk}/updates", {"text": "Hello"})

    assert_error(response, 403, "permission_denied")
    assert not StatusUpdate.objects.exists()
