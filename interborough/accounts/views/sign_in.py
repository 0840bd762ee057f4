"""Sign in and out. Throttling is django-axes' job (settings.AXES_*); this only adds 2FA routing."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from interborough.accounts.forms import SignInForm
from interborough.accounts.middleware import must_verify_two_factor


def safe_next_url(request: HttpRequest, default: str) -> str:
    """`next` when it points into this site, otherwise `default` (no open redirects)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        # A fresh sign-in replaces request.user with a plain User, which is never verified yet.
        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and must_verify_two_factor(user):  # type: ignore[arg-type]
            return with_next(reverse("accounts:two-factor"), url)
        return url


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET); `next` is checked like sign-in's."""
