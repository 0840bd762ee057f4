"""API v1 for data sharing agreements: the register, versions, diffs, import and approval,
and the bad input each endpoint must refuse cleanly (never a 500, never a half-written record)."""

import copy
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from interborough.core.models import AuditEvent
from interborough.sharing import codec
from interborough.sharing.document import text_hash
from interborough.sharing.models import (
    AgreementApproval,
    AgreementStatus,
    DataSharingAgreement,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.sharing import agreement_row, full_document
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def api(user=None, **token) -> ApiClient:
    return ApiClient(issue_token(user, **token) if user is not None else None)


@pytest.fixture
def islington(db):
    return OrganisationFactory(name="London Borough of Islington", slug="islington")


@pytest.fixture
def publisher(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def ig_lead(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def other_ig_lead(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="ig_lead").user


@pytest.fixture
def outsider(islington):
    return MembershipFactory(organisation=islington, role="ig_lead").user


@pytest.fixture
def active(organisation, other_organisation):
    return agreement_row([organisation, other_organisation], reference="DSA-2026-0001")


@pytest.fixture
def draft(organisation, other_organisation):
    return agreement_row(
        [organisation, other_organisation], status=AgreementStatus.DRAFT, reference="DSA-2026-0002"
    )


def submitted_row(parties, **kwargs) -> DataSharingAgreement:
    agreement = agreement_row(parties, status=AgreementStatus.SUBMITTED, **kwargs)
    agreement.text_hash = text_hash(agreement.document)
    agreement.submitted_at = timezone.now()
    agreement.save(update_fields=["text_hash", "submitted_at"])
    return agreement


@pytest.fixture
def submitted(organisation, other_organisation):
    return submitted_row([organisation, other_organisation], reference="DSA-2026-0003")


def new_version(agreement: DataSharingAgreement, status: str, **document_changes):
    """A later version of `agreement` with some document keys changed."""
    parties = [p.organisation for p in agreement.parties.order_by("pk")]
    row = agreement_row(
        parties, status=status, reference=agreement.reference, version=agreement.version + 1
    )
    row.document.update(document_changes)
    row.document["version"] = row.version
    row.supersedes = agreement
    row.save(update_fields=["document", "supersedes"])
    return row


# --- the register --------------------------------------------------------------------------


def test_register_lists_agreed_versions_in_the_register_to_anyone(active, draft, submitted):
    body = api().get("/agreements").json()

    assert body["count"] == 1
    [entry] = body["items"]
    assert entry["reference"] == active.reference
    assert entry["status"] == "active"
    assert entry["name"] == active.title
    assert entry["purpose"] == active.document["purpose"]["description"]
    assert entry["legal_power"] == ["Housing Act 1996 Part 7 and s213B"]
    assert entry["controllers"] == ["London Borough of Camden", "London Borough of Hackney"]
    assert entry["processors"] == []
    assert entry["start_date"] == active.start_date.isoformat()
    assert entry["api"].endswith(f"/api/v1/agreements/{active.reference}/versions/1")
    assert entry["url"].endswith(f"/agreements/{active.reference}/v1/")


def test_register_rows_match_the_register_json_export(active, draft):
    api_rows = api().get("/agreements").json()["items"]
    export_rows = ApiClient().client.get("/agreements/register.json").json()

    def comparable(row):  # the site's address comes from settings or the request's host
        return {**{k: v for k, v in row.items() if k != "api"}, "url": urlsplit(row["url"]).path}

    assert [comparable(row) for row in api_rows] == [comparable(row) for row in export_rows]


def test_register_leaves_out_agreements_kept_out_of_it(organisation, other_organisation):
    agreement_row([organisation, other_organisation], in_register=False)

    assert api().get("/agreements").json()["count"] == 0


def test_register_filters_by_words_status_and_organisation(
    active, organisation, other_organisation, islington
):
    suspended = agreement_row(
        [other_organisation, islington], status=AgreementStatus.SUSPENDED, reference="DSA-2026-0009"
    )
    DataSharingAgreement.objects.filter(pk=suspended.pk).update(title="Adult social care")

    def references(**params):
        return [e["reference"] for e in api().get("/agreements", params).json()["items"]]

    assert references(q="social care") == [suspended.reference]
    assert references(status="active") == [active.reference]
    assert references(organisation="islington") == [suspended.reference]
    assert sorted(references(organisation="hackney")) == [active.reference, suspended.reference]


def test_register_pages_with_limit_and_offset(organisation, other_organisation):
    for n in range(3):
        agreement_row([organisation, other_organisation], reference=f"DSA-2026-010{n}")

    body = api().get("/agreements", {"limit": 2, "offset": 2}).json()

    assert body["count"] == 3
    assert len(body["items"]) == 1


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"organisation": "no spaces"}, {"q": "x" * 201}, {"limit": 0}],
)
def test_register_refuses_bad_filters(params):
    assert_error(api().get("/agreements", params), 422, "validation_error")


# --- one agreement -------------------------------------------------------------------------


def test_agreement_shows_its_record_and_document_to_anyone_when_public(active):
    response = api().get(f"/agreements/{active.reference}")

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["status"] == "active"
    assert body["document"] == active.document
    assert [p["organisation"]["slug"] for p in body["parties"]] == ["camden", "hackney"]
    assert body["lead_organisation"]["slug"] == "camden"
    assert body["versions"] == [{"version": 1, "status": "active", "url": body["links"]["api"]}]
    assert body["links"]["schema"].endswith("/agreements/schema/v1.json")
    assert body["links"]["json"].endswith(f"/agreements/{active.reference}/v1/agreement.json")
    assert body["links"]["diff_previous"] is None


def test_agreement_approvals_show_who_approved_which_text(submitted, ig_lead, organisation):
    AgreementApproval.objects.create(
        agreement=submitted,
        organisation=organisation,
        decided_by=ig_lead,
        decided_at=timezone.now(),
        decision="approved",
        text_hash=submitted.text_hash,
    )

    body = api(ig_lead).get(f"/agreements/{submitted.reference}").json()

    [approval] = body["approvals"]
    assert approval["organisation"]["slug"] == "camden"
    assert approval["approved_by"] == ig_lead.full_name
    assert approval["text_hash"] == submitted.text_hash
    assert {p["organisation"]["slug"]: p["approved"] for p in body["parties"]} == {
        "camden": True,
        "hackney": False,
    }


def test_agreement_draft_is_hidden_from_outsiders(draft, outsider):
    assert_error(api().get(f"/agreements/{draft.reference}"), 401, "not_authenticated")
    assert_error(api(outsider).get(f"/agreements/{draft.reference}"), 404, "not_found")
    path = f"/agreements/{draft.reference}/versions/1"
    assert_error(api(outsider).get(path), 404, "not_found")


def test_agreement_draft_is_seen_by_a_party_member_and_staff(draft, other_organisation, staff):
    hackney_member = MembershipFactory(organisation=other_organisation, role="member").user

    assert api(hackney_member).get(f"/agreements/{draft.reference}").status_code == 200
    assert api(staff).get(f"/agreements/{draft.reference}/versions/1").status_code == 200


def test_agreement_token_for_another_organisation_sees_only_what_that_one_may(
    draft, member, islington
):
    MembershipFactory(organisation=islington, user=member, role="member")
    token = issue_token(member, organisation=islington)

    assert_error(ApiClient(token).get(f"/agreements/{draft.reference}"), 404)


def test_agreement_newest_version_is_the_newest_the_caller_may_see(active, member):
    draft = new_version(active, AgreementStatus.DRAFT, title="Placements, second version")

    public = api().get(f"/agreements/{active.reference}").json()
    party = api(member).get(f"/agreements/{active.reference}").json()

    assert public["version"] == 1
    assert [v["version"] for v in public["versions"]] == [1]
    assert party["version"] == draft.version == 2
    assert [v["version"] for v in party["versions"]] == [2, 1]
    assert party["supersedes"] == 1
    assert party["links"]["diff_previous"].endswith("/diff?from=1&to=2")


def test_agreement_unknown_reference_or_version_is_not_found(active, member):
    assert_error(api(member).get("/agreements/DSA-1999-0001"), 404)
    assert_error(api(member).get(f"/agreements/{active.reference}/versions/7"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/agreements/has%20space",
        "/agreements/-leading-hyphen",
        "/agreements/" + "A" * 41,
        "/agreements/DSA-2026-0001/versions/0",
        "/agreements/DSA-2026-0001/versions/99999999999999999999",
    ],
)
def test_agreement_malformed_reference_or_version_is_refused(path, active):
    response = api().get(path)

    assert response.status_code in (404, 422)
    assert_error(response, response.status_code)


# --- diffs ---------------------------------------------------------------------------------


def test_diff_lists_each_changed_field(active, member):
    purpose = {**active.document["purpose"], "description": "Count placements and moves."}
    new_version(active, AgreementStatus.DRAFT, purpose=purpose)

    body = api(member).get(f"/agreements/{active.reference}/diff", {"from": 1, "to": 2}).json()

    assert body["from"] == 1 and body["to"] == 2
    [change] = [c for c in body["changes"] if c["path"] == "purpose.description"]
    assert change["kind"] == "changed"
    assert change["before"] == "Count households placed across borough boundaries."
    assert change["after"] == "Count placements and moves."
    assert change["label"]


def test_diff_defaults_to_the_previous_and_newest_versions(active, member):
    new_version(active, AgreementStatus.DRAFT, title="Renamed")

    body = api(member).get(f"/agreements/{active.reference}/diff").json()

    assert (body["from"], body["to"]) == (1, 2)
    assert any(c["path"] == "title" for c in body["changes"])


def test_diff_of_the_first_version_says_there_is_nothing_before_it(active):
    error = assert_error(api().get(f"/agreements/{active.reference}/diff"), 422)

    assert error["fields"][0]["field"] == "from"


def test_diff_refuses_a_version_the_caller_may_not_see(active, outsider):
    new_version(active, AgreementStatus.DRAFT, title="Renamed")

    response = api(outsider).get(f"/agreements/{active.reference}/diff", {"from": 1, "to": 2})

    assert_error(response, 404)


@pytest.mark.parametrize("params", [{"from": "x"}, {"to": 0}, {"from": -1}, {"to": "1e309"}])
def test_diff_refuses_bad_version_numbers(active, params):
    assert_error(api().get(f"/agreements/{active.reference}/diff", params), 422)


# --- import --------------------------------------------------------------------------------


def importing(organisation, other_organisation, **changes):
    document = full_document([organisation, other_organisation])
    document.update(changes)
    return {"organisation": organisation.slug, "document": document}


def test_import_starts_a_new_draft_with_a_new_reference(
    publisher, organisation, other_organisation
):
    payload = importing(organisation, other_organisation)

    response = api(publisher).post("/agreements/import", payload)

    assert response.status_code == 201, response.content
    body = response.json()
    agreement = DataSharingAgreement.objects.get(reference=body["reference"])
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.lead_organisation == organisation
    assert agreement.title == payload["document"]["title"]
    assert body["version"] == 1
    assert body["links"]["edit"].endswith(f"/agreements/{body['reference']}/v1/edit/")
    assert body["links"]["api"].endswith(f"/api/v1/agreements/{body['reference']}/versions/1")


def test_import_twice_makes_two_separate_drafts(publisher, organisation, other_organisation):
    payload = importing(organisation, other_organisation)

    first = api(publisher).post("/agreements/import", payload)
    second = api(publisher).post("/agreements/import", copy.deepcopy(payload))

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["reference"] != second.json()["reference"]
    assert DataSharingAgreement.objects.count() == 2


def test_import_needs_someone_who_drafts_for_the_organisation(
    member, staff, organisation, other_organisation
):
    payload = importing(organisation, other_organisation)

    assert_error(api(member).post("/agreements/import", payload), 403)
    assert_error(api(staff).post("/agreements/import", payload), 403)
    assert not DataSharingAgreement.objects.exists()


def test_import_with_a_read_token_is_refused(publisher, organisation, other_organisation):
    response = api(publisher, scope="read").post(
        "/agreements/import", importing(organisation, other_organisation)
    )

    assert_error(response, 403, "insufficient_scope")


def test_import_with_a_token_for_another_organisation_is_refused(
    publisher, organisation, other_organisation
):
    MembershipFactory(organisation=other_organisation, user=publisher, role="publisher")
    token = issue_token(publisher, organisation=other_organisation)

    response = ApiClient(token).post(
        "/agreements/import", importing(organisation, other_organisation)
    )

    assert_error(response, 403, "insufficient_scope")
    assert not DataSharingAgreement.objects.exists()


def test_import_for_an_unknown_organisation_names_the_field(
    publisher, organisation, other_organisation
):
    payload = {**importing(organisation, other_organisation), "organisation": "atlantis"}

    error = assert_error(api(publisher).post("/agreements/import", payload), 422)

    assert error["fields"][0]["field"] == "organisation"


def test_import_lists_every_schema_problem_with_its_path(
    publisher, organisation, other_organisation
):
    payload = importing(organisation, other_organisation)
    payload["document"]["dates"]["start"] = "the first of April"
    payload["document"]["parties"][0]["role"] = "overlord"
    payload["document"]["unexpected"] = True

    error = assert_error(
        api(publisher).post("/agreements/import", payload), 422, "invalid_document"
    )

    paths = {f["field"] for f in error["fields"]}
    assert {"dates.start", "parties.0.role"} <= paths
    assert all(f["message"] for f in error["fields"])
    assert not DataSharingAgreement.objects.exists()


@pytest.mark.parametrize(
    "document",
    [[], "a string", None, 1, {"title": ["not", "a", "string"]}, {"parties": "camden"}],
    ids=["list", "string", "null", "number", "title-list", "parties-string"],
)
def test_import_refuses_documents_of_the_wrong_type(
    publisher, organisation, other_organisation, document
):
    payload = {"organisation": organisation.slug, "document": document}

    response = api(publisher).post("/agreements/import", payload)

    assert response.status_code == 422
    assert_error(response, 422)
    assert not DataSharingAgreement.objects.exists()


def test_import_refuses_an_oversized_string(publisher, organisation, other_organisation):
    payload = importing(organisation, other_organisation, title="x" * 100_000)

    response = api(publisher).post("/agreements/import", payload)

    assert response.status_code in (413, 422)
    assert_error(response, response.status_code)
    assert not DataSharingAgreement.objects.exists()


def test_import_refuses_a_document_too_big_for_any_agreement(
    publisher, organisation, other_organisation
):
    payload = importing(organisation, other_organisation)
    payload["document"]["ethics"]["transparency"] = "y" * (codec.MAX_BYTES + 1)

    error = assert_error(api(publisher).post("/agreements/import", payload), 413)

    assert "MB" in error["message"]
    assert not DataSharingAgreement.objects.exists()


def test_import_refuses_deeply_nested_values(publisher, organisation, other_organisation):
    nested: list = []
    for _ in range(codec.MAX_DEPTH + 5):
        nested = [nested]
    payload = importing(organisation, other_organisation, title=nested)

    error = assert_error(api(publisher).post("/agreements/import", payload), 422)

    assert error["fields"][0]["field"].startswith("title.0.0")
    assert not DataSharingAgreement.objects.exists()


@pytest.mark.parametrize("depth", [500, 900])
def test_import_refuses_nesting_near_the_parser_limit(publisher, depth):
    raw = b'{"organisation": "camden", "document": {"title": ' + b"[" * depth + b"]" * depth
    response = api(publisher).request("POST", "/agreements/import", raw + b"}}")

    assert_error(response, response.status_code)
    assert response.status_code in (400, 422)
    assert not DataSharingAgreement.objects.exists()


@pytest.mark.parametrize(
    "body, path",
    [
        (b'"title": "Night\\u0000shelter"', "title"),
        (b'"title": "x", "purpose": {"public_benefit": NaN}', "purpose.public_benefit"),
        (b'"title": "x", "dpia": {"screening": {"bad\\u0000key": 1}}', "dpia.screening"),
        (b'"title": "x", "rights": {"breach_notification_hours": Infinity}', "rights"),
    ],
    ids=["nul-in-text", "nan", "nul-in-key", "infinity"],
)
def test_import_refuses_values_no_database_can_store(publisher, body, path):
    raw = b'{"organisation": "camden", "document": {' + body + b"}}"

    response = api(publisher).request("POST", "/agreements/import", raw)

    error = assert_error(response, 422, "invalid_document")
    assert error["fields"][0]["field"].startswith(path)
    assert not DataSharingAgreement.objects.exists()


@pytest.mark.parametrize(
    "body", [b"", b"{", b"not json", b"[]", b'{"organisation": "camden"}', b'{"document": {}}']
)
def test_import_refuses_malformed_bodies(publisher, body):
    response = api(publisher).request("POST", "/agreements/import", body)

    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)
    assert not DataSharingAgreement.objects.exists()


# --- approval ------------------------------------------------------------------------------


def approve(user, agreement, organisation, text_hash=None, token_for=None):
    return api(user, organisation=token_for).post(
        f"/agreements/{agreement.reference}/versions/{agreement.version}/approve",
        {"organisation": organisation.slug, "text_hash": text_hash or agreement.text_hash},
    )


def test_approve_records_the_party_and_the_text_it_approved(submitted, ig_lead, organisation):
    response = approve(ig_lead, submitted, organisation)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"  # Hackney has still to approve
    [approval] = AgreementApproval.objects.filter(agreement=submitted)
    assert (approval.organisation, approval.decided_by) == (organisation, ig_lead)
    assert approval.text_hash == submitted.text_hash
    assert [a["organisation"]["slug"] for a in body["approvals"]] == ["camden"]


def test_approve_by_every_party_makes_the_agreement_active_from_its_start(
    submitted, ig_lead, other_ig_lead, organisation, other_organisation
):
    approve(ig_lead, submitted, organisation)
    response = approve(other_ig_lead, submitted, other_organisation)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"  # its start date has come
    submitted.refresh_from_db()
    assert submitted.status == AgreementStatus.ACTIVE


def test_approve_accepts_the_hash_in_capitals(submitted, ig_lead, organisation):
    response = approve(ig_lead, submitted, organisation, text_hash=submitted.text_hash.upper())

    assert response.status_code == 200, response.content


def test_approve_refuses_a_stale_text_hash(submitted, ig_lead, organisation):
    response = approve(ig_lead, submitted, organisation, text_hash="0" * 64)

    assert_error(response, 400)
    assert not AgreementApproval.objects.exists()


def test_approve_for_another_organisation_is_refused(
    submitted, ig_lead, other_organisation, organisation
):
    assert_error(approve(ig_lead, submitted, other_organisation), 403)
    assert not AgreementApproval.objects.exists()


def test_approve_by_someone_who_is_not_the_ig_lead_is_refused(
    submitted, publisher, staff, organisation
):
    assert_error(approve(publisher, submitted, organisation), 403)
    assert_error(approve(staff, submitted, organisation), 403)
    assert not AgreementApproval.objects.exists()


def test_approve_with_a_token_for_another_organisation_is_refused(
    submitted, ig_lead, organisation, other_organisation
):
    MembershipFactory(organisation=other_organisation, user=ig_lead, role="ig_lead")

    response = approve(ig_lead, submitted, organisation, token_for=other_organisation)

    assert_error(response, 403, "insufficient_scope")
    assert not AgreementApproval.objects.exists()


def test_approve_by_an_outsider_does_not_find_the_version(submitted, outsider, islington):
    assert_error(approve(outsider, submitted, islington), 404)


def test_approve_of_a_draft_is_refused_with_a_reason(draft, ig_lead, organisation):
    draft.text_hash = text_hash(draft.document)
    draft.save(update_fields=["text_hash"])

    error = assert_error(approve(ig_lead, draft, organisation), 400)

    assert error["message"]
    assert not AgreementApproval.objects.exists()


def test_approve_writes_an_audit_event(submitted, ig_lead, organisation):
    before = AuditEvent.objects.count()

    approve(ig_lead, submitted, organisation)

    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize(
    "payload",
    [
        {"organisation": "camden"},
        {"organisation": "camden", "text_hash": "abc"},
        {"organisation": "camden", "text_hash": "g" * 64},
        {"organisation": "camden", "text_hash": None},
        {"organisation": ["camden"], "text_hash": "0" * 64},
        {"organisation": "", "text_hash": "0" * 64},
    ],
)
def test_approve_refuses_malformed_bodies(submitted, ig_lead, payload):
    path = f"/agreements/{submitted.reference}/versions/1/approve"

    response = api(ig_lead).request("POST", path, json.dumps(payload).encode())

    assert_error(response, 422, "validation_error")
    assert not AgreementApproval.objects.exists()


def test_approve_for_an_unknown_organisation_names_the_field(submitted, ig_lead):
    response = api(ig_lead).post(
        f"/agreements/{submitted.reference}/versions/1/approve",
        {"organisation": "atlantis", "text_hash": submitted.text_hash},
    )

    error = assert_error(response, 422)
    assert error["fields"][0]["field"] == "organisation"


def test_expired_agreement_stays_public_with_its_dates(organisation, other_organisation):
    start = TODAY - timedelta(days=800)
    expired = agreement_row(
        [organisation, other_organisation],
        status=AgreementStatus.EXPIRED,
        start=start,
        end=start + timedelta(days=730),
    )

    body = api().get(f"/agreements/{expired.reference}").json()

    assert body["status"] == "expired"
    assert body["end_date"] == (start + timedelta(days=730)).isoformat()
