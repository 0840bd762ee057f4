"""Bad input never breaks the API: schemathesis throws schema-derived and schema-violating
requests at every operation of the in-process WSGI app, with the write token of an org admin
who is also staff (so every route gets past its permission check), and no response may be a
5xx. Bounded (examples per operation, no shrinking) so it stays quick."""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from interborough.accounts.models import ApiToken
from interborough.api.v1 import api
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.integration.api.helpers import issue_token

MAX_EXAMPLES = 25
SLUG = "camden"
WELL_FORMED_SLUG = re.compile(r"[-a-zA-Z0-9_]+")

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",  # valid requests and requests that break the schema
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
        },
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture
def same_connection():
    """Keep Django from closing the test's database connection at the end of each WSGI call.

    (Django's own test client does the same; here the requests go through the real WSGI app.)
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@dataclass
class Caller:
    headers: dict[str, str]
    token_id: int

    def keep_token_live(self) -> None:
        """Generated ids may hit this very token's revoke endpoint; keep testing with it."""
        ApiToken.objects.filter(pk=self.token_id).update(revoked_at=None)


@pytest.fixture
def caller(db, same_connection) -> Caller:
    """Staff and an admin of a real organisation, so every route reaches its logic."""
    organisation = OrganisationFactory(slug=SLUG, name="London Borough of Camden")
    admin = MembershipFactory(organisation=organisation, role="org_admin", user__is_staff=True).user
    MembershipFactory.create_batch(3, organisation=organisation)
    secret = issue_token(admin, scope="write", days=300)
    return Caller({"Authorization": f"Bearer {secret}"}, ApiToken.objects.get(user=admin).pk)


def _aim_at_the_organisation(case) -> None:
    """Half the well-formed slugs become the real organisation's, to reach the endpoint's logic."""
    slug = (case.path_parameters or {}).get("slug")
    if isinstance(slug, str) and WELL_FORMED_SLUG.fullmatch(slug) and len(slug) % 2 == 0:
        case.path_parameters["slug"] = SLUG


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_bad_input_with_a_server_error(case, caller):
    _aim_at_the_organisation(case)
    case.call_and_validate(headers=caller.headers, checks=[not_a_server_error])
    caller.keep_token_live()


# --- focused nasty inputs, for every operation in the contract ---------------------------

OPENAPI = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in OPENAPI["paths"].items()
    for method, operation in methods.items()
]
NASTY_TEXT = [
    "x" * 100_000,
    "nul\x00byte",
    "Llŷn ✓ 🚲 中文 \u202egnp.exe \ufeff",
    "-1",
    "-99999999999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "",
    " ",
    "null",
    "[]",
    "'; DROP TABLE accounts_user; --",
    "../../etc/passwd",
    "%00%ff",
]
NASTY_BODIES = [
    b"",
    b"not json",
    b"{",
    b"[]",
    b"null",
    b"1",
    b'"a string"',
    b'{"name": null, "email": null}',
    b'{"name": {"$gt": ""}, "email": ["a@b.c"]}',
    b'{"name": "x", "scope": true, "expires_at": 1e309}',
    b'{"name": "a\\u0000b", "email": "a\\u0000@example.london"}',
    b'{"name": "\xff\xfe", "email": "\xff@example.london"}',
    b'{"name": "' + b"x" * 500_000 + b'"}',
    b'{"name": "x", "organisation": "camden", "role": "org_admin", "extra": [[[[[]]]]]}',
]


def _call(client, method: str, path: str, caller: Caller, **kwargs):
    response = client.generic(method, path, headers=caller.headers, **kwargs)
    caller.keep_token_live()
    return response


def _assert_handled(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]}"
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}, f"{what}: not the error shape"


_ID_PARAMETER = re.compile(r"\{[a-z_]*id\}")


def _concrete(path: str, value: str = SLUG) -> str:
    """A real path: the fixture organisation's slug, and id 1 for every `{..._id}`."""
    return _ID_PARAMETER.sub("1", path.replace("{slug}", value))


@pytest.mark.parametrize("method, path, operation", OPERATIONS, ids=lambda v: str(v)[:60])
def test_every_query_parameter_survives_nasty_values(client, caller, method, path, operation):
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    for name in names or ["unexpected"]:
        for value in NASTY_TEXT:
            query = urlencode({name: value})
            response = _call(client, method, _concrete(path), caller, QUERY_STRING=query)
            _assert_handled(response, f"{method} {path}?{name}={value[:40]!r}")


@pytest.mark.parametrize(
    "method, path, operation",
    [op for op in OPERATIONS if "{" in op[1]],
    ids=lambda v: str(v)[:60],
)
def test_every_path_parameter_survives_nasty_values(client, caller, method, path, operation):
    for value in NASTY_TEXT:
        nasty = quote(value, safe="")
        url = _ID_PARAMETER.sub(nasty, path.replace("{slug}", nasty))
        _assert_handled(_call(client, method, url, caller), f"{method} {path} with {value[:40]!r}")


@pytest.mark.parametrize(
    "method, path, operation",
    [op for op in OPERATIONS if op[0] != "GET"],
    ids=lambda v: str(v)[:60],
)
def test_every_write_survives_nasty_bodies(client, caller, method, path, operation):
    for body in NASTY_BODIES:
        response = _call(
            client, method, _concrete(path), caller, data=body, content_type="application/json"
        )
        _assert_handled(response, f"{method} {path} with {body[:40]!r}")


@pytest.mark.parametrize(
    "raw",
    ["q=%ff%fe%00", "q=" + "Llŷn".encode().decode("latin-1"), "limit=1&limit=2&limit=x", "&&&=&="],
)
def test_raw_query_strings_are_handled(client, caller, raw):
    _assert_handled(_call(client, "GET", "/api/v1/organisations", caller, QUERY_STRING=raw), raw)


def test_nasty_bodies_in_other_content_types_are_refused(client, caller):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = _call(
            client, "POST", "/api/v1/tokens", caller, data=b"name=x", content_type=content_type
        )
        _assert_handled(response, content_type)
        assert 400 <= response.status_code < 500
