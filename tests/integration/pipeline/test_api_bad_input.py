"""Bad input never breaks the projects API, even aimed at real projects (the project-wide
schemathesis test only reaches ids that do not exist): no 5xx, always the error shape, and a
refused write leaves the record as it was."""

import json
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from interborough.accounts.models import ApiToken
from interborough.api.v1 import api
from interborough.pipeline.models import ContributionRequest, Project, ProjectStatus, Subscription
from interborough.pipeline.schemas import ProjectIn
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ContributionRequestFactory, ProjectFactory, theme
from tests.integration.api.helpers import issue_token
from tests.integration.test_bad_input_api import NASTY_BODIES, NASTY_TEXT, same_connection

__all__ = ["same_connection"]  # a fixture used below

MAX_EXAMPLES = 20
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
        }
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG).include(
    tag="pipeline: projects"
)
schema.app = WSGIHandler()


@dataclass
class Targets:
    """A publisher's token and real objects to aim path parameters at."""

    headers: dict[str, str]
    token_id: int
    organisation_id: int
    user_id: int

    def project(self, n: int) -> Project:
        """One of the organisation's projects (made again if a generated DELETE removed it)."""
        status = ProjectStatus.PUBLISHED if n % 2 else ProjectStatus.DRAFT
        found = Project.objects.filter(organisation_id=self.organisation_id, status=status).first()
        return found or ProjectFactory(organisation_id=self.organisation_id, status=status)

    def keep_token_live(self) -> None:
        ApiToken.objects.filter(pk=self.token_id).update(revoked_at=None)


@pytest.fixture
def targets(db, same_connection) -> Targets:
    organisation = OrganisationFactory(slug="camden", name="London Borough of Camden")
    OrganisationFactory(slug="hackney", name="London Borough of Hackney")
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    secret = issue_token(publisher, scope="write", days=300)
    published = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    ContributionRequestFactory(project=published)
    Subscription.objects.create(user=publisher, theme=theme("housing"))
    return Targets(
        {"Authorization": f"Bearer {secret}"},
        ApiToken.objects.get(user=publisher).pk,
        organisation.pk,
        publisher.pk,
    )


def _aim(case, targets: Targets) -> None:
    """Most well-formed ids become real ones, so generated requests reach the endpoint's logic."""
    params = case.path_parameters or {}
    for name, value in params.items():
        if not isinstance(value, int) or value % 4 == 0:
            continue  # keep some generated ids: misses must be handled too
        if name == "project_id":
            params[name] = targets.project(value).pk
        elif name == "contribution_id":
            contribution = ContributionRequest.objects.first()
            if contribution is not None:
                params[name] = contribution.pk
                params["project_id"] = contribution.project_id
        elif name == "subscription_id":
            subscription = Subscription.objects.filter(user_id=targets.user_id).first()
            if subscription is not None:
                params[name] = subscription.pk
    body = case.body
    if isinstance(body, dict) and "organisation" in body and len(body) % 2:
        body["organisation"] = "camden"  # a real owner, and a real theme: past the lookups
        if isinstance(body.get("themes"), list):
            body["themes"] = ["housing"]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_projects_api_never_answers_bad_input_with_a_server_error(case, targets):
    _aim(case, targets)
    case.call_and_validate(headers=targets.headers, checks=[not_a_server_error])
    targets.keep_token_live()


# --- every text field of a project, with nasty values ---------------------------------------

TEXT_FIELDS = [name for name, field in ProjectIn.model_fields.items() if field.annotation is str]
LIST_FIELDS = ["themes", "tags", "partners", "related_datasets"]
MINIMAL = {"organisation": "camden", "title": "T", "summary": "S", "themes": ["housing"]}


def _assert_handled(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]}"
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}, f"{what}: not the error shape"


@pytest.mark.parametrize("name", TEXT_FIELDS + LIST_FIELDS)
def test_every_project_field_survives_nasty_values(client, targets, name):
    project = targets.project(0)
    before = Project.objects.filter(pk=project.pk).values().get()
    for text in NASTY_TEXT:
        value = [text] if name in LIST_FIELDS else text
        body = json.dumps({name: value})
        response = client.generic(
            "PATCH",
            f"/api/v1/projects/{project.pk}",
            body,
            content_type="application/json",
            headers=targets.headers,
        )
        _assert_handled(response, f"PATCH {name}={text[:40]!r}")
        if response.status_code >= 400:
            after = Project.objects.filter(pk=project.pk).values().get()
            assert after == before, f"a refused PATCH of {name} changed the project"
        else:
            before = Project.objects.filter(pk=project.pk).values().get()
        created = client.generic(
            "POST",
            "/api/v1/projects",
            json.dumps({**MINIMAL, name: value}),
            content_type="application/json",
            headers=targets.headers,
        )
        _assert_handled(created, f"POST {name}={text[:40]!r}")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/updates",
        "/api/v1/projects/{id}/contributions",
        "/api/v1/me/subscriptions",
    ],
)
def test_writes_survive_nasty_bodies(client, targets, path):
    url = path.replace("{id}", str(targets.project(1).pk))
    for method in ("POST", "PATCH"):
        for body in NASTY_BODIES:
            response = client.generic(
                method, url, body, content_type="application/json", headers=targets.headers
            )
            _assert_handled(response, f"{method} {path} with {body[:40]!r}")
