"""Functional tests: user journeys in Debian's chromium, driven by Playwright, checked by axe-core.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
synchronous database calls from async contexts must be relaxed for these tests.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interborough.accounts.services import organisations_load_reference
from interborough.catalogue.models import Topic
from interborough.catalogue.reference import TOPICS
from tests.factories.pipeline import load_reference_themes
from tests.functional.pages import AXE_SCRIPT

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the session; missing chromium fails under CI, skips elsewhere."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (make chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run npm ci")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def london(transactional_db: None) -> None:
    """London's 33 local authorities (with boundaries) and partner bodies, and the reference
    data migrations load (a transactional test before this one flushed it)."""
    organisations_load_reference(by=None)
    load_reference_themes()
    load_reference_topics()


def load_reference_topics() -> None:
    """The data store's topics migration catalogue/0002 loads, as that migration loads them."""
    for position, ref in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=ref.slug,
            defaults={"name": ref.name, "data_theme": ref.data_theme, "position": position},
        )
