from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interborough.accounts import selectors
from interborough.accounts.forms import SignInForm
from interborough.accounts.models import OrganisationType
from interborough.accounts.reference import BOUNDARIES_ATTRIBUTION


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Directory of organisations with a map of the boroughs."""
    org_type = request.GET.get("type", "")
    q = request.GET.get("q", "")[:100]
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": selectors.organisation_list(type=org_type, q=q),
            "types": OrganisationType.choices,
            "selected_type": org_type,
            "q": q,
            "boroughs_geojson": selectors.borough_feature_collection(),
            "attribution": BOUNDARIES_ATTRIBUTION,
        },
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise Http404
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "boundary_geojson": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": organisation.boundary,
                        "properties": {"code": organisation.gss_code, "name": str(organisation)},
                    }
                ],
            }
            if organisation.boundary
            else None,
            "attribution": BOUNDARIES_ATTRIBUTION,
        },
    )
