from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interborough.accounts.permissions import can_view_audit
from interborough.core.forms import AuditFilterForm
from interborough.core.selectors import AuditFilters, audit_chain_verify, audit_event_list

PAGE_SIZE = 50


@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    """Staff browse and filter the audit trail; there is no way to change it."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not can_view_audit(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    page = Paginator(audit_event_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "verify": audit_chain_verify() if request.GET.get("verify") else None,
        },
    )
