"""The public organisation directory, each organisation's page, editing its profile, and
platform staff adding, deactivating and reactivating organisations."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts import permissions, selectors, services
from interborough.accounts.forms import (
    OrganisationActiveForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    add_service_error,
)
from interborough.accounts.models import Organisation, OrganisationType, User
from interborough.accounts.reference import BOUNDARIES_ATTRIBUTION
from interborough.core.errors import ApplicationError
from interborough.ui.outcomes import act_and_report


def organisation_or_404(slug: str) -> Organisation:
    organisation = selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def can_see_members(user: User, organisation: Organisation) -> bool:
    return user.is_authenticated and (
        user.is_staff or permissions.role_of(user, organisation) is not None
    )


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Directory of organisations with a map of the boroughs."""
    org_type = request.GET.get("type", "")
    q = request.GET.get("q", "")[:100]
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": selectors.organisation_list(type=org_type, q=q),
            "types": OrganisationType.choices,
            "selected_type": org_type,
            "q": q,
            "attribution": BOUNDARIES_ATTRIBUTION,
            "can_onboard": permissions.can_onboard_organisations(user),
            "deactivated": selectors.organisation_deactivated_list(viewer=user),
        },
    )


_BOUNDARIES_CACHE: dict[str, bytes] = {}


@require_safe
def borough_boundaries(request: HttpRequest) -> HttpResponse:
    """The 33 local authority boundaries as GeoJSON for maps; cached per process and by browsers."""
    version = selectors.borough_boundaries_version()
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body = _BOUNDARIES_CACHE.get(version)
        if body is None:
            collection = selectors.borough_feature_collection()
            body = json.dumps(collection, separators=(",", ":")).encode()
            _BOUNDARIES_CACHE.clear()
            _BOUNDARIES_CACHE[version] = body
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's public page, with member and admin links for those who have them.

    Platform staff also see deactivated organisations here, so they can reactivate them.
    """
    user: User = request.user  # type: ignore[assignment]
    organisation = selectors.organisation_for_viewer(viewer=user, slug=slug)
    if organisation is None:
        raise Http404
    active = organisation.is_active
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "can_see_members": active and can_see_members(user, organisation),
            "can_manage": active and permissions.can_manage_members(user, organisation),
            "can_onboard": permissions.can_onboard_organisations(user),
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins of the organisation (or platform staff) edit its public profile."""
    organisation = organisation_or_404(slug)
    user: User = request.user  # type: ignore[assignment]
    if not permissions.can_manage_members(user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        form = OrganisationEditForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_update(
                    by=user, organisation=organisation, **form.cleaned_data
                )
            except (ApplicationError, ValidationError) as exc:
                organisation.refresh_from_db()
                add_service_error(form, exc)
            else:
                messages.success(request, "The organisation's details have been saved.")
                return redirect("accounts:organisation-detail", slug=organisation.slug)
    else:
        form = OrganisationEditForm(
            initial={
                "description": organisation.description,
                "website": organisation.website,
                "ico_registration": organisation.ico_registration,
            }
        )
    return render(
        request, "accounts/organisation_edit.html", {"organisation": organisation, "form": form}
    )


def _onboarding_staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not permissions.can_onboard_organisations(user):
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Platform staff add an organisation, optionally inviting its first admin."""
    user = _onboarding_staff(request)
    form = OrganisationCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            message = f"{organisation.name} has been added."
            if email := form.cleaned_data["first_admin_email"]:
                message += f" An invitation to be its admin has been sent to {email.lower()}."
            messages.success(request, message)
            return redirect("accounts:organisation-detail", slug=organisation.slug)
    return render(request, "accounts/organisation_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_active(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm, then deactivate (or reactivate) an organisation; platform staff only."""
    user = _onboarding_staff(request)
    organisation = selectors.organisation_for_viewer(viewer=user, slug=slug)
    if organisation is None:
        raise Http404
    if request.method == "POST":
        form = OrganisationActiveForm(request.POST)
        if form.is_valid():
            active: bool = form.cleaned_data["active"]
            done = "reactivated" if active else "deactivated"
            act_and_report(
                request,
                lambda: services.organisation_set_active(
                    by=user, organisation=organisation, active=active
                ),
                success=f"{organisation.name} has been {done}.",
            )
            return redirect("accounts:organisation-detail", slug=organisation.slug)
    else:
        form = OrganisationActiveForm()  # the template sends the opposite of the current state
    return render(
        request,
        "accounts/organisation_active.html",
        {"organisation": organisation, "form": form},
    )
