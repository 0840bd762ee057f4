"""The public register, its CSV and JSON exports, the JSON Schema and the audit heads."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interborough.sharing.models import AgreementStatus, AuditHeadPublication
from interborough.sharing.register import REGISTER_COLUMNS
from interborough.sharing.views.register import PAGE_SIZE
from tests.factories.accounts import OrganisationFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

KEYS = [key for key, _ in REGISTER_COLUMNS]


@pytest.fixture
def parties(organisation, other_organisation):
    return [organisation, other_organisation]


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_register_lists_agreed_published_versions_only(client, parties):
    active = agreement_row(parties, reference="DSA-2026-0001")
    agreement_row(parties, reference="DSA-2026-0002", status=AgreementStatus.DRAFT)
    agreement_row(parties, reference="DSA-2026-0003", status=AgreementStatus.SUBMITTED)
    agreement_row(parties, reference="DSA-2026-0004", in_register=False)

    response = client.get(reverse("sharing:register"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    page = response.content.decode()
    assert "Public register of data sharing agreements" in page
    assert reverse("sharing:version-detail", args=[active.reference, 1]) in page
    for hidden in ("DSA-2026-0002", "DSA-2026-0003", "DSA-2026-0004"):
        assert hidden not in page


def test_register_shows_the_dea_columns_for_each_row(client, parties):
    agreement_row(parties, reference="DSA-2026-0001")

    page = client.get(reverse("sharing:register")).content.decode()

    for heading in (
        "Purpose and benefits",
        "Legal power",
        "Controllers and processors",
        "Method and retention",
        "Dates",
        "Contact",
    ):
        assert f'scope="col" class="govuk-table__header">{heading}<' in page
    assert "Housing Act 1996 Part 7 and s213B" in page
    assert "Uploaded to the platform&#x27;s linkage hub" in page
    assert "kept 24 months" in page
    assert '<strong class="govuk-tag govuk-tag--green">Active</strong>' in page
    assert reverse("sharing:register-csv") in page
    assert reverse("sharing:schema") in page
    assert reverse("sharing:audit-heads") in page


def test_register_search_and_filters_narrow_the_rows(client, parties, organisation):
    southwark = OrganisationFactory(name="London Borough of Southwark", slug="southwark")
    camden_hackney = agreement_row(parties, reference="DSA-2026-0001")
    agreement_row([southwark, parties[1]], reference="DSA-2026-0002")
    expired = agreement_row(
        [southwark, parties[1]], reference="DSA-2026-0003", status=AgreementStatus.EXPIRED
    )
    url = reverse("sharing:register")

    def references(**params):
        response = client.get(url, params)
        return [agreement.reference for agreement, _ in response.context["rows"]]

    assert references(organisation="camden") == [camden_hackney.reference]
    assert references(status="expired") == [expired.reference]
    assert sorted(references(q="Southwark")) == ["DSA-2026-0002", "DSA-2026-0003"]
    assert references(q="no such words anywhere") == []
    # A status that is not an agreed one is ignored rather than an error.
    assert len(references(status="draft")) == 3


def test_register_pages_through_long_lists(client, parties):
    for n in range(PAGE_SIZE + 1):
        agreement_row(parties, reference=f"DSA-2026-{n + 1:04d}")

    first = client.get(reverse("sharing:register"))
    second = client.get(reverse("sharing:register"), {"page": 2})

    assert len(first.context["rows"]) == PAGE_SIZE
    assert len(second.context["rows"]) == 1
    assert 'class="govuk-pagination"' in first.content.decode()


def test_register_empty_says_so_in_plain_english(client, db):
    page = client.get(reverse("sharing:register")).content.decode()

    assert "No agreements have been agreed and published yet." in page


def test_register_csv_has_every_column_and_the_filters(client, parties):
    southwark = OrganisationFactory(name="London Borough of Southwark", slug="southwark")
    agreement_row(parties, reference="DSA-2026-0001")
    agreement_row([southwark, parties[1]], reference="DSA-2026-0002")

    response = client.get(reverse("sharing:register-csv"), {"organisation": "camden"})
    rows = _csv(response)

    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    assert list(rows[0]) == KEYS
    assert [row["reference"] for row in rows] == ["DSA-2026-0001"]
    row = rows[0]
    assert row["controllers"] == "London Borough of Camden; London Borough of Hackney"
    assert row["processors"] == ""
    assert row["legal_power"] == "Housing Act 1996 Part 7 and s213B"
    assert row["status"] == "active"
    assert row["contact"] == "dpo@camden.example.london"
    assert row["url"].endswith("/agreements/DSA-2026-0001/v1/")


def test_register_csv_neutralises_formulas_in_a_title(client, parties):
    agreement = agreement_row(parties, reference="DSA-2026-0001")
    agreement.title = '=HYPERLINK("http://evil.example","click")'
    agreement.save()

    rows = _csv(client.get(reverse("sharing:register-csv")))

    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example","click")'


def test_register_json_has_the_same_rows_and_keys(client, parties):
    start = date(2026, 1, 5)
    agreement_row(parties, reference="DSA-2026-0001", start=start, end=start + timedelta(days=365))
    agreement_row(parties, reference="DSA-2026-0002", status=AgreementStatus.DRAFT)

    response = client.get(reverse("sharing:register-json"))
    rows = json.loads(response.content)

    assert response["Content-Type"] == "application/json"
    assert [list(row) for row in rows] == [KEYS]
    row = rows[0]
    assert row["reference"] == "DSA-2026-0001"
    assert row["version"] == 1
    assert row["controllers"] == ["London Borough of Camden", "London Borough of Hackney"]
    assert row["data"] == ["Temporary accommodation placements (placements)"]
    assert row["retention"] == ["Temporary accommodation placements (placements): kept 24 months"]
    assert row["start_date"] == "2026-01-05"
    assert row["end_date"] == "2027-01-05"
    assert row["summary"] == "Boroughs count families placed in each other's areas."
    filtered = client.get(reverse("sharing:register-json"), {"status": "expired"})
    assert json.loads(filtered.content) == []


def test_schema_is_served_as_json_schema_with_a_stable_id(client, settings, db):
    settings.SITE_URL = "https://interborough.example.london"

    response = client.get(reverse("sharing:schema"), HTTP_HOST="testserver")
    schema = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/schema+json")
    assert "public" in response["Cache-Control"]
    assert schema["$id"] == "https://interborough.example.london/agreements/schema/v1.json"
    assert "parties" in schema["properties"]


def test_audit_heads_are_listed_newest_first_with_an_explanation(client, db):
    now = timezone.now()
    AuditHeadPublication.objects.create(
        day=date(2026, 3, 1), sequence=10, head_hash="a" * 64, published_at=now
    )
    AuditHeadPublication.objects.create(
        day=date(2026, 3, 2), sequence=25, head_hash="b" * 64, published_at=now
    )

    page = client.get(reverse("sharing:audit-heads")).content.decode()
    heads = json.loads(client.get(reverse("sharing:audit-heads-json")).content)

    assert "How to check the record" in page
    assert page.index("b" * 64) < page.index("a" * 64)
    assert [h["day"] for h in heads] == ["2026-03-02", "2026-03-01"]
    assert heads[0] == {
        "day": "2026-03-02",
        "sequence": 25,
        "head_hash": "b" * 64,
        "published_at": now.isoformat(),
    }


def test_register_pages_are_public(db):
    anonymous = Client()
    for name in ("register", "register-csv", "register-json", "schema", "audit-heads"):
        assert anonymous.get(reverse(f"sharing:{name}")).status_code == 200, name
