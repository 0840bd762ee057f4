"""Creating the confirmed rows of a CSV import in bulk (`import_run_import` calls `IMPORTERS`).

The rows stored on the import run (see `import_rows`) are turned back into model values (dates
parsed, related rows looked up again, a stale reference refusing the import), then created with
`bulk_create` in batches; the links of projects to their themes, tags and partners are written
with plain parameterised INSERTs. The caller holds the transaction, so it is all or nothing.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection, models
from django.utils import timezone

from interborough.accounts.models import User
from interborough.core.errors import ApplicationError
from interborough.pipeline.models import (
    ContractRecord,
    ImportKind,
    ImportRun,
    Project,
    ProjectStatus,
)
from interborough.pipeline.services.contracts import ContractLookups
from interborough.pipeline.services.project_input import ProjectLookups
from interborough.pipeline.services.projects import tags_for

BATCH_SIZE = 500
TAG_CHUNK = 500
LINK_BATCH = 5_000


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
