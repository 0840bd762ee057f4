"""CSV imports of projects and contract records: upload, check every row, then import on
confirmation, all or nothing.

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
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_line
from interborough.pipeline import imports, permissions
from interborough.pipeline.models import (
    ContractRecord,
    ImportKind,
    ImportRun,
    ImportStatus,
    Project,
    ProjectStatus,
)
from interborough.pipeline.models.imports import IMPORT_TRANSITIONS
from interborough.pipeline.services.contracts import (
    ContractInput,
    ContractLookups,
    clean_contract_input,
)
from interborough.pipeline.services.project_input import (
    ProjectInput,
    ProjectLookups,
    clean_project_input,
)
from interborough.pipeline.services.projects import tags_for

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500  # rows between progress updates on the run
MAX_PROBLEMS = 10_000  # problems kept on the run; the page shows the first 500
BATCH_SIZE = 500
TAG_CHUNK = 500
LINK_BATCH = 5_000
CHECK_FAILED = (
    "Something went wrong while checking the file, so nothing can be imported from it. Upload it "
    "again; if this keeps happening, tell the platform team."
)
IMPORT_FAILED = (
    "The import stopped because of an error, and nothing was imported. Try again, or discard "
    "this import and upload the file again."
)
Row = dict[str, Any]


# --- who may import, and the one transition ------------------------------------------------


def _move(import_run: ImportRun, to: str, **fields: Any) -> None:
    """The one transition of an import, checked against IMPORT_TRANSITIONS."""
    if to not in IMPORT_TRANSITIONS[import_run.status]:
        raise ApplicationError(
            f"This import is {import_run.get_status_display().lower()}, so it cannot be "
            f"{ImportStatus(to).label.lower()} now.",
            code="invalid_transition",
        )
    import_run.status = to
    for name, value in fields.items():
        setattr(import_run, name, value)
    import_run.save(update_fields=["status", "updated_at", *fields])


def _locked(import_run_id: Any) -> ImportRun:
    return (
        ImportRun.objects.select_for_update().select_related("organisation").get(pk=import_run_id)
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


def _jsonable(value: Any) -> Any:
    """Cleaned values as JSON: dates as ISO text, related rows by their natural keys."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Organisation):
        return value.slug
    if isinstance(value, User):
        return value.email.lower()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _aliases(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Names and slugs, in any case and spacing, to the slug."""
    aliases: dict[str, str] = {}
    for slug, name in pairs:
        aliases.setdefault(imports.normalise_key(name), slug)
        aliases[imports.normalise_key(slug)] = slug
    return aliases


def _resolve(values: tuple[str, ...], aliases: dict[str, str]) -> tuple[str, ...]:
    return tuple(aliases.get(imports.normalise_key(v), v) for v in values)


class _RowChecker:
    """Checks one kind of row; reference data is loaded once, in __init__."""

    schema: imports.Schema

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def clean(self, values: dict[str, Any]) -> Row:
        raise NotImplementedError

    def existing(self, values: dict[str, Any]) -> str | None:
        """A message when the organisation already has this record on the platform."""
        raise NotImplementedError

    def check(
        self, row: imports.ParsedRow, headers: dict[str, str]
    ) -> tuple[Row | None, list[imports.Problem]]:
        problems = list(row.problems)
        cleaned = None
        try:
            cleaned = self.clean(dict(row.values))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = headers.get(name, name)
                problems += [imports.Problem(row.line, column, m) for m in messages]
        if cleaned is not None and (message := self.existing(row.values)):
            identity = self.schema.identity[0]
            problems.append(imports.Problem(row.line, headers.get(identity, identity), message))
        if problems:
            return None, problems
        assert cleaned is not None  # noqa: S101 - no problems means it was cleaned
        return {"line": row.line, **cleaned}, []


class _ProjectChecker(_RowChecker):
    schema = imports.PROJECT_SCHEMA

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation)
        self.lookups = ProjectLookups.load(organisation=organisation)
        self.themes = _aliases((s, t.name) for s, t in self.lookups.themes.items())
        self.partners = _aliases((s, o.name) for s, o in self.lookups.organisations.items())
        self.titles = {
            imports.identity_key(title)
            for title in Project.objects.filter(organisation=organisation).values_list(
                "title", flat=True
            )
        }

    def clean(self, values: dict[str, Any]) -> Row:
        if "themes" in values:
            values["themes"] = _resolve(values["themes"], self.themes)
        if "partners" in values:
            values["partners"] = _resolve(values["partners"], self.partners)
        clean = clean_project_input(
            organisation=self.organisation, data=ProjectInput(**values), lookups=self.lookups
        )
        return {
            "fields": {name: _jsonable(v) for name, v in clean.fields.items()},
            "themes": [t.slug for t in clean.themes],
            "tags": list(clean.tags),
            "partners": [o.slug for o in clean.partners],
        }

    def existing(self, values: dict[str, Any]) -> str | None:
        if imports.identity_key(values.get("title", "")) in self.titles:
            return (
                f"{self.organisation} already has a project called “{values['title'][:200]}”. "
                "Remove the row, or change the title if it is a different project."
            )
        return None


class _ContractChecker(_RowChecker):
    schema = imports.CONTRACT_SCHEMA

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation)
        self.lookups = ContractLookups.load()
        self.suppliers = _aliases((s, o.name) for s, o in self.lookups.suppliers.items())
        self.contracts = {
            (imports.identity_key(product), imports.identity_key(supplier))
            for product, supplier in ContractRecord.objects.filter(
                organisation=organisation
            ).values_list("product", "supplier_name")
        }

    def clean(self, values: dict[str, Any]) -> Row:
        if "supplier" in values and values["supplier"].strip():
            values["supplier"] = _resolve((values["supplier"],), self.suppliers)[0]
        cleaned = clean_contract_input(data=ContractInput(**values), lookups=self.lookups)
        return {"fields": {name: _jsonable(v) for name, v in cleaned.items()}}

    def existing(self, values: dict[str, Any]) -> str | None:
        key = (
            imports.identity_key(values.get("product", "")),
            imports.identity_key(values.get("supplier_name", "")),
        )
        if key in self.contracts:
            return (
                f"{self.organisation} already has {values['product'][:200]} from "
                f"{values['supplier_name'][:200]} in its contract register. Remove the row, or "
                "edit the existing record instead."
            )
        return None


CHECKERS: dict[str, Callable[[Organisation], _RowChecker]] = {
    ImportKind.PROJECTS: _ProjectChecker,
    ImportKind.CONTRACTS: _ContractChecker,
}


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
    schema = imports.SCHEMAS[import_run.kind]
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


def _model_values(
    model: type[models.Model], fields: dict[str, Any], refs: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A stored row's fields back as model values (dates parsed, related rows looked up)."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if value is None or not isinstance(value, str):
            values[name] = value
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            values[name] = date.fromisoformat(value)
        elif field.is_relation:
            found = refs[name].get(value)
            if found is None:
                raise ApplicationError(
                    f"“{value[:100]}” ({name}) is no longer on the platform, so the rows that "
                    "name it cannot be imported. Discard this import and upload the file again.",
                    code="stale",
                )
            values[name] = found
        else:
            values[name] = value
    return values


def _looked_up(mapping: dict[str, Any], keys: list[str], what: str) -> list[Any]:
    missing = [k for k in keys if k not in mapping]
    if missing:
        raise ApplicationError(
            f"The {what} “{missing[0][:100]}” is no longer on the platform, so the rows that "
            "name it cannot be imported. Discard this import and upload the file again.",
            code="stale",
        )
    return [mapping[k] for k in keys]


def _insert_links(through: type[models.Model], pairs: list[tuple[int, int]]) -> None:
    """Many-to-many rows, (project id, other id) each, in a few statements.

    Plain parameterised INSERTs: building tens of thousands of through-model objects for
    bulk_create costs several times more than the database's own work.
    """
    if not pairs:
        return
    quote = connection.ops.quote_name
    keys = [f for f in through._meta.concrete_fields if f.is_relation]
    project_column = next(f.column for f in keys if f.related_model is Project)
    other_column = next(f.column for f in keys if f.related_model is not Project)
    sql = (
        f"INSERT INTO {quote(str(through._meta.db_table))} "  # noqa: S608 - names from the model
        f"({quote(project_column)}, {quote(other_column)}) VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), LINK_BATCH):
            cursor.executemany(sql, pairs[start : start + LINK_BATCH])


def _import_projects(import_run: ImportRun, by: User | None) -> list[int]:
    organisation = import_run.organisation
    lookups = ProjectLookups.load(organisation=organisation)
    contacts = {email: user for (_org, email), user in lookups.members_by_email.items()}
    names = list(dict.fromkeys(tag for row in import_run.rows for tag in row["tags"]))
    tags = {}
    for start in range(0, len(names), TAG_CHUNK):
        tags.update({t.name: t for t in tags_for(names[start : start + TAG_CHUNK])})
    now = timezone.now()
    projects = [
        Project(
            organisation=organisation,
            created_by=by,
            status=ProjectStatus.DRAFT,
            last_activity_at=now,
            **_model_values(Project, row["fields"], {"contact": contacts}),
        )
        for row in import_run.rows
    ]
    Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
    theme_links, tag_links, partner_links = [], [], []
    for project, row in zip(projects, import_run.rows, strict=True):
        theme_links += [
            (project.pk, t.pk) for t in _looked_up(lookups.themes, row["themes"], "theme")
        ]
        tag_links += [(project.pk, t.pk) for t in _looked_up(tags, row["tags"], "tag")]
        partner_links += [
            (project.pk, o.pk)
            for o in _looked_up(lookups.organisations, row["partners"], "organisation")
        ]
    _insert_links(Project.themes.through, theme_links)
    _insert_links(Project.tags.through, tag_links)
    _insert_links(Project.partners.through, partner_links)
    return [p.pk for p in projects]


def _import_contracts(import_run: ImportRun, by: User | None) -> list[int]:
    suppliers = ContractLookups.load().suppliers
    contracts = [
        ContractRecord(
            organisation=import_run.organisation,
            created_by=by,
            **_model_values(ContractRecord, row["fields"], {"supplier": suppliers}),
        )
        for row in import_run.rows
    ]
    ContractRecord.objects.bulk_create(contracts, batch_size=BATCH_SIZE)
    return [c.pk for c in contracts]


IMPORTERS: dict[str, Callable[[ImportRun, User | None], list[int]]] = {
    ImportKind.PROJECTS: _import_projects,
    ImportKind.CONTRACTS: _import_contracts,
}


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
