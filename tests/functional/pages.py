"""Helpers for the browser journeys: axe-core checks, signing in, authenticator codes."""

from pathlib import Path
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import PASSWORD

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no separate tag for 2.2 level A rules).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Run axe-core on the current page (WCAG 2.x A and AA) and fail on any violation."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        AXE_TAGS,
    )
    violations = result["violations"]
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {page.url}:\n{_describe(violations)}"
    )


def visit(page: Any, path: str) -> Any:
    """Open a page, check it answered 200 and passes axe-core."""
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page)
    return response


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for the device's key."""
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{code:0{device.digits}d}"


def confirmed_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True, last_t=-1)
