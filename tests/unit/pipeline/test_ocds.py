"""The OCDS export: release shape, stable identifiers, and that internal values never appear.

No OCDS validator works offline (they fetch the schema from the standard's website), so
`assert_valid_package` checks by hand what the OCDS 1.1 release-package and release schemas
require: package `version` and `releases`; each release's `ocid`, `id`, `date`, `tag`,
`initiationType`; `tender.id`; the closed `tenderStatus` and `initiationType` codelists;
date-time formats; references from `buyer` to `parties`.
"""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from interborough.accounts.models import Organisation, OrganisationType
from interborough.pipeline import ocds
from interborough.pipeline.models import BudgetBand, ContractRecord, Project, ValueBand

TENDER_STATUSES = {"planning", "planned", "active", "cancelled", "unsuccessful", "complete"}
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
CHANGED = datetime(2026, 5, 1, 9, 30, 15, 123456, tzinfo=UTC)


def assert_date_time(value: str) -> None:
    assert DATE_TIME.match(value), value
    datetime.fromisoformat(value.replace("Z", "+00:00"))


def assert_valid_release(release: dict) -> None:
    for required in ("ocid", "id", "date", "tag", "initiationType"):
        assert release.get(required), f"release without {required}"
    assert release["initiationType"] == "tender"
    assert "#" not in release["id"]
    assert release["tag"] == ["planning"]
    assert_date_time(release["date"])
    tender = release["tender"]
    assert tender["id"]
    assert tender["status"] in TENDER_STATUSES
    for period in ("tenderPeriod", "contractPeriod"):
        for value in tender.get(period, {}).values():
            assert_date_time(value)
    party_ids = [p["id"] for p in release["parties"]]
    assert len(party_ids) == len(set(party_ids))
    assert release["buyer"]["id"] in party_ids
    for document in tender.get("documents", []):
        assert document["id"]


def assert_valid_package(package: dict) -> None:
    assert re.fullmatch(r"\d+\.\d+", package["version"])
    assert isinstance(package["releases"], list)
    assert_date_time(package["publishedDate"])
    assert package["publisher"]["name"]
    for release in package["releases"]:
        assert_valid_release(release)
    ids = [(r["ocid"], r["id"]) for r in package["releases"]]
    assert len(ids) == len(set(ids))
    json.dumps(package)  # serialisable as it is


def camden(**overrides) -> Organisation:
    fields = {
        "name": "London Borough of Camden",
        "slug": "camden",
        "gss_code": "E09000007",
        "type": OrganisationType.LOCAL_AUTHORITY,
        "website": "https://www.camden.gov.uk",
    }
    return Organisation(**{**fields, **overrides})


def need(**overrides) -> Project:
    fields = {
        "pk": 42,
        "title": "Repairs booking",
        "summary": "Tenants book repairs online.",
        "market_need": "A repairs booking product that works with our housing system.",
        "market_need_by": date(2026, 9, 30),
        "budget_band": BudgetBand.FROM_50K,
        "organisation": camden(),
        "updated_at": CHANGED,
    }
    return Project(**{**fields, **overrides})


def contract(**overrides) -> ContractRecord:
    fields = {
        "pk": 7,
        "product": "Housing Manager",
        "category": "Housing management",
        "supplier_name": "Example Systems Ltd",
        "contract_end": date(2027, 3, 31),
        "annual_value_band": ValueBand.FROM_100K,
        "value_is_internal": False,
        "reprocurement_planned": True,
        "organisation": camden(),
        "updated_at": CHANGED,
    }
    return ContractRecord(**{**fields, **overrides})


def test_project_release_is_a_planning_release_with_the_need():
    release = ocds.project_release(need(), prefix="ocds-test")

    assert_valid_release(release)
    assert release["ocid"] == "ocds-test-project-42"
    assert release["tender"]["status"] == "planning"
    assert release["tender"]["title"] == "Repairs booking"
    assert release["tender"]["description"].startswith("A repairs booking product")
    assert release["tender"]["tenderPeriod"] == {"endDate": "2026-09-29T23:00:00Z"}
    assert "£50,000 to £250,000" in release["planning"]["budget"]["description"]


def test_project_release_names_the_buyer_with_its_gss_code():
    release = ocds.project_release(need(), prefix="ocds-test")

    (party,) = release["parties"]
    assert party["name"] == "London Borough of Camden"
    assert party["roles"] == ["buyer"]
    assert party["identifier"] == {
        "scheme": ocds.GSS_SCHEME,
        "id": "E09000007",
        "legalName": "London Borough of Camden",
    }
    assert release["buyer"] == {"id": "camden", "name": "London Borough of Camden"}


def test_buyer_without_gss_code_has_no_identifier():
    release = ocds.project_release(
        need(organisation=camden(gss_code="", slug="gla", name="GLA")), prefix="p"
    )

    assert "identifier" not in release["parties"][0]


def test_release_ids_are_stable_until_the_record_changes():
    first = ocds.project_release(need(), prefix="p")
    again = ocds.project_release(need(), prefix="p")
    edited = ocds.project_release(need(updated_at=CHANGED + timedelta(minutes=5)), prefix="p")

    assert first["id"] == again["id"] == "p-project-42-20260501T093015Z"
    assert edited["ocid"] == first["ocid"]
    assert edited["id"] != first["id"]
    assert first["date"] == "2026-05-01T09:30:15Z"


def test_need_without_a_date_has_no_tender_period():
    release = ocds.project_release(need(market_need_by=None), prefix="p")

    assert "tenderPeriod" not in release["tender"]


def test_contract_release_plans_the_next_contract_and_shows_a_public_value_band():
    release = ocds.contract_release(
        contract(contract_notice_url="https://www.find-tender.service.gov.uk/Notice/1"),
        prefix="ocds-test",
    )

    assert_valid_release(release)
    assert release["ocid"] == "ocds-test-contract-7"
    assert release["tender"]["title"] == "Re-procurement of Housing Manager (Housing management)"
    assert "Example Systems Ltd" in release["tender"]["description"]
    # The next contract starts the day after this one ends: 1 April 2027, midnight in London.
    assert release["tender"]["contractPeriod"] == {"startDate": "2027-03-31T23:00:00Z"}
    assert "£100,000 to £500,000" in release["planning"]["budget"]["description"]
    assert release["tender"]["documents"][0]["url"].endswith("/Notice/1")


def test_contract_release_never_carries_an_internal_value():
    release = ocds.contract_release(contract(value_is_internal=True), prefix="p")

    text = json.dumps(release)
    assert "planning" not in release
    assert ValueBand.FROM_100K.label not in text
    assert ValueBand.FROM_100K.value not in text


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 5, 15), 18, date(2027, 11, 15)),
        (date(2026, 8, 31), 18, date(2028, 2, 29)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day, months, expected):
    assert ocds.add_months(day, months) == expected


def test_prefix_comes_from_settings(settings):
    settings.INTERBOROUGH_OCDS_PREFIX = "ocds-abc123"

    assert ocds.ocid_prefix() == "ocds-abc123"


def test_prefix_has_a_default():
    assert ocds.ocid_prefix() == "ocds-interborough"  # nothing in the test environment sets it
