"""The authorisation test: every URL pattern and every API operation, against its permission table.

It walks the whole URLconf (and, inside each django-ninja API, its OpenAPI operations), so a new
route fails here until it has an entry in tests/access/<app>.py. For each route and method:
  * anonymous visitors are sent to sign-in (401 from the API) unless the route is public;
  * people in another organisation get 403 or 404, never the data;
  * people without the needed role get 403;
  * a refused request changes nothing in the database;
  * the people the rule does let in really get in (2xx/3xx), so a table cannot rot.
Each request runs in a savepoint that is rolled back, so every person meets the same world.
"""

import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.staticfiles import views as staticfiles_views
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views import static

from tests.access import all_routes
from tests.access.rules import Kind, Outcome, Route, Rule, permitted, refused
from tests.access.world import World, build_world
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

PAGE_METHODS = ("GET", "POST")
STATIC_VIEWS = {static.serve, staticfiles_views.serve}
# Fields that record use rather than change (a token's last use, a person's last sign-in).
VOLATILE = {"accounts.apitoken": {"last_used_at"}, "accounts.user": {"last_login"}}
# A policy decision is written to the audit trail whether it allows or refuses: a refused
# request that logs its refusal has recorded use, not changed anything. The chain head only
# follows the events, so any real audit change still shows in core.auditevent.
DECISION_AUDIT_PREFIX = "sharing.decision."
DERIVED = {"core.auditchainhead"}


@dataclass(frozen=True)
class Found:
    """A route found by walking the project: a page (URL name) or an API operation."""

    key: str
    pattern: str
    method: str = ""  # set for API operations

    @property
    def is_api(self) -> bool:
        return bool(self.method)


def _template(route: str) -> str:
    """'api/v1/tokens/<token_id>/revoke' and '/api/v1/tokens/{token_id}/revoke' alike."""
    return "/" + re.sub(r"<[^>]+>|\{[^}]+\}", "{}", route).lstrip("^/").rstrip("$")


def _ninja_api(include: URLResolver) -> Any:
    for pattern in include.url_patterns:
        target = inspect.unwrap(getattr(pattern, "callback", None) or (lambda: None))
        api = getattr(target, "keywords", {}).get("api")
        if api is not None:
            return api
    raise AssertionError(f"Cannot find the NinjaAPI behind {include.pattern}: expose its schema")


def _walk_ninja(include: URLResolver, prefix: str, namespace: str) -> Iterator[Found]:
    """API operations from the OpenAPI schema; the include's other URLs (docs...) as pages."""
    schema = _ninja_api(include).get_openapi_schema()
    operations = {_template(path) for path in schema["paths"]}
    for path, methods in schema["paths"].items():
        for method in methods:
            yield Found(f"{method.upper()} {path}", path, method.upper())
    for pattern in include.url_patterns:
        route = prefix + str(pattern.pattern)
        if _template(route) not in operations:
            yield Found(f"{namespace}:{pattern.name}", route)


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Found]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            walker = _walk_ninja if pattern.app_name == "ninja" else _walk
            yield from walker(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if inspect.unwrap(pattern.callback) in STATIC_VIEWS:
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Found(name or f"<unnamed URL pattern {route!r}>", route)


def discover() -> dict[str, Found]:
    found: dict[str, Found] = {}
    for route in _walk(get_resolver()):
        found.setdefault(route.key, route)
    return found


ROUTES = discover()
TABLE = all_routes()
MISSING = "no entry in a permission table: add one to tests/access/<app>.py"


def _cases() -> Iterator[Any]:
    for key, found in sorted(ROUTES.items()):
        entry = TABLE.get(key)
        if entry is None:
            yield pytest.param(key, "", id=key)
        elif found.is_api:
            yield pytest.param(key, found.method, id=key)
        else:
            for method in entry[1].methods:
                yield pytest.param(key, method, id=f"{key} {method}")
            yield pytest.param(key, "other", id=f"{key} other methods")


# --- requests, each in a savepoint that is rolled back ---------------------------------------


def _fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Interborough model, less the fields that only record use."""
    state = {}
    for model in apps.get_models():
        if not model.__module__.startswith("interborough."):
            continue
        label = model._meta.label_lower
        if label in DERIVED:
            continue
        skip = VOLATILE.get(label, set())
        rows = model._default_manager.order_by("pk")
        if label == "core.auditevent":
            rows = rows.exclude(action__startswith=DECISION_AUDIT_PREFIX)
        rows = rows.values()
        state[label] = [tuple(sorted((k, v) for k, v in r.items() if k not in skip)) for r in rows]
    return state


@dataclass
class Attempt:
    response: HttpResponse
    changed: list[str]


def _send(
    client: Client, method: str, url: str, data: dict[str, Any], *, api: bool, follow: bool
) -> HttpResponse:
    if api:
        body = json.dumps(data).encode() if method != "GET" else b""
        return client.generic(method, url, body, content_type="application/json")
    if method == "GET":
        return client.get(url, follow=follow)
    return client.post(url, data, follow=follow)


def _client(world: World, user: Any, api: bool, scope: str) -> Client:
    if user is None:
        return Client()
    if api:  # the token is made outside the savepoint, so it outlives the rollback
        return Client(headers={"Authorization": f"Bearer {world.api_secret(user, scope)}"})
    return verified_client(user)


def attempt(
    world: World,
    user: Any,
    method: str,
    url: str,
    data: dict[str, Any],
    *,
    api: bool = False,
    follow: bool = False,
) -> Attempt:
    """One request as `user` (None: anonymous); the database is put back afterwards."""
    scope = data.pop("_scope", "write")
    if api and user is not None:
        world.api_secret(user, scope)
    with transaction.atomic():
        client = _client(world, user, api, scope)
        before = _fingerprint()
        response = _send(client, method, url, data, api=api, follow=follow and not api)
        after = _fingerprint()
        transaction.set_rollback(True)
    changed = sorted(label for label in before if before[label] != after[label])
    return Attempt(response, changed)


# --- what each outcome looks like ----------------------------------------------------------


def _location(response: HttpResponse) -> str:
    return urlsplit(response.get("Location", "")).path


def _describe(response: HttpResponse) -> str:
    where = f" to {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def refusal_problem(outcome: Outcome, response: HttpResponse, api: bool) -> str | None:
    status = response.status_code
    if outcome is Outcome.SIGN_IN:
        if api:
            ok = status == 401
        else:
            ok = status == 302 and _location(response) == reverse("accounts:sign-in")
    elif outcome is Outcome.FORBIDDEN:
        ok = status == 403
    elif outcome is Outcome.FORBIDDEN_OR_HIDDEN:
        ok = status in (403, 404)
    else:
        ok = status == 404
    if ok and api and response.json().keys() != {"error"}:
        return "an API refusal without the error shape"
    return None if ok else f"expected {outcome.value}, got {_describe(response)}"


def admission_problem(response: HttpResponse, api: bool) -> str | None:
    status = response.status_code
    if api:
        return None if 200 <= status < 300 else f"expected 2xx, got {_describe(response)}"
    # Redirects were followed: the person must end on a page that is not a gate they were sent to.
    gates = {reverse("accounts:sign-in"), reverse("accounts:two-factor")}
    hops = [urlsplit(url).path for url, _status in getattr(response, "redirect_chain", [])]
    if 200 <= status < 300 and not (hops and hops[-1] in gates):
        return None
    chain = " -> ".join(hops)
    return f"expected to get in, got {_describe(response)}" + (f" after {chain}" if chain else "")


# --- the checks for one route and method ---------------------------------------------------


def _url(key: str, found: Found, route: Route, world: World, **override: Any) -> str:
    kwargs = {**route.kwargs(world), **override}
    if route.path is not None:
        return route.path(world)
    if found.is_api:
        return found.pattern.format(**kwargs)
    return reverse(key, kwargs=kwargs)


def check(key: str, method: str, route: Route, world: World) -> list[str]:
    """Everything wrong with one route and method, as sentences."""
    found = ROUTES[key]
    api = found.is_api
    url = _url(key, found, route, world)
    problems = []
    for label, user, outcome in refused(route.rule, world):
        result = attempt(world, user, method, url, route.data(world), api=api)
        if problem := refusal_problem(outcome, result.response, api):
            problems.append(f"{label}: {problem}")
        if result.changed:
            problems.append(f"{label} was refused but changed {', '.join(result.changed)}")
    for label, user in permitted(route.rule, world):
        result = attempt(world, user, method, url, route.data(world), api=api, follow=True)
        if problem := admission_problem(result.response, api):
            problems.append(f"{label} (allowed by {route.rule}): {problem}")
    problems += check_cross_organisation(key, method, route, world)
    if api and method != "GET":
        problems += check_read_scope(method, url, route, world)
    return problems


def check_cross_organisation(key: str, method: str, route: Route, world: World) -> list[str]:
    """Another organisation's admin, naming their own organisation but our object: refused."""
    kwargs = route.kwargs(world)
    names_organisation = "slug" in kwargs and set(kwargs) > {"slug"}
    if route.rule.kind not in (Kind.ORG_MEMBER, Kind.ORG_ROLE) or not names_organisation:
        return []  # the object alone decides (its organisation is not in the URL)
    found = ROUTES[key]
    url = _url(key, found, route, world, slug=world.other_organisation.slug)
    result = attempt(world, world.other_admin, method, url, route.data(world), api=found.is_api)
    problem = refusal_problem(Outcome.FORBIDDEN_OR_HIDDEN, result.response, found.is_api)
    problems = [f"admin of another organisation, via their own slug: {problem}"] if problem else []
    if result.changed:
        problems.append(
            f"admin of another organisation, via their own slug, changed {result.changed}"
        )
    return problems


def check_read_scope(method: str, url: str, route: Route, world: World) -> list[str]:
    """A read-only token of someone who may write is still refused a write."""
    users = [user for _label, user in permitted(route.rule, world) if user is not None]
    if not users:
        return []
    data = {**route.data(world), "_scope": "read"}
    result = attempt(world, users[0], method, url, data, api=True)
    error = result.response.json().get("error", {}) if result.response.status_code < 500 else {}
    problems = []
    if result.response.status_code != 403 or error.get("code") != "insufficient_scope":
        got = error.get("code") or _describe(result.response)
        problems.append(f"read-only token: expected 403 insufficient_scope, got {got}")
    if result.changed:
        problems.append(f"read-only token was refused but changed {result.changed}")
    return problems


def check_other_methods(key: str, route: Route, world: World) -> list[str]:
    """Methods the table does not list must be refused with 405, even to those let in."""
    people = permitted(route.rule, world)
    if not people:
        return []
    url = _url(key, ROUTES[key], route, world)
    problems = []
    for method in set(PAGE_METHODS) - set(route.methods):
        result = attempt(world, people[0][1], method, url, route.data(world))
        if result.response.status_code != 405:
            problems.append(
                f"answers {method} with {_describe(result.response)} but its table entry lists "
                f"only {', '.join(route.methods)}: list {method} (with its data) or refuse it (405)"
            )
    return problems


# --- the tests -----------------------------------------------------------------------------


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.parametrize("key, method", list(_cases()))
def test_route_access(key, method, world):
    if key not in TABLE:
        pytest.fail(f"{key} ({ROUTES[key].pattern}) has {MISSING}")
    route = TABLE[key][1]
    if method == "other":
        problems = check_other_methods(key, route, world)
    else:
        problems = check(key, method, route, world)
    where = f"tests/access/{TABLE[key][0]}.py"
    assert not problems, f"{key} {method} ({route.rule}, {where}):\n  " + "\n  ".join(problems)


def test_every_route_has_an_access_rule():
    missing = [f"{key} ({found.pattern})" for key, found in ROUTES.items() if key not in TABLE]

    assert not missing, f"These routes have {MISSING}:\n  " + "\n  ".join(sorted(missing))


def test_every_access_rule_names_an_existing_route():
    stale = [f"{key} (tests/access/{TABLE[key][0]}.py)" for key in TABLE if key not in ROUTES]

    assert not stale, "These permission table entries name no route:\n  " + "\n  ".join(stale)


def test_walker_finds_pages_api_operations_and_api_pages():
    assert ROUTES["accounts:sign-in"].pattern == "account/sign-in/"
    assert ROUTES["GET /api/v1/me"].is_api
    assert ROUTES["POST /api/v1/tokens"].method == "POST"
    assert "api-v1:openapi-json" in ROUTES
    assert not any(key.startswith("api-v1:") and "token" in key for key in ROUTES)


@pytest.mark.parametrize(
    "key, wrong_rule",
    [
        ("core:audit-list", Rule(Kind.SIGNED_IN)),
        ("accounts:member-list", Rule(Kind.PUBLIC)),
        ("accounts:member-edit", Rule(Kind.ORG_ROLE, ("member", "org_admin"))),
        ("GET /api/v1/audit-events", Rule(Kind.ORG_MEMBER)),
        ("POST /api/v1/tokens/{token_id}/revoke", Rule(Kind.SIGNED_IN)),
    ],
)
def test_checker_reports_a_rule_that_does_not_match_the_route(key, wrong_rule, world):
    route = TABLE[key][1]
    method = ROUTES[key].method or route.methods[0]
    wrong = Route(wrong_rule, route.kwargs, route.methods, route.data, route.path)

    assert check(key, method, wrong, world)


def test_checker_reports_a_refused_request_that_changed_data(world, monkeypatch):
    from interborough.accounts.models import Organisation

    def meddling_send(*args, **kwargs):
        Organisation.objects.filter(pk=world.organisation.pk).update(description="meddled")
        return HttpResponse(status=403)

    monkeypatch.setitem(globals(), "_send", meddling_send)
    result = attempt(world, world.member, "POST", "/", {})

    assert result.changed == ["accounts.organisation"]
