"""Checking the rows of a CSV import: each parsed row becomes a `ProjectInput` or
`ContractInput` and goes through the same rules as the forms and the API (`clean_project_input`,
`clean_contract_input`), with the reference data loaded once for the whole file.

Theme, partner and supplier names are matched to their slugs whatever their case and spacing; a row
naming a project (by title) or a contract (by product and supplier) the organisation already has is
a problem on its line. A clean row is kept on the import run as JSON (`_jsonable`: dates as ISO
text, related rows by their natural keys) until it is imported (see `import_bulk`).
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from interborough.accounts.models import Organisation, User
from interborough.pipeline import import_columns, imports
from interborough.pipeline.models import ContractRecord, ImportKind, Project
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

Row = dict[str, Any]


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
        aliases.setdefault(import_columns.normalise_key(name), slug)
        aliases[import_columns.normalise_key(slug)] = slug
    return aliases


def _resolve(values: tuple[str, ...], aliases: dict[str, str]) -> tuple[str, ...]:
    return tuple(aliases.get(import_columns.normalise_key(v), v) for v in values)


class _RowChecker:
    """Checks one kind of row; reference data is loaded once, in __init__."""

    schema: import_columns.Schema

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
    schema = import_columns.PROJECT_SCHEMA

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation)
        self.lookups = ProjectLookups.load(organisation=organisation)
        self.themes = _aliases((s, t.name) for s, t in self.lookups.themes.items())
        self.partners = _aliases((s, o.name) for s, o in self.lookups.organisations.items())
        self.titles = {
            import_columns.identity_key(title)
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
        if import_columns.identity_key(values.get("title", "")) in self.titles:
            return (
                f"{self.organisation} already has a project called “{values['title'][:200]}”. "
                "Remove the row, or change the title if it is a different project."
            )
        return None


class _ContractChecker(_RowChecker):
    schema = import_columns.CONTRACT_SCHEMA

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation)
        self.lookups = ContractLookups.load()
        self.suppliers = _aliases((s, o.name) for s, o in self.lookups.suppliers.items())
        self.contracts = {
            (import_columns.identity_key(product), import_columns.identity_key(supplier))
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
            import_columns.identity_key(values.get("product", "")),
            import_columns.identity_key(values.get("supplier_name", "")),
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
