"""Password reset by email and password change, on Django's views with audited saves."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from interborough.accounts.forms import (
    PasswordChangeAuditedForm,
    PasswordResetRequestForm,
    PasswordResetSetForm,
)


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link; the answer is the same whether or not the address has an account."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"site_url": settings.SITE_URL}


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetSetView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordResetSetForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view keeps the session valid after the change (update_session_auth_hash)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeAuditedForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeAuditedForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response
