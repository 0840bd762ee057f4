import pytest
from playwright.sync_api import expect

from tests.functional.pages import assert_accessible, visit

pytestmark = pytest.mark.functional


def test_anonymous_visitor_browses_the_directory_to_an_organisation(page, london):
    visit(page, "/")

    page.get_by_role("link", name="Organisations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    expect(page.locator("#borough-map path.leaflet-interactive")).to_have_count(33)
    assert_accessible(page)

    page.get_by_role("link", name="London Borough of Camden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Camden")
    expect(page.get_by_text("E09000007").first).to_be_visible()
    assert_accessible(page)


def test_sign_in_with_a_wrong_password_shows_the_error_summary(page, member):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password", exact=True).fill("not-the-right-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password.")
    expect(page).to_have_title("Sign in (error) \N{EN DASH} Interborough")
    assert_accessible(page)


def test_unknown_address_shows_the_not_found_page(page, live_server):
    response = page.goto("/no-such-page/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
