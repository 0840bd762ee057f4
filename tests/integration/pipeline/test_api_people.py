"""People and projects in API v1: contributing, watching, and following themes or tags."""

import pytest
from django.core import mail

from interborough.pipeline.models import (
    ContributionRequest,
    ContributionStatus,
    ProjectStatus,
    StatusUpdate,
    Subscription,
    Watch,
)
from tests.factories.pipeline import ContributionRequestFactory, ProjectFactory, theme
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db


def api_for(user, **kwargs) -> ApiClient:
    return ApiClient(issue_token(user, **kwargs))


@pytest.fixture
def project(organisation):
    return ProjectFactory(
        organisation=organisation, title="Repairs booking", status=ProjectStatus.PUBLISHED
    )


# --- contributing ----------------------------------------------------------------------------


def test_contributions_flow(
    project, publisher, member, other_publisher, django_capture_on_commit_callbacks
):
    asker = api_for(other_publisher)
    owner = api_for(publisher)

    with django_capture_on_commit_callbacks(execute=True):
        asked = asker.post(f"/projects/{project.pk}/contributions", {"message": "We built one."})
    assert asked.status_code == 201, asked.content
    contribution = asked.json()
    assert contribution["status"] == "pending"
    assert contribution["person"]["email"] == other_publisher.email
    assert [m.to for m in mail.outbox] == [[publisher.email]]

    assert_error(api_for(member).get(f"/projects/{project.pk}/contributions"), 403)
    listed = owner.get(f"/projects/{project.pk}/contributions").json()
    assert [c["id"] for c in listed["items"]] == [contribution["id"]]

    decision = f"/projects/{project.pk}/contributions/{contribution['id']}/decision"
    assert_error(asker.post(decision, {"approve": True}), 403, "permission_denied")
    with django_capture_on_commit_callbacks(execute=True):
        decided = owner.post(decision, {"approve": True})
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    assert decided.json()["decided_at"] is not None
    assert mail.outbox[-1].to == [other_publisher.email]

    update = asker.post(f"/projects/{project.pk}/updates", {"text": "Shared our research."})
    assert update.status_code == 201, update.content
    assert StatusUpdate.objects.get().author == other_publisher

    again = asker.post(f"/projects/{project.pk}/contributions", {"message": "Again."})
    assert_error(again, 400, "duplicate")
    assert_error(owner.post(decision, {"approve": False}), 400, "invalid_transition")


def test_a_contributor_token_for_their_own_organisation_may_post_updates(
    project, other_publisher, other_organisation
):
    ContributionRequestFactory(
        project=project, user=other_publisher, status=ContributionStatus.APPROVED
    )
    api = api_for(other_publisher, organisation=other_organisation)

    response = api.post(f"/projects/{project.pk}/updates", {"text": "Research shared."})

    assert response.status_code == 201, response.content


def test_people_of_the_owner_cannot_ask_to_contribute(project, member):
    response = api_for(member).post(f"/projects/{project.pk}/contributions", {"message": "Me!"})

    assert_error(response, 400, "not_allowed")
    assert not ContributionRequest.objects.exists()


def test_asking_to_contribute_to_an_invisible_draft_is_404(organisation, other_publisher):
    draft = ProjectFactory(organisation=organisation)

    response = api_for(other_publisher).post(
        f"/projects/{draft.pk}/contributions", {"message": "x"}
    )

    assert_error(response, 404, "not_found")


def test_contribution_message_is_required_and_bounded(project, other_publisher):
    api = api_for(other_publisher)

    blank = assert_error(api.post(f"/projects/{project.pk}/contributions", {"message": " "}), 400)
    long = api.post(f"/projects/{project.pk}/contributions", {"message": "x" * 2001})

    assert blank["fields"] == [{"field": "message", "message": "Enter the message."}]
    assert_error(long, 422, "validation_error")
    assert not ContributionRequest.objects.exists()


def test_deciding_a_contribution_of_another_project_is_404(project, organisation, publisher):
    elsewhere = ContributionRequestFactory(
        project=ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    )

    response = api_for(publisher).post(
        f"/projects/{project.pk}/contributions/{elsewhere.pk}/decision", {"approve": True}
    )

    assert_error(response, 404, "not_found")
    elsewhere.refresh_from_db()
    assert elsewhere.status == ContributionStatus.PENDING


# --- watching ----------------------------------------------------------------------------------


def test_watch_and_unwatch(project, other_publisher):
    api = api_for(other_publisher)

    first = api.post(f"/projects/{project.pk}/watch")
    second = api.post(f"/projects/{project.pk}/watch")

    assert first.status_code == second.status_code == 200
    assert first.json()["watching"] is True
    assert Watch.objects.filter(user=other_publisher, project=project).count() == 1
    assert api.request("DELETE", f"/projects/{project.pk}/watch").status_code == 204
    assert not Watch.objects.exists()
    assert api.request("DELETE", f"/projects/{project.pk}/watch").status_code == 204


def test_watching_another_organisations_draft_is_404(organisation, other_publisher):
    draft = ProjectFactory(organisation=organisation)

    assert_error(api_for(other_publisher).post(f"/projects/{draft.pk}/watch"), 404)
    assert not Watch.objects.exists()


def test_watching_needs_a_write_token(project, member):
    assert_error(
        api_for(member, scope="read").post(f"/projects/{project.pk}/watch"),
        403,
        "insufficient_scope",
    )


# --- subscriptions -----------------------------------------------------------------------------


def test_subscriptions_are_added_listed_and_removed(member):
    api = api_for(member)

    by_theme = api.post("/me/subscriptions", {"theme": "net-zero"})
    by_tag = api.post("/me/subscriptions", {"tag": "  Heat Pumps "})

    assert by_theme.status_code == 201, by_theme.content
    assert by_theme.json()["theme"] == {"slug": "net-zero", "name": "Net zero"}
    assert by_tag.json()["tag"] == "heat pumps"
    listed = api.get("/me/subscriptions").json()
    assert [s["id"] for s in listed["items"]] == [by_theme.json()["id"], by_tag.json()["id"]]
    assert api.request("DELETE", f"/me/subscriptions/{by_tag.json()['id']}").status_code == 204
    assert list(Subscription.objects.values_list("theme__slug", flat=True)) == ["net-zero"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "theme"),
        ({"theme": "housing", "tag": "damp"}, "theme"),
        ({"theme": "space-travel"}, "theme"),
    ],
)
def test_subscription_needs_one_known_theme_or_a_tag(member, payload, field):
    error = assert_error(api_for(member).post("/me/subscriptions", payload), 400)

    assert error["fields"][0]["field"] == field
    assert not Subscription.objects.exists()


def test_subscribing_twice_is_refused(member):
    api = api_for(member)
    api.post("/me/subscriptions", {"theme": "housing"})

    assert_error(api.post("/me/subscriptions", {"theme": "housing"}), 400)
    assert Subscription.objects.count() == 1


def test_someone_elses_subscription_is_404(member, other_publisher):
    theirs = Subscription.objects.create(user=other_publisher, theme=theme("housing"))

    response = api_for(member).request("DELETE", f"/me/subscriptions/{theirs.pk}")

    assert_error(response, 404, "not_found")
    assert Subscription.objects.filter(pk=theirs.pk).exists()
    assert api_for(member).get("/me/subscriptions").json()["count"] == 0
