"""Resource pages: adding a resource with its first file, the resource's record (versions and
data dictionary) and uploading a new version. Version status pages are in views/versions.py.

Uploads are streamed: Django spools a file over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
file, `UploadLimitHandler` stops reading a file past its limit, and a request whose declared
length is over the limit is refused before its body is read at all.
"""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import User
from interborough.catalogue import permissions
from interborough.catalogue.forms_upload import (
    FILE_TOO_LARGE,
    MAX_SCHEMA_BYTES,
    SCHEMA_TOO_LARGE,
    ResourceForm,
    VersionUploadForm,
)
from interborough.catalogue.models import Dataset, Resource, ResourceVersion, VersionStatus
from interborough.catalogue.services import versions as services
from interborough.catalogue.services.versions import MAX_UPLOAD_BYTES
from interborough.catalogue.views import viewable_dataset, viewer_of
from interborough.catalogue.views.preview import resource_preview
from interborough.core.errors import ApplicationError

GET_POST = ["GET", "HEAD", "POST"]
# The form's other fields and multipart framing, on top of the two files.
FORM_OVERHEAD_BYTES = 1024 * 1024
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + MAX_SCHEMA_BYTES + FORM_OVERHEAD_BYTES
FILE_LIMITS = {
    "file": (MAX_UPLOAD_BYTES, FILE_TOO_LARGE),
    "schema": (MAX_SCHEMA_BYTES, SCHEMA_TOO_LARGE),
}

# For upload.js, which refuses a file over the limit before sending it.
UPLOAD_LIMIT = {"max_bytes": MAX_UPLOAD_BYTES, "too_large": FILE_TOO_LARGE}


# --- loading ----------------------------------------------------------------------------------


def visible_resource(request: HttpRequest, slug: str, resource_id: UUID) -> Resource:
    """The resource if the viewer may see its dataset; 404 otherwise."""
    dataset = viewable_dataset(request, slug)
    resource = get_object_or_404(Resource, pk=resource_id, dataset=dataset)
    resource.dataset = dataset  # already loaded, with its publisher
    return resource


def editable_resource(request: HttpRequest, slug: str, resource_id: UUID) -> tuple[User, Resource]:
    """The resource and its editor: 404 if they cannot see it, 403 if they may not change it."""
    viewer = viewer_of(request)
    resource = visible_resource(request, slug, resource_id)
    if not permissions.can_edit_dataset(viewer, resource.dataset):
        raise PermissionDenied
    return viewer, resource


def _editable_dataset(request: HttpRequest, slug: str) -> tuple[User, Dataset]:
    viewer = viewer_of(request)
    dataset = viewable_dataset(request, slug)
    if not permissions.can_edit_dataset(viewer, dataset):
        raise PermissionDenied
    return viewer, dataset


# --- the data dictionary ----------------------------------------------------------------------


def _constraint_text(constraints: dict[str, Any]) -> str:
    words = {
        "required": "required",
        "unique": "unique",
        "minimum": "at least {}",
        "maximum": "at most {}",
        "minLength": "at least {} characters",
        "maxLength": "at most {} characters",
        "pattern": "matches {}",
    }
    parts = []
    for key, template in words.items():
        value = constraints.get(key)
        if value is None or value is False:
            continue
        parts.append(template.format(value) if "{}" in template else template)
    if isinstance(constraints.get("enum"), list):
        parts.append("one of: " + ", ".join(str(v) for v in constraints["enum"][:20]))
    return "; ".join(parts)


def data_dictionary(schema: dict[str, Any]) -> list[dict[str, str]]:
    """A Table Schema's fields as rows for a data dictionary table."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    rows = []
    for field in fields if isinstance(fields, list) else []:
        if not isinstance(field, dict):
            continue
        kind = str(field.get("type") or "any")
        if field.get("format") and field.get("format") != "default":
            kind = f"{kind} ({field['format']})"
        constraints = field.get("constraints")
        rows.append(
            {
                "name": str(field.get("name", "")),
                "type": kind,
                "title": str(field.get("title", "")),
                "description": str(field.get("description", "")),
                "constraints": _constraint_text(
                    constraints if isinstance(constraints, dict) else {}
                ),
            }
        )
    return rows


# --- the record -------------------------------------------------------------------------------


@require_safe
def resource_detail(request: HttpRequest, slug: str, resource_id: UUID) -> HttpResponse:
    """A resource: its versions (every one for editors, the ready ones for everyone else) and
    the data dictionary of its latest version, with its preview, chart, map and choropleth."""
    viewer = viewer_of(request)
    resource = visible_resource(request, slug, resource_id)
    can_edit = permissions.can_edit_dataset(viewer, resource.dataset)
    versions = resource.versions.select_related("uploaded_by").order_by("-number")
    if not can_edit:
        versions = versions.filter(status=VersionStatus.READY)
    latest = resource.latest
    return render(
        request,
        "catalogue/resource_detail.html",
        {
            "dataset": resource.dataset,
            "resource": resource,
            "latest": latest,
            "versions": list(versions),
            "dictionary": data_dictionary(latest.schema) if latest else [],
            "can_edit": can_edit,
            "can_read_data": permissions.can_read_data(viewer, resource.dataset),
            "preview": resource_preview(request, viewer, resource) if latest else {},
        },
    )


# --- uploads ----------------------------------------------------------------------------------


class UploadLimitHandler(FileUploadHandler):
    """Stops reading a file field once it passes its limit, so an oversized file is never
    spooled whole; the view reads `request.upload_refused` (the field's message)."""

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.limit, self.message = FILE_LIMITS.get(field_name, (0, "This field takes no file."))

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, "upload_refused", self.message)  # noqa: B010
            # The rest of the body is small (the declared length was within bounds): read and
            # drop it, so the browser gets the page that says what is wrong.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _declared_too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return False


def _refused(form_class: type[forms.Form], message: str, field: str = "file") -> forms.Form:
    """An unfilled form showing why the upload was refused."""
    form = form_class(data={})
    form.is_valid()
    form.errors.clear()
    form.add_error(field, message)
    return form


def _csrf_checked(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check the view was exempted from, run once the upload limits are in place (as
    Django's docs advise): None if it passes, else its 403 response."""
    middleware = CsrfViewMiddleware(_checked)
    return middleware.process_view(request, _checked, (), {})


def _checked(request: HttpRequest) -> HttpResponse:
    """Stands in for the view in the CSRF check above (it is never called)."""
    return HttpResponse()


def _upload_form(request: HttpRequest, form_class: type[forms.Form]) -> forms.Form | HttpResponse:
    """The posted form, refused unread if it declares too large a body."""
    if _declared_too_large(request):
        return _refused(form_class, FILE_TOO_LARGE)
    request.upload_handlers = [UploadLimitHandler(request), *request.upload_handlers]
    if refusal := _csrf_checked(request):
        return refusal
    posted = form_class(request.POST, request.FILES)
    refused = getattr(request, "upload_refused", "")
    if not refused:
        return posted
    return _refused(form_class, refused, "schema" if refused == SCHEMA_TOO_LARGE else "file")


@csrf_exempt  # checked in _upload_form, once the upload limits are in place (Django docs)
@login_required
@require_http_methods(GET_POST)
def resource_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a resource to a dataset with its first file; then follow its check."""
    viewer, dataset = _editable_dataset(request, slug)
    form: forms.Form = ResourceForm()
    if request.method == "POST":
        posted = _upload_form(request, ResourceForm)
        if isinstance(posted, HttpResponse):
            return posted
        form = posted
        if form.is_valid():
            data, upload = form.cleaned_data, form.cleaned_data["file"]
            try:
                # One transaction: a refused file leaves no empty resource behind.
                with transaction.atomic():
                    resource = services.resource_create(
                        by=viewer,
                        dataset=dataset,
                        name=data["name"],
                        description=data["description"],
                    )
                    version = services.resource_version_upload(
                        by=viewer, resource=resource, filename=upload.name, chunks=upload.chunks(),
                        schema=data["schema"],
                    )  # fmt: skip
            except (ApplicationError, ValidationError) as exc:
                add_service_error(form, exc)
            else:
                return _uploaded(request, version)
    return render(
        request, "catalogue/resource_form.html", {"dataset": dataset, "form": form, **UPLOAD_LIMIT}
    )


@csrf_exempt  # checked in _upload_form, once the upload limits are in place (Django docs)
@login_required
@require_http_methods(GET_POST)
def version_upload(request: HttpRequest, slug: str, resource_id: UUID) -> HttpResponse:
    """Upload a new version of a resource; then follow its check."""
    viewer, resource = editable_resource(request, slug, resource_id)
    form: forms.Form = VersionUploadForm()
    if request.method == "POST":
        posted = _upload_form(request, VersionUploadForm)
        if isinstance(posted, HttpResponse):
            return posted
        form = posted
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = services.resource_version_upload(
                    by=viewer, resource=resource, filename=upload.name, chunks=upload.chunks(),
                    schema=form.cleaned_data["schema"],
                )  # fmt: skip
            except (ApplicationError, ValidationError) as exc:
                add_service_error(form, exc)
            else:
                return _uploaded(request, version)
    return render(
        request,
        "catalogue/resource_upload.html",
        {"dataset": resource.dataset, "resource": resource, "form": form, **UPLOAD_LIMIT},
    )


def _uploaded(request: HttpRequest, version: ResourceVersion) -> HttpResponse:
    """On to the version's status page (named in JSON to upload.js, which then goes there)."""
    messages.success(
        request, f"“{version.filename}” has been uploaded as version {version.number}."
    )
    url = reverse(
        "catalogue:version-detail",
        kwargs={
            "slug": version.resource.dataset.slug,
            "resource_id": version.resource_id,
            "number": version.number,
        },
    )
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"next": url})
    return redirect(url)
