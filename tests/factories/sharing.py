"""Agreement documents and agreement rows for tests.

`full_document` is the canonical example of a complete, valid agreement document (the shape the
JSON Schema in interborough/sharing/data/agreement.schema.json publishes). `agreement_row` writes
an agreement version straight to the database in any status, with its parties and coverage
copied out of the document the way the services do, for tests that need one without walking the
workflow.
"""

import copy
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.sharing.models import (
    AgreementDataset,
    AgreementParty,
    AgreementStatus,
    DataSharingAgreement,
)


def party(organisation: Organisation, role: str = "controller") -> dict[str, Any]:
    slug = organisation.slug
    return {
        "organisation": slug,
        "name": organisation.name,
        "ico_registration": organisation.ico_registration or "Z1234567",
        "role": role,
        "article6_basis": "public_task",
        "dpo": {"name": f"{organisation.name} DPO", "email": f"dpo@{slug}.example.london"},
        "signatory": {
            "name": f"{organisation.name} SIRO",
            "job_title": "Senior Information Risk Owner",
            "email": f"siro@{slug}.example.london",
        },
        "dspt_status": "standards_met",
        "cyber_essentials": "cyber_essentials_plus",
    }


def dataset_entry(
    provider: Organisation,
    *,
    key: str = "placements",
    catalogue_dataset: str | None = None,
    fields: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One entry of data.datasets; `fields` maps field name to transformation."""
    fields = fields or {
        "household_id": "keyed_hash",
        "surname": "keyed_bloom",
        "placing_borough": "clear",
        "placement_start": "clear",
    }
    return {
        "key": key,
        "title": f"Temporary accommodation placements ({key})",
        "catalogue_dataset": catalogue_dataset,
        "description": "Households placed in temporary accommodation, one row per placement.",
        "provided_by": provider.slug,
        "fields": [
            {
                "name": name,
                "sensitivity": "personal",
                "identifier_type": "direct" if transformation != "clear" else "attribute",
                "need": f"{name} is needed to count placements across boroughs.",
                "transformation": transformation,
            }
            for name, transformation in fields.items()
        ],
        "retention": {"period_months": 24, "deletion_method": "Secure deletion from the hub."},
    }


def full_document(
    parties: list[Organisation],
    *,
    reference: str = "DSA-2026-0001",
    version: int = 1,
    start: date | None = None,
    end: date | None = None,
    datasets: list[dict[str, Any]] | None = None,
    operations: list[str] | None = None,
) -> dict[str, Any]:
    """A complete, valid agreement document between `parties` (the first one leads)."""
    start = start or timezone.localdate() - timedelta(days=30)
    end = end or start + timedelta(days=730)
    return {
        "format": "interborough-dsa/1",
        "reference": reference,
        "version": version,
        "title": "Cross-borough temporary accommodation placements",
        "supersedes": None,
        "dates": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "review": (start + timedelta(days=365)).isoformat(),
        },
        "parties": [party(org) for org in parties],
        "purpose": {
            "description": "Count households placed across borough boundaries.",
            "dpv_purposes": ["dpv:ServiceProvision", "dpv:ResearchAndDevelopment"],
            "public_benefit": "Fewer families lose touch with schools and GPs when placed away.",
            "success_measures": "A quarterly table of placements between boroughs.",
        },
        "legal_basis": {
            "statutory_gateways": [
                {
                    "code": "housing-act-1996-part-7",
                    "citation": "Housing Act 1996 Part 7 and s213B",
                }
            ],
            "article9_conditions": [],
            "schedule1_conditions": [],
            "article10_condition": None,
        },
        "dpia": {
            "reference": "DPIA-2026-014",
            "date": (start - timedelta(days=20)).isoformat(),
            "screening": {"criteria": ["matching_datasets", "vulnerable_people"]},
        },
        "data": {
            "datasets": datasets or [dataset_entry(parties[0])],
            "data_subjects": ["Households in temporary accommodation"],
            "refresh_frequency": "monthly",
        },
        "processing": {
            "sharing_method": "platform_upload",
            "linkage": {"method": "probabilistic", "keys": ["household_id", "surname"]},
            "recipients": [org.slug for org in parties],
            "permitted_operations": operations or ["read", "upload", "link", "aggregate"],
            "output_disclosure_profile": {
                "minimum_cell_count": 10,
                "rounding_base": 5,
                "dominance_n": 2,
                "dominance_percent": 85,
                "secondary_suppression": True,
                "two_person_check": True,
            },
        },
        "security": {
            "uk_only_storage": True,
            "classification": "official_sensitive",
            "encryption_at_rest": "AES-256 on the hub's storage.",
            "encryption_in_transit": "TLS 1.2 or later.",
        },
        "rights": {
            "privacy_notices": [f"https://{parties[0].slug}.example.london/privacy/housing"],
            "subject_access_route": "Each party answers requests for the data it provided.",
            "objections_route": "Objections go to the providing party's DPO.",
            "breach_notification_hours": 24,
        },
        "exit": {
            "termination_terms": "Any party may leave with three months' notice.",
            "on_exit": "delete",
            "deletion_method": "Encodings and outputs deleted from the hub within 30 days.",
        },
        "register": {
            "publish": True,
            "public_summary": "Boroughs count families placed in each other's areas.",
            "contact": f"dpo@{parties[0].slug}.example.london",
        },
        "ethics": {
            "proportionality": "Only encodings leave each borough; names never do.",
            "fairness_and_bias": "Match rates are checked by ethnicity and age group.",
            "transparency": "Residents can read this agreement in the public register.",
            "public_benefit": "Better planning of school places and GP registrations.",
        },
    }


def agreement_row(
    parties: list[Organisation],
    *,
    status: str = AgreementStatus.ACTIVE,
    reference: str | None = None,
    version: int = 1,
    by: User | None = None,
    start: date | None = None,
    end: date | None = None,
    datasets: list[dict[str, Any]] | None = None,
    operations: list[str] | None = None,
    in_register: bool = True,
    dataset_links: dict[str, Any] | None = None,
) -> DataSharingAgreement:
    """An agreement version in `status`, its parties and coverage rows written directly.

    `dataset_links` maps a dataset key to the catalogue Dataset it covers.
    """
    reference = reference or f"DSA-TEST-{DataSharingAgreement.objects.count() + 1:04d}"
    document = full_document(
        parties,
        reference=reference,
        version=version,
        start=start,
        end=end,
        datasets=copy.deepcopy(datasets) if datasets else None,
        operations=operations,
    )
    dates = document["dates"]
    agreement = DataSharingAgreement.objects.create(
        reference=reference,
        version=version,
        title=document["title"],
        status=status,
        start_date=date.fromisoformat(dates["start"]),
        end_date=date.fromisoformat(dates["end"]),
        review_date=date.fromisoformat(dates["review"]),
        lead_organisation=parties[0],
        created_by=by,
        document=document,
        in_register=in_register,
        public_summary=document["register"]["public_summary"],
    )
    for organisation in parties:
        AgreementParty.objects.create(
            agreement=agreement, organisation=organisation, role="controller"
        )
    by_slug = {org.slug: org for org in parties}
    for entry in document["data"]["datasets"]:
        AgreementDataset.objects.create(
            agreement=agreement,
            key=entry["key"],
            dataset=(dataset_links or {}).get(entry["key"]),
            provided_by=by_slug.get(entry["provided_by"]),
            fields={f["name"]: f["transformation"] for f in entry["fields"]},
        )
    return agreement
