from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from interborough.accounts.selectors import memberships_of
from interborough.ui.attention import attention_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Landing page; for a signed-in person, what needs their attention."""
    if not request.user.is_authenticated:
        return render(request, "ui/home_public.html")
    return render(
        request,
        "ui/home.html",
        {
            "attention": attention_for(request.user),  # type: ignore[arg-type]
            "memberships": memberships_of(user=request.user),  # type: ignore[arg-type]
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/privacy.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/accessibility.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "ui/errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "ui/errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/errors/500.html", status=500)
