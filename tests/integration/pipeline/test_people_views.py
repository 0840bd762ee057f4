"""People and projects pages: watching, asking to contribute, deciding on requests, following
themes and tags (views/people.py)."""

import re
from html import escape

import pytest
from django.core import mail

from interborough.core.models import AuditEvent
from interborough.pipeline.models import (
    ContributionRequest,
    ContributionStatus,
    ProjectStatus,
    Subscription,
    Tag,
    Theme,
    Watch,
)
from tests.factories.accounts import MembershipFactory
from tests.factories.pipeline import ContributionRequestFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organisation):
    return ProjectFactory(
        organisation=organisation, title="Repairs chatbot", status=ProjectStatus.PUBLISHED
    )


@pytest.fixture
def outsider(other_organisation):
    """A member of another organisation (Hackney)."""
    return MembershipFactory(organisation=other_organisation, role="member").user


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


# --- watching ---------------------------------------------------------------------------------


def test_project_watch_follows_then_unfollows(client_for, outsider, project):
    client = client_for(outsider)
    url = f"/projects/{project.pk}/watch"

    first = client.post(url, {"watch": "yes"}, follow=True)
    again = client.post(url, {"watch": "yes"})  # a repeated click does not flip it back
    assert Watch.objects.filter(user=outsider, project=project).count() == 1
    assert "You are watching this project" in html(first)
    assert "Stop watching" in html(first)
    assert again.status_code == 302

    client.post(url, {"watch": "no"})
    assert not Watch.objects.filter(user=outsider, project=project).exists()


def test_project_watch_toggles_when_no_choice_is_sent(client_for, outsider, project):
    client = client_for(outsider)
    url = f"/projects/{project.pk}/watch"

    client.post(url)
    assert Watch.objects.filter(user=outsider, project=project).exists()
    client.post(url)
    assert not Watch.objects.filter(user=outsider, project=project).exists()


def test_project_watch_of_an_invisible_draft_is_404_and_get_is_refused(
    client_for, outsider, organisation, project
):
    draft = ProjectFactory(organisation=organisation)
    client = client_for(outsider)

    assert client.post(f"/projects/{draft.pk}/watch").status_code == 404
    assert client.get(f"/projects/{project.pk}/watch").status_code == 405
    assert not Watch.objects.exists()


# --- contributing -----------------------------------------------------------------------------


def test_contribution_request_sends_the_request_and_tells_the_owners(
    client_for, outsider, project, organisation, django_capture_on_commit_callbacks
):
    owner = MembershipFactory(organisation=organisation, role="publisher").user
    client = client_for(outsider)
    detail = html(client.get(f"/projects/{project.pk}/"))
    assert f'href="/projects/{project.pk}/contribute"' in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/projects/{project.pk}/contribute", {"message": "We built one in Hackney."}
        )

    assert response.status_code == 302
    request = ContributionRequest.objects.get(project=project, user=outsider)
    assert request.status == ContributionStatus.PENDING
    assert request.message == "We built one in Hackney."
    assert [m.to for m in mail.outbox] == [[owner.email]]
    page = html(client.get(f"/projects/{project.pk}/"))
    assert "Your request to contribute" in page
    assert "Waiting for a decision" in page
    assert "Withdraw request" in page


def test_contribution_request_explains_an_empty_message(client_for, outsider, project):
    response = client_for(outsider).post(f"/projects/{project.pk}/contribute", {"message": ""})

    assert response.status_code == 200
    assert "Enter a message for the project&#x27;s owners." in error_summary(response)
    assert not ContributionRequest.objects.exists()


def test_contribution_request_from_the_owning_organisation_is_explained_and_refused(
    client_for, member, project
):
    client = client_for(member)

    page = html(client.get(f"/projects/{project.pk}/contribute"))
    response = client.post(f"/projects/{project.pk}/contribute", {"message": "Me please."})

    assert "you are in London Borough of Camden, which owns this one" in page
    assert "published projects of other organisations only" in error_summary(response)
    assert not ContributionRequest.objects.exists()


def test_contribution_request_page_shows_an_existing_request(client_for, outsider, project):
    ContributionRequestFactory(project=project, user=outsider)

    page = html(client_for(outsider).get(f"/projects/{project.pk}/contribute"))

    assert "Your request is:" in page
    assert "Waiting for a decision" in page
    assert 'name="message"' not in page


def test_contribution_withdraw_withdraws_only_ones_own_request(
    client_for, outsider, other_organisation, project
):
    mine = ContributionRequestFactory(project=project, user=outsider)
    someone_else = ContributionRequestFactory(
        project=project, user=MembershipFactory(organisation=other_organisation).user
    )

    response = client_for(outsider).post(f"/projects/{project.pk}/contribute/withdraw", follow=True)

    mine.refresh_from_db()
    someone_else.refresh_from_db()
    assert mine.status == ContributionStatus.WITHDRAWN
    assert someone_else.status == ContributionStatus.PENDING
    assert "Your request to contribute has been withdrawn." in html(response)


def test_contribution_withdraw_without_a_request_says_so(client_for, outsider, project):
    response = client_for(outsider).post(f"/projects/{project.pk}/contribute/withdraw", follow=True)

    assert "You have no open request to contribute to this project." in html(response)


def test_contribution_list_shows_requests_to_the_owners_only(
    client_for, org_admin, member, outsider, project
):
    ContributionRequestFactory(project=project, user=outsider, message="We can share code.")
    ContributionRequestFactory(project=project, status=ContributionStatus.DECLINED)

    page = html(client_for(org_admin).get(f"/projects/{project.pk}/contributions"))

    assert "Waiting for a decision (1)" in page
    assert "We can share code." in page
    assert outsider.email in page
    assert 'name="approve" value="yes"' in page
    assert "Earlier requests" in page
    assert "Declined" in page
    assert client_for(member).get(f"/projects/{project.pk}/contributions").status_code == 403
    assert client_for(outsider).get(f"/projects/{project.pk}/contributions").status_code == 403


def test_contribution_decide_approves_and_tells_the_person(
    client_for, org_admin, outsider, project, django_capture_on_commit_callbacks
):
    request = ContributionRequestFactory(project=project, user=outsider)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org_admin).post(
            f"/projects/{project.pk}/contributions/{request.pk}", {"approve": "yes"}, follow=True
        )

    request.refresh_from_db()
    assert request.status == ContributionStatus.APPROVED
    assert request.decided_by == org_admin
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert "can now contribute" in html(response)
    assert escape(outsider.full_name) in html(client_for(org_admin).get(f"/projects/{project.pk}/"))


def test_contribution_decide_declines(client_for, org_admin, project):
    request = ContributionRequestFactory(project=project)

    client_for(org_admin).post(
        f"/projects/{project.pk}/contributions/{request.pk}", {"approve": "no"}
    )

    request.refresh_from_db()
    assert request.status == ContributionStatus.DECLINED


def test_contribution_decide_refuses_a_junk_choice_and_a_second_decision(
    client_for, org_admin, project
):
    request = ContributionRequestFactory(project=project)
    client = client_for(org_admin)
    url = f"/projects/{project.pk}/contributions/{request.pk}"

    junk = client.post(url, {"approve": "maybe"}, follow=True)
    request.refresh_from_db()
    assert request.status == ContributionStatus.PENDING
    assert "Choose whether to approve or decline the request." in html(junk)

    client.post(url, {"approve": "no"})
    second = client.post(url, {"approve": "yes"}, follow=True)
    request.refresh_from_db()
    assert request.status == ContributionStatus.DECLINED
    assert "This request is already declined." in html(second)


def test_contribution_decide_for_a_request_on_another_project_is_404(
    client_for, org_admin, organisation, project
):
    elsewhere = ContributionRequestFactory(
        project=ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    )

    response = client_for(org_admin).post(
        f"/projects/{project.pk}/contributions/{elsewhere.pk}", {"approve": "yes"}
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == ContributionStatus.PENDING


# --- following themes and tags ----------------------------------------------------------------


def test_subscription_list_follows_a_theme_and_a_tag(client_for, member):
    client = client_for(member)

    theme = client.post("/projects/subscriptions", {"theme": "net-zero", "tag": ""}, follow=True)
    tag = client.post("/projects/subscriptions", {"theme": "", "tag": "  Heat  Pumps "})

    assert tag.status_code == 302
    follows = Subscription.objects.filter(user=member)
    assert {str(s.theme or s.tag) for s in follows} == {"Net zero", "heat pumps"}
    assert Tag.objects.filter(name="heat pumps").exists()
    assert "You are following “Net zero”" in html(theme)
    page = html(client.get("/projects/subscriptions"))
    assert "Theme: Net zero" in page
    assert "Tag: heat pumps" in page
    assert AuditEvent.objects.filter(action="project.subscribe").count() == 2


def test_subscription_list_explains_what_is_wrong(client_for, member):
    client = client_for(member)
    client.post("/projects/subscriptions", {"theme": "housing"})

    neither = client.post("/projects/subscriptions", {"theme": "", "tag": ""})
    unknown = client.post("/projects/subscriptions", {"theme": "no-such-theme"})
    twice = client.post("/projects/subscriptions", {"theme": "housing"})

    assert "Choose a theme or give a tag." in error_summary(neither)
    assert "Choose a theme from the list." in error_summary(unknown)
    assert "You already follow that." in error_summary(twice)
    assert Subscription.objects.filter(user=member).count() == 1


def test_subscription_delete_removes_only_ones_own(client_for, member, org_admin):
    housing = Theme.objects.get(slug="housing")
    mine = Subscription.objects.create(user=member, theme=housing)
    theirs = Subscription.objects.create(user=org_admin, theme=housing)
    client = client_for(member)

    removed = client.post(f"/projects/subscriptions/{mine.pk}/delete", follow=True)
    refused = client.post(f"/projects/subscriptions/{theirs.pk}/delete")

    assert not Subscription.objects.filter(pk=mine.pk).exists()
    assert "You no longer follow “Housing”." in html(removed)
    assert refused.status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()
