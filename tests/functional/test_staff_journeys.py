import pytest
from playwright.sync_api import expect

from tests.functional.pages import assert_accessible, confirmed_device, current_code, sign_in

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
