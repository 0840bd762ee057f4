import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from interborough.accounts.models import Organisation
from tests.functional.pages import (
    assert_accessible,
    confirmed_device,
    current_code,
    sign_in,
    visit,
)

pytestmark = pytest.mark.functional


def test_staff_verify_their_code_then_browse_and_verify_the_audit_trail(page, staff, member):
    device = confirmed_device(staff)
    sign_in(page, staff.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    assert_accessible(page)
    page.get_by_role("button", name="Verify the whole chain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit chain verification")
    expect(page.locator(".govuk-panel")).to_contain_text("Chain verified")
    assert_accessible(page)


def test_staff_add_a_supplier_and_invite_its_first_admin(page, staff, london):
    device = confirmed_device(staff)
    sign_in(page, staff.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/account/two-factor/"))

    visit(page, "/organisations/")
    page.get_by_role("button", name="Add an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation")
    assert_accessible(page)

    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the organisation's name.")
    assert_accessible(page)

    page.get_by_label("Name", exact=True).fill("Quillfern Data Ltd")
    page.get_by_label("Supplier").check()
    page.get_by_label("Website (optional)").fill("https://www.quillfern.example")
    page.get_by_label("First admin's email address (optional)").fill("ada@quillfern.example")
    page.get_by_role("button", name="Add organisation").click()

    expect(page).to_have_url(re.compile(r"/organisations/quillfern-data-ltd/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quillfern Data Ltd")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Quillfern Data Ltd has been added."
    )
    assert_accessible(page)
    assert Organisation.objects.get(slug="quillfern-data-ltd").type == "supplier"
    assert [m.to for m in mail.outbox] == [["ada@quillfern.example"]]
