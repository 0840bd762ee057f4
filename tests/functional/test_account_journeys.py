import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from interborough.accounts.models import ApiToken, Invitation
from interborough.accounts.services import api_token_authenticate
from tests.functional.pages import assert_accessible, current_code, sign_in, visit

pytestmark = pytest.mark.functional


def test_member_signs_in_and_sees_what_needs_their_attention(page, live_server, member):
    sign_in(page, member.email)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    expect(page.get_by_text("London Borough of Camden")).to_be_visible()
    assert_accessible(page)


def test_org_admin_sets_up_two_factor_and_invites_someone(page, org_admin, organisation):
    sign_in(page, org_admin.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=org_admin)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Two-factor sign-in is set up"
    )

    visit(page, f"/organisations/{organisation.slug}/members/invite/")
    page.get_by_label("Email address").fill("new.colleague@camden.example")
    page.get_by_label("Publisher").check()
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_text("new.colleague@camden.example").first).to_be_visible()
    assert_accessible(page)
    invitation = Invitation.objects.get(email="new.colleague@camden.example")
    assert invitation.role == "publisher"
    assert invitation.invited_by == org_admin
    assert [m.to for m in mail.outbox] == [["new.colleague@camden.example"]]


def test_member_creates_an_api_token_and_sees_the_secret_once(page, member):
    sign_in(page, member.email)
    visit(page, "/account/tokens/")

    page.get_by_label("Name").fill("Ward dashboard refresh")
    page.get_by_label("Read only").check()
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ward dashboard refresh")
    secret = page.locator("#token-secret").input_value()
    token = api_token_authenticate(secret)
    assert token is not None
    assert token.user == member
    assert ApiToken.objects.get().token_hash != secret
    assert_accessible(page)
    visit(page, "/account/tokens/")
    expect(page.get_by_role("table")).to_contain_text("Ward dashboard refresh")
    assert secret not in page.content()
