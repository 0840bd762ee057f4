"""CSV imports of projects and contract records: upload, check every row, then import on
confirmation, all or nothing. This module holds the import's lifecycle; checking one row is in
`import_rows` and creating the rows in bulk in `import_bulk`.

1. `import_run_create` keeps the uploaded file and, after commit, queues the check.
2. `import_run_validate` (a background task) reads the file, checks every row with the same rules
   as the forms and the API (`clean_project_input`, `clean_contract_input`, reference data
   loaded once for the whole file), stores the cleaned valid rows and the row-by-row report,
   and reports its progress on the run as it goes. The uploaded file is then deleted.
3. `import_run_confirm` lets a publisher import the rows: all of them when the file is clean, or
   only the valid rows when they choose so. The import itself (`import_run_import`, a background
   task) creates every row in one transaction with bulk inserts, and writes one audit event.
4. `import_run_discard` throws a checked file away.
"""

import hashlib
import logging
import os
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from interborough.accounts.models import Organisation, User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_line
from interborough.core.workflow import move_status
from interborough.pipeline import import_columns, imports, permissions
from interborough.pipeline.models import ImportKind, ImportRun, ImportStatus
from interborough.pipeline.models.imports import IMPORT_TRANSITIONS
from interborough.pipeline.services.import_bulk import IMPORTERS
from interborough.pipeline.services.import_rows import CHECKERS, Row

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500  # rows between progress updates on the run
MAX_PROBLEMS = 10_000  # problems kept on the run; the page shows the first 500
CHECK_FAILED = (
    "Something went wrong while checking the file, so nothing can be imported from it. Upload it "
    "again; if this keeps happening, tell the platform team."
)
IMPORT_FAILED = (
    "The import stopped because of an error, and nothing was imported. Try again, or discard "
    "this import and upload the file again."
)


# --- who may import, and the one transition ------------------------------------------------


def _move(import_run: ImportRun, to: str, **fields: Any) -> None:
    """The one transition of an import, checked against IMPORT_TRANSITIONS."""
    refusal = (
        f"This import is {import_run.get_status_display().lower()}, so it cannot be "
        f"{ImportStatus(to).label.lower()} now."
    )
    move_status(import_run, to, IMPORT_TRANSITIONS, refusal=refusal, **fields)


def _locked(import_run_id: Any) -> ImportRun:
    return (
        ImportRun.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=import_run_id)
    )


# --- the uploaded file, kept only until it is checked --------------------------------------


def upload_name(import_run_id: Any) -> str:
    """Where the uploaded file waits for its check (deleted afterwards)."""
    return f"imports/{import_run_id}.csv"


def _store_and_check(import_run_id: Any, content: bytes) -> None:
    from interborough.pipeline.tasks import validate_import

    default_storage.save(upload_name(import_run_id), ContentFile(content))
    validate_import.enqueue(str(import_run_id))


def _read_upload(import_run: ImportRun) -> bytes:
    with default_storage.open(upload_name(import_run.pk), "rb") as upload:
        data: bytes = upload.read()
    return data


def _delete_upload(import_run: ImportRun) -> None:
    name = upload_name(import_run.pk)
    if default_storage.exists(name):
        default_storage.delete(name)


def _clean_filename(filename: str) -> str:
    name = os.path.basename(filename.replace("\\", "/")) or "upload.csv"
    try:
        return clean_line(name, field="file", label="file name", max_length=255) or "upload.csv"
    except ApplicationError:
        return "upload.csv"


@transaction.atomic
def import_run_create(
    *, by: User, organisation: Organisation, kind: str, filename: str, content: bytes
) -> ImportRun:
    """Keep an uploaded CSV file of projects or contracts; its rows are checked afterwards."""
    if kind not in ImportKind.values:
        raise ApplicationError("Choose what the file holds: projects or contract records.")
    if not permissions.can_import(by, organisation, kind):
        raise PermissionDeniedError(
            "Only publishers and admins of the organisation import its projects and contracts."
        )
    if not content.strip():
        raise ApplicationError("The file is empty. Start from the template.", field="file")
    if len(content) > imports.MAX_BYTES:
        raise ApplicationError(
            f"The file must be smaller than {imports.MAX_BYTES // (1024 * 1024)} MB: split it "
            "into smaller files.",
            field="file",
        )
    import_run = ImportRun.objects.create(
        kind=kind,
        organisation=organisation,
        created_by=by,
        filename=_clean_filename(filename),
        checksum=hashlib.sha256(content).hexdigest(),
        status=ImportStatus.VALIDATING,
    )
    audit_record(
        by=by,
        action="import.create",
        obj=import_run,
        organisation=organisation,
        after={
            "kind": kind,
            "filename": import_run.filename,
            "checksum": import_run.checksum,
            "bytes": len(content),
        },
    )
    run_id = import_run.pk
    transaction.on_commit(lambda: _store_and_check(run_id, content))
    return import_run


# --- checking every row --------------------------------------------------------------------


def _finish_check(import_run_id: Any, to: str, **fields: Any) -> ImportRun:
    with transaction.atomic():
        import_run = _locked(import_run_id)
        _move(import_run, to, **fields)
        audit_record(
            by=None,
            system="import checker",
            action="import.validate",
            obj=import_run,
            organisation=import_run.organisation,
            after={
                "status": to,
                "encoding": import_run.encoding,
                "rows_total": import_run.rows_total,
                "rows_valid": import_run.rows_valid,
                "problems": len(import_run.problems),
            },
        )
    return import_run


def import_run_validate(*, import_run_id: Any) -> ImportRun:
    """Check every row of an uploaded file and keep the report (the background task calls this)."""
    import_run = ImportRun.objects.select_related("organisation").get(pk=import_run_id)
    if import_run.status != ImportStatus.VALIDATING:
        return import_run  # checked already (a task that ran twice)
    try:
        return _validate(import_run)
    except Exception:
        logger.exception("Checking import %s failed", import_run.pk)
        problem = {"line": 0, "column": "", "message": CHECK_FAILED}
        _finish_check(import_run.pk, ImportStatus.FAILED, problems=[problem], rows=[])
        raise
    finally:
        _delete_upload(import_run)


def _validate(import_run: ImportRun) -> ImportRun:
    schema = import_columns.SCHEMAS[import_run.kind]
    try:
        parsed = imports.parse(_read_upload(import_run), schema)
    except imports.ImportFileError as exc:
        problems = [p.as_dict() for p in exc.problems]
        return _finish_check(import_run.pk, ImportStatus.FAILED, problems=problems)
    ImportRun.objects.filter(pk=import_run.pk).update(
        rows_total=len(parsed.rows), encoding=parsed.encoding
    )
    checker = CHECKERS[import_run.kind](import_run.organisation)
    rows: list[Row] = []
    problems = [p.as_dict() for p in parsed.problems]
    for done, row in enumerate(parsed.rows, start=1):
        cleaned, row_problems = checker.check(row, parsed.headers)
        if cleaned is not None:
            rows.append(cleaned)
        elif len(problems) < MAX_PROBLEMS:
            problems += [p.as_dict() for p in row_problems[: MAX_PROBLEMS - len(problems)]]
        if done % PROGRESS_EVERY == 0:
            ImportRun.objects.filter(pk=import_run.pk).update(progress=done)
    return _finish_check(
        import_run.pk,
        ImportStatus.VALIDATED,
        encoding=parsed.encoding,
        rows_total=len(parsed.rows),
        rows_valid=len(rows),
        progress=len(parsed.rows),
        rows=rows,
        problems=problems,
    )


# --- confirming and importing --------------------------------------------------------------


@transaction.atomic
def import_run_confirm(*, by: User, import_run: ImportRun, valid_rows_only: bool) -> ImportRun:
    """Import the checked rows: all of them, or only the valid ones when the person chose so.

    The rows are created in the background, in one transaction (see `import_run_import`).
    """
    if not permissions.can_import(by, import_run.organisation, import_run.kind):
        raise PermissionDeniedError("Only publishers and admins of the organisation import.")
    import_run = _locked(import_run.pk)
    if import_run.status != ImportStatus.VALIDATED:
        raise ApplicationError(
            f"This import is {import_run.get_status_display().lower()}: it cannot be imported.",
            code="invalid_transition",
        )
    if import_run.problems and not valid_rows_only:
        raise ApplicationError(
            "Some rows have problems. Fix the file and upload it again, or choose to import the "
            "valid rows only.",
            code="problems",
        )
    if not import_run.rows:
        raise ApplicationError(
            "There are no valid rows to import. Fix the file and upload it again.", code="empty"
        )
    _move(import_run, ImportStatus.IMPORTING)
    audit_record(
        by=by,
        action="import.confirm",
        obj=import_run,
        organisation=import_run.organisation,
        after={"valid_rows_only": valid_rows_only, "rows": len(import_run.rows)},
    )
    from interborough.pipeline.tasks import run_import

    run_id, by_id = str(import_run.pk), by.pk
    transaction.on_commit(lambda: run_import.enqueue(run_id, by_id))
    return import_run


def import_run_import(*, import_run_id: Any, by_id: int | None) -> ImportRun:
    """Create every confirmed row in one transaction, all or nothing (the task calls this).

    Projects arrive as drafts of the organisation. One audit event records the import (how many,
    the file's checksum, the first and last id created). If anything fails, nothing is created
    and the import goes back to waiting for confirmation, with the reason in its report.
    """
    try:
        with transaction.atomic():
            import_run = _locked(import_run_id)
            if import_run.status != ImportStatus.IMPORTING:
                return import_run  # imported already (a task that ran twice)
            by = User.objects.filter(pk=by_id).first() if by_id else None
            ids = IMPORTERS[import_run.kind](import_run, by)
            _move(
                import_run,
                ImportStatus.IMPORTED,
                rows=[],
                rows_imported=len(ids),
                progress=len(ids),
            )
            audit_record(
                by=by,
                system="import",
                action="import.import",
                obj=import_run,
                organisation=import_run.organisation,
                after={
                    "kind": import_run.kind,
                    "filename": import_run.filename,
                    "checksum": import_run.checksum,
                    "count": len(ids),
                    "first_id": min(ids),
                    "last_id": max(ids),
                },
            )
            return import_run
    except Exception as exc:
        message = exc.message if isinstance(exc, ApplicationError) else IMPORT_FAILED
        with transaction.atomic():
            import_run = _locked(import_run_id)
            if import_run.status == ImportStatus.IMPORTING:
                problem = {"line": 0, "column": "", "message": message}
                _move(import_run, ImportStatus.VALIDATED, problems=[problem, *import_run.problems])
                audit_record(
                    by=None,
                    system="import",
                    action="import.fail",
                    obj=import_run,
                    organisation=import_run.organisation,
                    after={"error": type(exc).__name__, "message": message},
                )
        if isinstance(exc, ApplicationError):
            return import_run
        logger.exception("Import %s failed", import_run_id)
        raise


@transaction.atomic
def import_run_discard(*, by: User, import_run: ImportRun) -> ImportRun:
    """Throw away a checked file without importing anything from it."""
    if not permissions.can_import(by, import_run.organisation, import_run.kind):
        raise PermissionDeniedError("Only publishers and admins of the organisation discard it.")
    import_run = _locked(import_run.pk)
    _move(import_run, ImportStatus.DISCARDED, rows=[])
    audit_record(
        by=by,
        action="import.discard",
        obj=import_run,
        organisation=import_run.organisation,
        after={"rows_total": import_run.rows_total, "rows_valid": import_run.rows_valid},
    )
    return import_run
