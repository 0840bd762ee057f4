"""Bad input through every form: hostile, malformed and oversized values never give a 5xx.

Walks every page route whose permission table entry accepts POST, as someone the route lets in,
finds the form's fields on the page and posts hostile values into each of them.
"""

import re
from typing import Any

import pytest

from tests.access.rules import Kind, permitted
from tests.access.world import build_world
from tests.integration.test_authorisation import ROUTES, TABLE, _url, attempt

pytestmark = pytest.mark.django_db

HOSTILE: dict[str, Any] = {
    "huge": "x" * 100_000,
    "nul": "abc\x00def",
    "unicode": "\u202e\ufeff\U0001d540\U0001d55f \u2603 ' \" <script>alert(1)</script>",
    "sql": "'; DROP TABLE accounts_user; --",
    "formula": '=HYPERLINK("http://evil.example")',
    "empty": "",
    "list": ["a", "b", "c"],
    "number": "-99999999999999999999999",
}
FIELD = re.compile(rb'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
FORM_ROUTES = sorted(
    key
    for key, (_module, route) in TABLE.items()
    if key in ROUTES
    and not ROUTES[key].is_api
    and "POST" in route.methods
    and route.rule.kind is not Kind.NOWHERE
)


def _fields(html: bytes) -> set[str]:
    return {name.decode() for name in FIELD.findall(html)} - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("key", FORM_ROUTES)
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_form_answers_hostile_input_without_a_server_error(key, kind):
    world = build_world()
    route = TABLE[key][1]
    url = _url(key, ROUTES[key], route, world)
    label, user = permitted(route.rule, world)[-1]
    page = attempt(world, user, "GET", url, {}, follow=True).response
    fields = _fields(page.content) | set(route.data(world))
    data = {**route.data(world), **dict.fromkeys(fields, HOSTILE[kind])}
    response = attempt(world, user, "POST", url, data).response
    assert response.status_code < 500, f"{key} as {label} with {kind} input: {response.status_code}"


def test_an_oversized_form_body_is_refused_cleanly(client):
    response = client.post(
        "/account/sign-in/", {"username": "a@example.london", "password": "p" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 400
