from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from interborough.accounts.models import User
from interborough.accounts.permissions import can_view_audit
from interborough.core import selectors, services
from interborough.core.errors import ApplicationError
from interborough.core.forms import AuditFilterForm
from interborough.core.selectors import AuditFilters

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not can_view_audit(user):
        raise PermissionDenied
    return user


@login_required
@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    """Staff browse and filter the audit trail; there is no way to change it."""
    _staff(request)
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    page = Paginator(selectors.audit_event_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "verifications": selectors.audit_verification_list(),
        },
    )


@login_required
@require_POST
def audit_verification_create(request: HttpRequest) -> HttpResponse:
    """Queue a background check of the whole chain and show its progress."""
    user = _staff(request)
    try:
        verification = services.audit_verification_request(by=user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("core:audit-list")
    return redirect("core:audit-verification", pk=verification.pk)


@login_required
@require_safe
def audit_verification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A verification's progress and result; answers JSON to the page's polling script."""
    _staff(request)
    verification = selectors.audit_verification_get(pk=pk)
    if verification is None:
        raise Http404
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": verification.status,
                "checked": verification.checked,
                "total": verification.total,
                "percent": verification.percent,
                "finished": verification.is_finished,
            }
        )
    return render(request, "core/audit_verification.html", {"verification": verification})
