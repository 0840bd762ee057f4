"""The project pages: search with facets and the map, the record, registering, editing, the
lifecycle and status updates (views/projects.py)."""

import json
import re
from datetime import date, timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from interborough.pipeline.models import (
    ContributionStatus,
    Phase,
    Project,
    ProjectStatus,
    StatusUpdate,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import (
    ContributionRequestFactory,
    ProjectFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

PUBLISHED = ProjectStatus.PUBLISHED
LIST = "/projects/"


def detail(project: Project) -> str:
    return reverse("pipeline:project-detail", args=[project.pk])


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def form_data(**overrides):
    data = {
        "title": "Damp and mould reporting",
        "summary": "Tenants report damp and mould with photos; we triage within a day.",
        "problem": "Reports arrive by phone and get lost.",
        "phase": "discovery",
        "budget_band": "50k_250k",
        "funding_source": "core_budget",
        "themes": ["housing", "health"],
        "tags": "damp, Mould , repairs",
        "start_date": "1/4/2026",
        "end_date": "31/03/2027",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the list ---------------------------------------------------------------------------------


def test_project_list_shows_anonymous_visitors_public_projects_only(client, organisation):
    ProjectFactory(
        organisation=organisation, title="Open repairs", status=PUBLISHED, is_public=True
    )
    ProjectFactory(organisation=organisation, title="Members-only repairs", status=PUBLISHED)

    response = client.get(LIST)

    assert response.status_code == 200
    page = html(response)
    assert "Open repairs" in page
    assert "Members-only repairs" not in page
    assert "to see every published project" in page
    assert "Register a project" not in page


def test_project_list_shows_members_published_projects_and_their_own_drafts(
    client_for, member, organisation, other_organisation
):
    ProjectFactory(organisation=other_organisation, title="Hackney chatbot", status=PUBLISHED)
    ProjectFactory(organisation=organisation, title="Camden draft idea")
    ProjectFactory(organisation=other_organisation, title="Hackney secret draft")

    page = html(client_for(member).get(LIST))

    assert "Hackney chatbot" in page
    assert "Camden draft idea" in page
    assert re.search(r"Camden draft idea.*?govuk-tag--yellow\">Draft", page, re.S)
    assert "Hackney secret draft" not in page
    assert "2 projects" in page


def test_project_list_offers_registering_to_publishers_only(
    client_for, member, publisher, organisation
):
    assert "Register a project" in html(client_for(publisher).get(LIST))
    assert "Register a project" not in html(client_for(member).get(LIST))


def test_project_list_searches_and_shows_facets_with_counts(
    client_for, member, organisation, other_organisation
):
    ProjectFactory(
        organisation=organisation,
        title="Parking permits online",
        summary="Apply for a parking permit.",
        status=PUBLISHED,
        themes=["transport"],
    )
    ProjectFactory(
        organisation=other_organisation,
        title="Parking suspensions",
        summary="Book a parking suspension.",
        status=PUBLISHED,
        themes=["transport"],
    )
    ProjectFactory(
        organisation=other_organisation,
        title="Adult social care finder",
        summary="Find care at home.",
        status=PUBLISHED,
        themes=["social-care"],
    )

    page = html(client_for(member).get(LIST, {"q": "parking", "organisation": "hackney"}))

    assert "Parking suspensions" in page
    assert "Parking permits online" not in page
    assert "Adult social care finder" not in page
    assert "1 project<" in page
    assert re.search(r'name="organisation" type="checkbox" value="hackney" checked', page)
    assert re.search(r"Transport \(1\)", page)
    assert 'value="parking"' in page  # the search box keeps the words


def test_project_list_filters_by_yes_no_facets(client_for, member, organisation):
    ProjectFactory(
        organisation=organisation,
        title="Wants partners",
        status=PUBLISHED,
        collaboration_wanted=True,
        collaboration_kind="Share research",
    )
    ProjectFactory(organisation=organisation, title="Going it alone", status=PUBLISHED)

    page = html(client_for(member).get(LIST, {"collaboration": "yes"}))

    assert "Wants partners" in page
    assert "Going it alone" not in page
    assert re.search(r'name="collaboration" type="radio" value="yes" checked', page)


def test_project_list_passes_borough_counts_to_the_map_and_its_table(
    client_for, member, organisation, other_organisation
):
    for n in range(3):
        ProjectFactory(organisation=organisation, title=f"Camden {n}", status=PUBLISHED)
    ProjectFactory(organisation=other_organisation, title="Hackney 1", status=PUBLISHED)

    page = html(client_for(member).get(LIST, {"q": "", "phase": "concept"}))

    counts = json.loads(re.search(r'id="borough-counts"[^>]*>(.*?)</script>', page).group(1))
    assert counts == {"E09000007": 3, "E09000012": 1}
    assert 'data-projects-map data-geojson-url="/organisations/boroughs.geojson"' in page
    # The table's links and the map's clicks keep the other filters and choose one borough.
    assert 'href="/projects/?q=&amp;phase=concept&amp;organisation=camden"' in page
    assert 'data-filter-base="/projects/?q=&amp;phase=concept&amp;"' in page
    assert re.search(r"Camden</a></td>\s*<td[^>]*>3</td>", page)


def test_project_list_pages_through_results_with_govuk_pagination(client_for, member, organisation):
    for n in range(5):
        ProjectFactory(organisation=organisation, title=f"Project {n}", status=PUBLISHED)

    page = html(client_for(member).get(LIST, {"per_page": "2", "page": "2"}))

    assert "Page 2 of 3" in page
    assert 'class="govuk-pagination"' in page
    assert 'href="?per_page=2&amp;page=1" rel="prev"' in page
    assert 'href="?per_page=2&amp;page=3" rel="next"' in page
    assert 'aria-label="Page 2" aria-current="page"' in page
    assert page.count('class="ib-project-card"') == 2


def test_project_list_sorts_by_choice_and_keeps_an_explicit_choice(
    client_for, member, organisation
):
    older = ProjectFactory(organisation=organisation, title="Older parking", status=PUBLISHED)
    Project.objects.filter(pk=older.pk).update(last_activity_at=timezone.now() - timedelta(days=30))
    ProjectFactory(organisation=organisation, title="Newer parking", status=PUBLISHED)
    client = client_for(member)

    plain = html(client.get(LIST, {"q": "parking"}))
    chosen = html(client.get(LIST, {"q": "parking", "sort": "updated"}))

    assert "<strong>Relevance</strong>" in plain
    assert 'name="sort"' not in plain  # a new search goes back to relevance
    assert "<strong>Most recently updated</strong>" in chosen
    assert '<input type="hidden" name="sort" value="updated">' in chosen
    assert chosen.index("Newer parking") < chosen.index("Older parking")


def test_project_list_links_exports_with_the_current_query(client_for, member):
    page = html(client_for(member).get(LIST, {"theme": "housing", "page": "3"}))

    assert 'href="/projects/export.csv?theme=housing"' in page
    assert 'href="/projects/export.json?theme=housing"' in page
    assert 'href="/projects/feed.atom?theme=housing"' in page
    assert 'href="/projects/subscriptions"' in page


def test_project_list_tags_stale_projects(client_for, member, organisation):
    stale = ProjectFactory(organisation=organisation, title="Forgotten pilot", status=PUBLISHED)
    Project.objects.filter(pk=stale.pk).update(last_activity_at=timezone.now() - timedelta(days=91))

    page = html(client_for(member).get(LIST))

    assert re.search(r"Forgotten pilot.*?>Stale</strong>", page, re.S)


def test_project_list_ignores_junk_parameters(client_for, member):
    response = client_for(member).get(
        LIST, {"page": "-4", "per_page": "x", "phase": "nonsense", "q": "\x00" * 5, "sort": "?"}
    )

    assert response.status_code == 200


# --- the record -------------------------------------------------------------------------------


def test_project_detail_asks_anonymous_visitors_to_sign_in_for_a_private_project(
    client, organisation
):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)

    response = client.get(detail(project))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_project_detail_is_404_for_drafts_of_other_organisations(
    client_for, member, other_organisation
):
    draft = ProjectFactory(organisation=other_organisation)

    assert client_for(member).get(detail(draft)).status_code == 404
    assert client_for(member).get("/projects/999999/").status_code == 404


def test_project_detail_shows_the_public_record_without_personal_details(
    client, organisation, member
):
    project = ProjectFactory(
        organisation=organisation,
        title="Open data portal",
        status=PUBLISHED,
        is_public=True,
        contact=member,
    )
    StatusUpdateFactory(project=project, author=member, text="Went live.")

    page = html(client.get(detail(project)))

    assert "Open data portal" in page
    assert "Went live." in page
    assert member.email not in page
    assert escape(member.full_name) not in page
    assert "to see who to contact" in page


def test_project_detail_shows_the_record_timeline_and_owner_actions(
    client_for, publisher, member, organisation
):
    project = ProjectFactory(
        organisation=organisation,
        title="Repairs chatbot",
        status=PUBLISHED,
        tags=["chatbot"],
        contact=member,
    )
    StatusUpdate.objects.create(
        project=project,
        author=publisher,
        text="Discovery done.",
        created_at=timezone.now() - timedelta(days=10),
    )
    StatusUpdate.objects.create(project=project, author=publisher, text="Alpha started.")
    ContributionRequestFactory(project=project)

    page = html(client_for(publisher).get(detail(project)))

    assert "<h1" in page and "Repairs chatbot" in page
    assert page.index("Alpha started.") < page.index("Discovery done.")  # newest first
    assert member.email in page
    assert 'href="/projects/?tag=chatbot"' in page
    assert "Edit the project" in page
    assert "Archive project" in page
    assert "Publish project" not in page  # already published
    assert "Delete draft" not in page  # published projects are archived, not deleted
    assert "Requests to contribute (1 waiting)" in page
    assert f'action="/projects/{project.pk}/updates/new"' in page


def test_project_detail_hides_owner_actions_from_plain_members(client_for, member, organisation):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)

    page = html(client_for(member).get(detail(project)))

    assert "Edit the project" not in page
    assert "Requests to contribute" not in page
    assert "Add an update" not in page
    assert "Ask to contribute" not in page  # it is their own organisation's project
    assert "Watch this project" in page


def test_project_detail_warns_about_a_stale_project(client_for, publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=timezone.now() - timedelta(days=120)
    )

    page = html(client_for(publisher).get(detail(project)))

    assert "Nobody has updated this project for over 90 days" in page
    assert "archive it if it has ended" in page


def test_project_detail_lists_similar_projects_of_other_boroughs_with_score_and_reasons(
    client_for, member, organisation, other_organisation
):
    text = "Tenants report damp and mould in council homes with photos from their phones."
    own = ProjectFactory(
        organisation=organisation,
        title="Damp and mould reporting",
        summary=text,
        problem="",
        status=PUBLISHED,
        themes=["housing"],
    )
    ProjectFactory(
        organisation=organisation,
        title="Damp and mould reporting, phase two",
        summary=text,
        problem="",
        status=PUBLISHED,
    )
    ProjectFactory(
        organisation=other_organisation,
        title="Mould and damp reports",
        summary="Council tenants send photos of damp and mould from their phones.",
        problem="",
        status=PUBLISHED,
        themes=["housing"],
    )
    ProjectFactory(
        organisation=other_organisation,
        title="Library opening hours",
        summary="Opening times for libraries.",
        problem="",
        status=PUBLISHED,
        themes=["customer-services"],
    )

    page = html(client_for(member).get(detail(own)))

    similar = page[page.index("Similar projects in other boroughs") :]
    assert "Mould and damp reports" in similar
    assert "phase two" not in similar  # the same organisation's projects are not listed
    assert "Library opening hours" not in similar
    assert re.search(r"\d+% similar", similar)
    assert re.search(r"Why: they both mention [^<]*(damp|mould)", similar)
    assert "both are about housing" in similar


# --- registering and editing ------------------------------------------------------------------


def test_project_create_registers_a_draft_for_the_publishers_organisation(
    client_for, publisher, organisation, other_organisation
):
    client = client_for(publisher)
    page = html(client.get("/projects/new"))
    assert 'name="organisation"' not in page  # one organisation: nothing to choose
    assert "London Borough of Camden" in page

    response = client.post(
        "/projects/new", form_data(partners=["hackney"], contact_email=publisher.email.upper())
    )

    project = Project.objects.get(title="Damp and mould reporting")
    assert response.status_code == 302
    assert response["Location"] == detail(project)
    assert project.organisation == organisation
    assert project.status == ProjectStatus.DRAFT
    assert project.created_by == publisher
    assert project.contact == publisher
    assert project.start_date == date(2026, 4, 1)
    assert project.end_date == date(2027, 3, 31)
    assert sorted(t.slug for t in project.themes.all()) == ["health", "housing"]
    assert sorted(t.name for t in project.tags.all()) == ["damp", "mould", "repairs"]
    assert [o.slug for o in project.partners.all()] == ["hackney"]
    follow = html(client.get(response["Location"]))
    assert "has been saved as a draft" in follow


def test_project_create_lets_someone_in_several_organisations_choose(
    client_for, publisher, organisation, other_organisation
):
    MembershipFactory(user=publisher, organisation=other_organisation, role="org_admin")
    client = client_for(publisher)

    missing = client.post("/projects/new", form_data())
    chosen = client.post("/projects/new", form_data(organisation="hackney"))

    assert "Choose the organisation that owns the project." in error_summary(missing)
    assert chosen.status_code == 302
    assert Project.objects.get().organisation == other_organisation


def test_project_create_for_a_named_organisation_the_person_cannot_publish_for_is_refused(
    client_for, publisher, other_organisation
):
    response = client_for(publisher).post("/projects/new?organisation=hackney", form_data())

    assert response.status_code == 403
    assert not Project.objects.exists()


def test_project_create_is_refused_to_people_who_do_not_publish(client_for, member, staff):
    assert client_for(member).get("/projects/new").status_code == 403
    assert client_for(staff).post("/projects/new", form_data()).status_code == 403
    assert not Project.objects.exists()


def test_project_create_shows_every_problem_in_the_error_summary(client_for, publisher):
    response = client_for(publisher).post(
        "/projects/new",
        form_data(
            title="",
            themes=None,
            collaboration_wanted="on",
            market_engagement_wanted="on",
            market_need="",
            contact_email="nobody@example.org",
            source_code_url="not a link",
            tags="ok, <script>",
        ),
    )

    assert response.status_code == 200
    summary = error_summary(response)
    for message, field in [
        ("Enter the title.", "id_title"),
        ("Choose at least one theme.", "id_themes"),
        ("Say what kind of collaboration you want.", "id_collaboration_kind"),
        ("Say what you need from suppliers, so they can respond.", "id_market_need"),
        ("The contact must be a member of London Borough of Camden", "id_contact_email"),
        ("Enter the source code link as a web address", "id_source_code_url"),
        ("can only use letters, numbers, spaces", "id_tags"),
    ]:
        assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', summary), message
    assert not Project.objects.exists()
    # What the person typed is kept.
    assert 'value="ok, &lt;script&gt;"' in html(response)


def test_project_create_explains_a_date_it_cannot_read_and_dates_out_of_order(
    client_for, publisher
):
    client = client_for(publisher)

    unreadable = client.post("/projects/new", form_data(start_date="31/02/2026"))
    reversed_dates = client.post("/projects/new", form_data(end_date="1/1/2026"))

    assert "Enter the start date as a real date, like 27/03/2026." in error_summary(unreadable)
    assert "The end date must be on or after the start date." in error_summary(reversed_dates)
    assert not Project.objects.exists()


def test_project_edit_shows_the_record_and_saves_changes(client_for, publisher, organisation):
    project = ProjectFactory(
        organisation=organisation,
        title="Old title",
        status=PUBLISHED,
        tags=["alpha", "beta"],
        start_date=date(2025, 9, 1),
    )
    client = client_for(publisher)

    page = html(client.get(f"/projects/{project.pk}/edit"))
    response = client.post(
        f"/projects/{project.pk}/edit", form_data(title="New title", is_public="on")
    )

    assert 'value="Old title"' in page
    assert 'value="alpha, beta"' in page
    assert 'value="01/09/2025"' in page
    assert 'value="housing" checked' in page
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "New title"
    assert project.is_public is True
    assert project.status == PUBLISHED


def test_project_edit_is_refused_to_members_and_staff_and_hidden_for_other_drafts(
    client_for, member, staff, organisation, other_organisation
):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED, title="Keep")
    other_draft = ProjectFactory(organisation=other_organisation)

    assert client_for(member).post(f"/projects/{project.pk}/edit", form_data()).status_code == 403
    assert client_for(staff).get(f"/projects/{project.pk}/edit").status_code == 403
    assert client_for(member).get(f"/projects/{other_draft.pk}/edit").status_code == 404
    project.refresh_from_db()
    assert project.title == "Keep"


# --- the lifecycle ----------------------------------------------------------------------------


def test_project_publish_asks_for_confirmation_then_publishes(client_for, publisher, organisation):
    draft = ProjectFactory(organisation=organisation, title="Ready to go")
    client = client_for(publisher)

    page = html(client.get(f"/projects/{draft.pk}/publish"))
    response = client.post(f"/projects/{draft.pk}/publish", follow=True)

    assert "Publish “Ready to go”?" in page
    assert "Publish project</button>" in page
    draft.refresh_from_db()
    assert draft.status == PUBLISHED
    assert draft.published_at is not None
    assert "is published" in html(response)


def test_project_publish_of_a_published_project_says_it_cannot(client_for, publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)
    client = client_for(publisher)

    page = html(client.get(f"/projects/{project.pk}/publish"))
    response = client.post(f"/projects/{project.pk}/publish", follow=True)

    assert "You cannot do this now" in page
    assert "Publish project</button>" not in page
    assert "A published project cannot become published." in html(response)


def test_project_archive_and_restore(client_for, org_admin, organisation):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)
    client = client_for(org_admin)

    client.post(f"/projects/{project.pk}/archive")
    project.refresh_from_db()
    assert project.status == ProjectStatus.ARCHIVED
    assert "Restore project" in html(client.get(detail(project)))

    response = client.post(f"/projects/{project.pk}/restore", follow=True)
    project.refresh_from_db()
    assert project.status == PUBLISHED
    assert "has been restored" in html(response)


def test_project_delete_removes_a_draft_but_not_a_published_project(
    client_for, publisher, organisation
):
    draft = ProjectFactory(organisation=organisation, title="Scrap this")
    published = ProjectFactory(organisation=organisation, status=PUBLISHED)
    client = client_for(publisher)

    deleted = client.post(f"/projects/{draft.pk}/delete")
    refused = client.post(f"/projects/{published.pk}/delete", follow=True)

    assert deleted.status_code == 302
    assert deleted["Location"] == LIST
    assert not Project.objects.filter(pk=draft.pk).exists()
    assert "archive it instead" in html(refused)
    assert Project.objects.filter(pk=published.pk).exists()


def test_project_lifecycle_is_refused_to_plain_members(client_for, member, organisation):
    draft = ProjectFactory(organisation=organisation)

    assert client_for(member).post(f"/projects/{draft.pk}/publish").status_code == 403
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT


# --- status updates ---------------------------------------------------------------------------


def test_status_update_add_puts_an_entry_on_the_timeline_and_moves_the_phase(
    client_for, publisher, organisation
):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED, phase=Phase.DISCOVERY)

    response = client_for(publisher).post(
        f"/projects/{project.pk}/updates/new", {"text": "Alpha starts.", "phase": "alpha"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail(project) + "#timeline"
    update = project.updates.get()
    assert update.text == "Alpha starts."
    assert update.author == publisher
    project.refresh_from_db()
    assert project.phase == Phase.ALPHA


def test_status_update_add_explains_an_empty_update(client_for, publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)

    response = client_for(publisher).post(
        f"/projects/{project.pk}/updates/new", {"text": "  ", "phase": ""}
    )

    assert response.status_code == 200
    assert "Enter the update." in error_summary(response)
    assert not project.updates.exists()


def test_status_update_add_on_an_archived_project_says_restore_it_first(
    client_for, publisher, organisation
):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.ARCHIVED)

    response = client_for(publisher).post(
        f"/projects/{project.pk}/updates/new", {"text": "Still here."}
    )

    assert "Restore the project before adding updates." in error_summary(response)
    assert not project.updates.exists()


def test_status_update_add_is_open_to_approved_contributors_only(
    client_for, organisation, other_organisation
):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)
    contributor = MembershipFactory(organisation=other_organisation).user
    outsider = MembershipFactory(organisation=other_organisation).user
    ContributionRequestFactory(
        project=project, user=contributor, status=ContributionStatus.APPROVED
    )

    allowed = client_for(contributor).post(
        f"/projects/{project.pk}/updates/new", {"text": "Shared our research."}
    )
    refused = client_for(outsider).post(f"/projects/{project.pk}/updates/new", {"text": "Me too."})

    assert allowed.status_code == 302
    assert refused.status_code == 403
    assert [u.text for u in project.updates.all()] == ["Shared our research."]


def test_project_edit_of_a_deleted_project_is_404(client_for, publisher):
    gone = ProjectFactory(organisation=OrganisationFactory(), title="Gone")
    pk = gone.pk
    gone.delete()

    assert client_for(publisher).get(f"/projects/{pk}/edit").status_code == 404
