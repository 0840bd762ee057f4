"""Imports and exports: upload a CSV file of projects or contract records, follow its check,
import it; download projects as CSV or JSON, or follow them in a feed reader (Atom).

Import pages are for publishers and admins of the import's organisation; anyone else gets a
404 for an import. The upload pages answer everyone signed in, and tell those who cannot
import why. Exports are public: each person gets what they may see.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, User
from interborough.core.csv_export import csv_download
from interborough.core.errors import ApplicationError
from interborough.pipeline import exports, import_columns, imports, permissions
from interborough.pipeline.forms.exchange import ImportConfirmForm, ImportUploadForm
from interborough.pipeline.models import ImportKind, ImportRun, ImportStatus
from interborough.pipeline.selectors.search_query import SearchQuery
from interborough.pipeline.services import imports as services
from interborough.pipeline.views import viewer_of

PROBLEMS_SHOWN = 500
RECENT_IMPORTS = 10
IN_PROGRESS = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)
KIND_PAGES: dict[str, str] = {
    ImportKind.PROJECTS: "pipeline:project-import",
    ImportKind.CONTRACTS: "pipeline:contract-import",
}
KIND_LISTS: dict[str, str] = {
    ImportKind.PROJECTS: "pipeline:project-list",
    ImportKind.CONTRACTS: "pipeline:contract-list",
}


def _project_url(request: HttpRequest) -> exports.UrlFor:
    """Absolute project links without one reverse() per row."""
    marker = 999999999
    template = request.build_absolute_uri(reverse("pipeline:project-detail", args=[marker]))
    before, after = template.split(str(marker))
    return lambda project: f"{before}{project.pk}{after}"


# --- exports -------------------------------------------------------------------------------


@require_safe
def project_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Projects the viewer may see, matching the list's filters, as a CSV download."""
    user = viewer_of(request)
    projects = exports.projects_for_export(viewer=user, query=SearchQuery.from_params(request.GET))
    rows = exports.csv_rows(
        projects,
        url_for=_project_url(request),
        include_contact=permissions.is_signed_in(user),
    )
    return csv_download("projects.csv", exports.CSV_HEADER, rows)


@require_safe
def project_export_json(request: HttpRequest) -> StreamingHttpResponse:
    """Projects the viewer may see, matching the list's filters, as a JSON list."""
    user = viewer_of(request)
    projects = exports.projects_for_export(viewer=user, query=SearchQuery.from_params(request.GET))
    chunks = exports.json_chunks(
        projects,
        url_for=_project_url(request),
        include_contact=permissions.is_signed_in(user),
    )
    response = StreamingHttpResponse(chunks, content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="projects.json"'
    return response


@require_safe
def project_feed(request: HttpRequest) -> HttpResponse:
    """New and updated published projects the viewer may see, as an Atom feed."""
    projects = exports.projects_for_feed(
        viewer=viewer_of(request), query=SearchQuery.from_params(request.GET)
    )
    feed = exports.atom_feed(
        projects,
        link=request.build_absolute_uri(reverse("pipeline:project-list")),
        feed_url=request.build_absolute_uri(),
        url_for=_project_url(request),
    )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- uploading -----------------------------------------------------------------------------


class _SizeLimit(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, before it reaches the disk."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _importing_organisations(user: User, kind: str) -> list[Organisation]:
    """The organisations this person may import for."""
    if not permissions.is_signed_in(user):
        return []
    candidates = (
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role__in=permissions.OWNER_ROLES,
            is_active=True,
        )
        .defer("boundary")
        .order_by("name")
    )
    return [o for o in candidates if permissions.can_import(user, o, kind)]


def _recent_imports(organisations: list[Organisation], kind: str) -> QuerySet[ImportRun]:
    return (
        ImportRun.objects.filter(organisation__in=organisations, kind=kind)
        .select_related("organisation", "created_by")
        .defer("rows", "problems", "organisation__boundary")[:RECENT_IMPORTS]
    )


def _template_download(kind: str) -> HttpResponse:
    schema = import_columns.SCHEMAS[kind]
    response = HttpResponse(
        import_columns.template_csv(schema), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


@csrf_protect
def _upload_page(request: HttpRequest, kind: str, size_limit: _SizeLimit) -> HttpResponse:
    user = viewer_of(request)
    if request.method != "POST" and "template" in request.GET:
        return _template_download(kind)
    organisations = _importing_organisations(user, kind)
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisations=organisations,
        too_large=size_limit.too_large,
    )
    if request.method == "POST" and organisations and form.is_valid():
        try:
            import_run = services.import_run_create(
                by=user,
                organisation=form.cleaned_data["organisation"],
                kind=kind,
                filename=form.cleaned_data["file"].name,
                content=form.content(),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("pipeline:import-detail", pk=import_run.pk)
    elif request.method == "POST" and not organisations:
        form.is_valid()  # bound, so the refusal shows in the error summary
        form.add_error(None, _cannot_import(kind))
    return render(
        request,
        "pipeline/import_upload.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": ImportKind(kind).label,
            "schema": import_columns.SCHEMAS[kind],
            "organisations": organisations,
            "cannot_import": _cannot_import(kind),
            "recent": _recent_imports(organisations, kind),
            "list_url": reverse(KIND_LISTS[kind]),
        },
    )


def _cannot_import(kind: str) -> str:
    what = "projects" if kind == ImportKind.PROJECTS else "contract records"
    return (
        f"Only publishers and organisation admins can import {what}. Ask an admin of your "
        "organisation to give you the publisher role."
    )


def _upload(request: HttpRequest, kind: str) -> HttpResponse:
    # The size check is an upload handler, added before anything reads the request body (so
    # the view is CSRF-exempt on the outside and protected on the inside, as Django advises).
    size_limit = _SizeLimit(request, imports.MAX_BYTES)
    request.upload_handlers = [size_limit, *request.upload_handlers]
    return _upload_page(request, kind, size_limit)


@login_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file of projects to check (and download the template)."""
    return _upload(request, ImportKind.PROJECTS)


@login_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def contract_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file of contract records to check (and download the template)."""
    return _upload(request, ImportKind.CONTRACTS)


# --- one import ----------------------------------------------------------------------------


def _import_or_404(request: HttpRequest, pk: Any, *, with_rows: bool = False) -> ImportRun:
    """The import, for publishers and admins of its organisation; a 404 for everyone else."""
    runs = ImportRun.objects.select_related("organisation", "created_by").defer(
        "organisation__boundary"
    )
    if not with_rows:
        runs = runs.defer("rows")
    import_run = runs.filter(pk=pk).first()
    if import_run is None or not permissions.can_import(
        viewer_of(request), import_run.organisation, import_run.kind
    ):
        raise Http404
    return import_run


def _percent(import_run: ImportRun) -> int:
    if import_run.status == ImportStatus.IMPORTING or not import_run.rows_total:
        return 0
    return min(100, round(100 * import_run.progress / import_run.rows_total))


def _progress_text(import_run: ImportRun) -> str:
    if import_run.status == ImportStatus.IMPORTING:
        return f"Importing {import_run.rows_valid:,} rows."
    if not import_run.rows_total:
        return "Reading the file."
    return f"Checked {import_run.progress:,} of {import_run.rows_total:,} rows."


@login_required
@require_safe
def import_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """An import's progress, its row-by-row report and what can be done with it."""
    import_run = _import_or_404(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": import_run.status,
                "finished": import_run.status not in IN_PROGRESS,
                "percent": _percent(import_run),
                "text": _progress_text(import_run),
            }
        )
    problems = import_run.problems or []
    file_problems = [p for p in problems if not p.get("line")]
    return render(
        request,
        "pipeline/import_detail.html",
        {
            "import_run": import_run,
            "in_progress": import_run.status in IN_PROGRESS,
            "percent": _percent(import_run),
            "progress_text": _progress_text(import_run),
            "file_problems": file_problems,
            "problems": [p for p in problems if p.get("line")][:PROBLEMS_SHOWN],
            "problem_count": len(problems) - len(file_problems),
            "problems_shown": PROBLEMS_SHOWN,
            "problem_lines": len({p["line"] for p in problems if p.get("line")}),
            "rows_with_problems": import_run.rows_total - import_run.rows_valid,
            "all_valid": not problems and import_run.rows_valid > 0,
            "can_import_valid": bool(problems) and import_run.rows_valid > 0,
            "upload_url": reverse(KIND_PAGES[import_run.kind]),
            "list_url": reverse(KIND_LISTS[import_run.kind]),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: Any) -> HttpResponse:
    """Import the checked rows: all of them, or the valid ones only."""
    import_run = _import_or_404(request, pk)
    form = ImportConfirmForm(request.POST)
    valid_rows_only = form.is_valid() and form.cleaned_data["valid_rows_only"]
    try:
        services.import_run_confirm(
            by=viewer_of(request), import_run=import_run, valid_rows_only=valid_rows_only
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("pipeline:import-detail", pk=import_run.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: Any) -> HttpResponse:
    """Throw the checked file away; nothing is imported."""
    import_run = _import_or_404(request, pk)
    try:
        services.import_run_discard(by=viewer_of(request), import_run=import_run)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("pipeline:import-detail", pk=import_run.pk)
    messages.success(request, f"{import_run.filename} was discarded. Nothing was imported.")
    return redirect(KIND_PAGES[import_run.kind])
