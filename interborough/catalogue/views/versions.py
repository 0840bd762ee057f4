"""A version's status page (checking, its validation report, or what it holds and what
changed), the JSON its page polls, and confirming an inferred schema.

Versions that are not ready (being checked, or invalid) are the publisher's business: everyone
else gets a 404 for them, as their problem reports may quote the data.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import User
from interborough.catalogue import permissions
from interborough.catalogue.forms_upload import SchemaConfirmForm
from interborough.catalogue.models import ResourceVersion, VersionStatus
from interborough.catalogue.services import version_schema as schema_services
from interborough.catalogue.views import viewer_of
from interborough.catalogue.views.resources import data_dictionary, visible_resource
from interborough.core.csv_export import csv_download
from interborough.core.errors import ApplicationError

GET_POST = ["GET", "HEAD", "POST"]
PROBLEMS_SHOWN = 100
IN_PROGRESS = (VersionStatus.UPLOADED, VersionStatus.CHECKING)


def visible_version(
    request: HttpRequest, slug: str, resource_id: UUID, number: int
) -> tuple[ResourceVersion, bool]:
    """The version and whether the viewer may edit its dataset; 404 if they may not see it."""
    resource = visible_resource(request, slug, resource_id)
    version = get_object_or_404(
        ResourceVersion.objects.select_related("uploaded_by"), resource=resource, number=number
    )
    version.resource = resource
    can_edit = permissions.can_edit_dataset(viewer_of(request), resource.dataset)
    if version.status != VersionStatus.READY and not can_edit:
        raise Http404
    return version, can_edit


def _detail_url(version: ResourceVersion) -> str:
    return reverse(
        "catalogue:version-detail",
        kwargs={
            "slug": version.resource.dataset.slug,
            "resource_id": version.resource_id,
            "number": version.number,
        },
    )


def _confirmable(version: ResourceVersion) -> bool:
    """An inferred schema of the latest ready version waits for the publisher to confirm it."""
    return (
        version.status == VersionStatus.READY
        and not version.schema_confirmed
        and version.resource.latest_id == version.pk
    )


@require_safe
def version_detail(
    request: HttpRequest, slug: str, resource_id: UUID, number: int
) -> HttpResponseBase:
    """The status of one version: being checked, its problems, or what it holds."""
    version, can_edit = visible_version(request, slug, resource_id, number)
    if request.GET.get("format") == "csv" and version.status == VersionStatus.INVALID:
        return csv_download(
            f"problems-v{version.number}.csv",
            ["row", "column", "problem"],
            ([p.get("row"), p.get("column"), p.get("message")] for p in version.problems),
        )
    confirmable = can_edit and _confirmable(version)
    columns = version.schema.get("fields", []) if isinstance(version.schema, dict) else []
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "dataset": version.resource.dataset,
            "resource": version.resource,
            "version": version,
            "can_edit": can_edit,
            "in_progress": version.status in IN_PROGRESS,
            "problems": version.problems[:PROBLEMS_SHOWN],
            "problems_stored": len(version.problems),
            "dictionary": data_dictionary(version.schema),
            "confirm_form": SchemaConfirmForm(columns=columns) if confirmable else None,
        },
    )


@require_safe
def version_status(request: HttpRequest, slug: str, resource_id: UUID, number: int) -> JsonResponse:
    """The version's status, for its page to poll while the file is checked."""
    version, _can_edit = visible_version(request, slug, resource_id, number)
    return JsonResponse(
        {
            "status": version.status,
            "label": version.get_status_display(),
            "finished": version.status not in IN_PROGRESS,
            "rows": version.rows,
            "problem_count": version.problem_count,
            "next": _detail_url(version),
        }
    )


def _editable_version(
    request: HttpRequest, slug: str, resource_id: UUID, number: int
) -> tuple[User, ResourceVersion]:
    version, can_edit = visible_version(request, slug, resource_id, number)
    if not can_edit:
        raise PermissionDenied
    return viewer_of(request), version


@login_required
@require_http_methods(GET_POST)
def version_schema(request: HttpRequest, slug: str, resource_id: UUID, number: int) -> HttpResponse:
    """Confirm a version's inferred schema, naming and describing each column (and changing a
    type, which checks the file again as a new version)."""
    viewer, version = _editable_version(request, slug, resource_id, number)
    columns = version.schema.get("fields", []) if isinstance(version.schema, dict) else []
    form = SchemaConfirmForm(request.POST if request.method == "POST" else None, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = schema_services.resource_version_confirm_schema(
                by=viewer, version=version, fields=form.to_inputs()
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            if confirmed.pk == version.pk:
                messages.success(request, "The schema is confirmed.")
            else:
                messages.success(
                    request,
                    f"You changed what the data means, so we are checking the file again with "
                    f"your schema, as version {confirmed.number}.",
                )
            confirmed.resource = version.resource
            return redirect(_detail_url(confirmed))
    return render(
        request,
        "catalogue/version_schema.html",
        {
            "dataset": version.resource.dataset,
            "resource": version.resource,
            "version": version,
            "form": form,
            "possible": _confirmable(version),
        },
    )
