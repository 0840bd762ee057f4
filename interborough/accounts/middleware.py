from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from interborough.accounts.models import User
from interborough.accounts.permissions import requires_two_factor

# Paths a signed-in person may reach before completing two-factor sign-in.
_EXEMPT_PREFIXES = ("/account/two-factor/", "/account/sign-out/", "/static/", "/api/", "/healthz")


def must_verify_two_factor(user: User) -> bool:
    """Whether this signed-in person must enter a TOTP code before going further."""
    if requires_two_factor(user):
        return True
    annotated = getattr(user, "two_factor_device", None)  # set by EmailBackend.get_user
    return bool(annotated) if annotated is not None else user_has_device(user, confirmed=True)


class TwoFactorRequiredMiddleware:
    """Staff, IG leads, org admins, and anyone who enrolled an app must verify a TOTP code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and must_verify_two_factor(user)  # type: ignore[arg-type]
        ):
            target = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two-factor')}?{target}")
        return self.get_response(request)
