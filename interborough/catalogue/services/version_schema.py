"""Confirming the schema inferred for a version: titles and descriptions are saved on the same
version; a change of type or constraints makes a new version from the same source file."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from interborough.accounts.models import User
from interborough.catalogue import ingest, permissions, storage
from interborough.catalogue.ingest_schema import check_descriptor
from interborough.catalogue.models import ResourceVersion, VersionStatus
from interborough.catalogue.services.versions import FIELD_TYPES, resource_version_upload
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_line, clean_text
from interborough.core.validation import FieldErrors


@dataclass(frozen=True)
class SchemaFieldInput:
    """One column of a schema as the publisher confirmed it."""

    name: str
    title: str = ""
    description: str = ""
    type: str = ""  # "" keeps the column's type
    required: bool | None = None  # None keeps the column's constraints


def _edited_field(index: int, field: dict[str, Any], edit: SchemaFieldInput) -> dict[str, Any]:
    prefix = f"fields-{index}"
    edited = {k: v for k, v in field.items() if k not in ("title", "description")}
    title = clean_line(edit.title, field=f"{prefix}-title", label="title", max_length=200)
    description = clean_text(
        edit.description, field=f"{prefix}-description", label="description", max_length=2000
    )
    if title:
        edited["title"] = title
    if description:
        edited["description"] = description
    if edit.type and edit.type != field.get("type"):
        if edit.type not in FIELD_TYPES:
            raise ApplicationError(
                "Choose the column's type from the list.", field=f"{prefix}-type"
            )
        edited["type"] = edit.type
        edited.pop("format", None)  # a format (e.g. a date pattern) belongs to the old type
    if edit.required is not None:
        constraints = {k: v for k, v in (field.get("constraints") or {}).items() if k != "required"}
        if edit.required:
            constraints["required"] = True
        if constraints:
            edited["constraints"] = constraints
        else:
            edited.pop("constraints", None)
    return edited


def _changes_meaning(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """True when the data must be checked again: anything beyond titles and descriptions."""

    def meaning(field: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in field.items() if k not in ("title", "description")}

    return meaning(old) != meaning(new)


def _source_chunks(version: ResourceVersion) -> Iterator[bytes]:
    with storage.source_path(version).open("rb") as source:
        while chunk := source.read(1024 * 1024):
            yield chunk


@transaction.atomic
def resource_version_confirm_schema(
    *, by: User, version: ResourceVersion, fields: Sequence[SchemaFieldInput]
) -> ResourceVersion:
    """Confirm the inferred schema of a resource's latest version, with the publisher's edits.

    Titles and descriptions only document the columns, so they are saved on this version and
    its schema is marked confirmed; this version is returned. A changed type or constraint
    changes what the data means and must be checked against the data, and a ready version never
    changes: so this version is left as it is, a NEW version is made from the same source file
    with the edited (confirmed) schema, its check is queued, and the new version is returned.
    """
    dataset = version.resource.dataset
    if not permissions.can_edit_dataset(by, dataset):
        raise PermissionDeniedError("Only publishers and admins of the publisher confirm schemas.")
    version = (
        ResourceVersion.objects.select_for_update().select_related("resource").get(pk=version.pk)
    )
    if version.status != VersionStatus.READY or version.resource.latest_id != version.pk:
        raise ApplicationError(
            "Only the latest version, once it is checked and ready, can have its schema confirmed."
        )
    if version.schema_confirmed:
        raise ApplicationError("This version's schema is already confirmed.")
    columns = [f for f in version.schema.get("fields", []) if isinstance(f, dict)]
    edits = {edit.name: edit for edit in fields}
    if sorted(edits) != sorted(str(f.get("name")) for f in columns):
        raise ApplicationError(
            "The columns you sent are not this version's columns. Reload the page and try again."
        )
    errors = FieldErrors()
    edited = [
        errors.check(f"fields-{i}", _edited_field, i, column, edits[str(column.get("name"))])
        for i, column in enumerate(columns)
    ]
    errors.raise_if_any()
    schema = {**version.schema, "fields": edited}
    if not any(_changes_meaning(o, n) for o, n in zip(columns, edited, strict=True)):
        version.schema, version.schema_confirmed = schema, True
        version.save(update_fields=["schema", "schema_confirmed"])
        audit_record(
            by=by, action="resource_version.confirm_schema", obj=version,
            organisation=dataset.publisher, after={"schema": schema},
        )  # fmt: skip
        return version
    try:
        check_descriptor(schema)
    except ingest.IngestError as exc:
        raise ApplicationError(exc.message) from None
    if not storage.source_path(version).exists():
        raise ApplicationError("The file of this version is missing, so upload it again.")
    rechecked = resource_version_upload(
        by=by,
        resource=version.resource,
        filename=version.filename,
        chunks=_source_chunks(version),
        schema=schema,
    )
    audit_record(
        by=by, action="resource_version.confirm_schema", obj=version,
        organisation=dataset.publisher, after={"schema": schema, "new_version": rechecked.number},
    )  # fmt: skip
    return rechecked
