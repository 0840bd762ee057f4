"""Copying an agreement's document out into the rows the platform queries: the columns beside it,
its parties and what it covers. Every write of a document calls `document_save` in the same
transaction, so the rows never disagree with the text."""

from typing import Any

from django.core.exceptions import ValidationError

from interborough.accounts.models import Organisation
from interborough.catalogue.selectors.fields import datasets_for_slugs
from interborough.sharing.document import copied_columns
from interborough.sharing.models import (
    AgreementDataset,
    AgreementParty,
    DataSharingAgreement,
    PartyRole,
)
from interborough.sharing.schema import schema_problems


def problems_as_error(problems: list[Any]) -> ValidationError:
    """A ValidationError keyed by each problem's dotted document path ("__all__" for the root)."""
    messages: dict[str, list[str]] = {}
    for problem in problems:
        messages.setdefault(problem.path or "__all__", []).append(problem.message)
    return ValidationError(messages)


def check_schema(document: dict[str, Any], *, keys: frozenset[str] | None = None) -> None:
    """Refuse a document the JSON Schema rejects (only problems under `keys`, when given)."""
    problems = schema_problems(document)
    if keys is not None:
        problems = [p for p in problems if not p.path or p.path.split(".")[0] in keys]
    if problems:
        raise problems_as_error(problems)


def _organisations(document: dict[str, Any]) -> dict[str, Organisation]:
    """Every organisation the document names (parties, providers), by slug, active or not."""
    slugs = {p.get("organisation") for p in document.get("parties") or []}
    slugs |= {d.get("provided_by") for d in (document.get("data") or {}).get("datasets") or []}
    wanted = [s for s in slugs if isinstance(s, str) and s]
    return {o.slug: o for o in Organisation.objects.filter(slug__in=wanted)}


def _party_rows(
    agreement: DataSharingAgreement, organisations: dict[str, Organisation], errors: dict
) -> list[AgreementParty]:
    rows: dict[str, AgreementParty] = {}
    for index, party in enumerate(agreement.document.get("parties") or []):
        slug = party.get("organisation") or ""
        if not slug:
            continue  # a party still being filled in; submitting needs it
        path = f"parties.{index}.organisation"
        organisation = organisations.get(slug)
        if organisation is None or not organisation.is_active:
            state = (
                "is not an organisation on the platform"
                if organisation is None
                else ("is no longer active on the platform")
            )
            errors.setdefault(path, []).append(
                f"“{slug}” {state}: choose an active organisation as each party."
            )
            continue
        if slug in rows:
            errors.setdefault(path, []).append(
                f"{organisation} is listed as a party twice: list each organisation once."
            )
            continue
        role = party.get("role") if party.get("role") in PartyRole.values else PartyRole.CONTROLLER
        rows[slug] = AgreementParty(agreement=agreement, organisation=organisation, role=role)
    return list(rows.values())


def _coverage_rows(
    agreement: DataSharingAgreement, organisations: dict[str, Organisation], errors: dict
) -> list[AgreementDataset]:
    entries = (agreement.document.get("data") or {}).get("datasets") or []
    named = [e.get("catalogue_dataset") for e in entries if e.get("catalogue_dataset")]
    datasets = datasets_for_slugs(slugs=named)
    party_slugs = {p.get("organisation") for p in agreement.document.get("parties") or []}
    rows: dict[str, AgreementDataset] = {}
    for index, entry in enumerate(entries):
        key = entry.get("key") or ""
        if not key:
            continue  # a dataset still being described; submitting needs its key
        path = f"data.datasets.{index}"
        if key in rows:
            errors.setdefault(f"{path}.key", []).append(
                f"The dataset key “{key}” is used twice: give each dataset its own key."
            )
            continue
        slug = entry.get("catalogue_dataset") or ""
        if slug and slug not in datasets:
            errors.setdefault(f"{path}.catalogue_dataset", []).append(
                f"There is no dataset “{slug}” in the data store: check its address, or leave "
                "it blank and describe the source."
            )
            continue
        provider = entry.get("provided_by") or ""
        if provider and (provider not in organisations or not organisations[provider].is_active):
            errors.setdefault(f"{path}.provided_by", []).append(
                f"“{provider}” is not an active organisation on the platform: choose who "
                "provides this dataset."
            )
            continue
        publisher = datasets[slug].publisher if slug else None
        if publisher is not None and not _may_share(publisher, provider, party_slugs):
            # An agreement grants access to the data it names: only the publisher can share a
            # data store dataset, so it must be a party and the dataset's provider.
            errors.setdefault(f"{path}.catalogue_dataset", []).append(
                f"“{slug}” is published by {publisher}: only its publisher can share it. Add "
                f"{publisher} as a party and as the dataset's provider, or describe the source."
            )
            continue
        rows[key] = AgreementDataset(
            agreement=agreement,
            key=key,
            dataset=datasets.get(slug) if slug else None,
            provided_by=organisations.get(provider) if provider else None,
            fields={
                f["name"]: f.get("transformation") or ""
                for f in entry.get("fields") or []
                if f.get("name")
            },
        )
    return list(rows.values())


def _may_share(publisher: Organisation, provider: str, party_slugs: set[Any]) -> bool:
    return publisher.slug in party_slugs and provider in ("", publisher.slug)


def document_save(agreement: DataSharingAgreement, *, fields: tuple[str, ...] = ()) -> None:
    """Save the agreement (its document, the columns copied from it and `fields`) and replace
    its party and coverage rows; refuse with a ValidationError, keyed by document path, naming
    every organisation or dataset the platform does not know."""
    organisations = _organisations(agreement.document)
    errors: dict[str, list[str]] = {}
    if agreement.pk is None:
        agreement.save()
    parties = _party_rows(agreement, organisations, errors)
    coverage = _coverage_rows(agreement, organisations, errors)
    if errors:
        raise ValidationError(errors)
    columns = copied_columns(agreement.document)
    for name, value in columns.items():
        setattr(agreement, name, value)
    agreement.save(update_fields=["document", *columns, *fields, "updated_at"])
    agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(parties)
    agreement.coverage.all().delete()
    AgreementDataset.objects.bulk_create(coverage)
