"""Reading an agreement: who sees which version, the page itself, print, export and diff."""

import copy

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interborough.sharing import codec
from interborough.sharing.document import text_hash
from interborough.sharing.models import AgreementApproval, AgreementStatus
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

REF = "DSA-2026-0001"


@pytest.fixture
def parties(organisation, other_organisation):
    return [organisation, other_organisation]


@pytest.fixture
def outsider(db):
    return MembershipFactory(organisation=OrganisationFactory(), role="ig_lead").user


def _url(name, version=1, *extra):
    return reverse(f"sharing:{name}", args=[REF, version, *extra])


def test_version_detail_anonymous_reads_a_public_version_summary_first(client, parties):
    agreement = agreement_row(parties, reference=REF)

    response = client.get(_url("version-detail"))
    page = response.content.decode()

    assert response.status_code == 200
    assert page.index("Boroughs count families placed") < page.index('id="section-about"')
    assert (
        '<h1 class="govuk-heading-xl">Cross-borough temporary accommodation placements</h1>' in page
    )
    assert '<strong class="govuk-tag govuk-tag--green">Active</strong>' in page
    assert "Only the parties and platform staff can see" not in page
    # No buttons for someone who cannot act; export and print for everyone.
    assert "Approve this version" not in page
    assert "Suspend" not in page
    assert _url("version-export", 1, "yaml") in page
    assert _url("version-print") in page
    assert agreement.reference in page


def test_version_detail_shows_every_section_in_plain_english(client, parties):
    agreement_row(parties, reference=REF)

    page = client.get(_url("version-detail")).content.decode()

    for slug in (
        "about",
        "parties",
        "purpose",
        "legal-basis",
        "dpia",
        "data",
        "processing",
        "security",
        "rights",
        "exit",
        "register",
        "ethics",
    ):
        assert f'id="section-{slug}"' in page
    assert "Public task (UK GDPR Article 6(1)(e))" in page  # a party's lawful basis
    assert "Providing a service" in page  # a DPV purpose's label
    assert "Housing Act 1996 Part 7 and s213B" in page  # the gateway's citation
    assert "The screening concludes that a full DPIA is required." in page
    assert "Fields of Temporary accommodation placements (placements)" in page  # table caption
    assert "Keyed Bloom filter (for fuzzy matching with the agreement&#x27;s key)" in page
    assert "Smallest count shown" in page  # the output disclosure profile
    assert "OFFICIAL-SENSITIVE" in page
    assert "Delete the data" in page
    assert "Is sharing this data proportionate to what you want to achieve?" in page


def test_version_detail_never_links_a_privacy_notice_that_is_not_a_web_address(client, parties):
    agreement = agreement_row(parties, reference=REF)
    agreement.document["rights"]["privacy_notices"] = ["javascript:alert(1)"]
    agreement.save()

    page = client.get(_url("version-detail")).content.decode()

    assert "javascript:alert(1)" in page
    assert 'href="javascript:' not in page


def test_version_detail_draft_is_hidden_from_anonymous_and_non_parties(
    client, client_for, parties, outsider
):
    agreement_row(parties, reference=REF, status=AgreementStatus.DRAFT)

    assert client.get(_url("version-detail")).status_code == 404
    assert client_for(outsider).get(_url("version-detail")).status_code == 404


def test_version_detail_draft_is_shown_to_a_party_member_and_staff(
    client_for, parties, member, staff
):
    agreement_row(parties, reference=REF, status=AgreementStatus.DRAFT)

    response = client_for(member).get(_url("version-detail"))

    assert response.status_code == 200
    assert "Only the parties and platform staff can see this version" in response.content.decode()
    assert client_for(staff).get(_url("version-detail")).status_code == 200


def test_version_detail_unpublished_agreed_version_is_hidden_from_the_public(client, parties):
    agreement_row(parties, reference=REF, in_register=False)

    assert client.get(_url("version-detail")).status_code == 404


def test_version_detail_unknown_version_is_404(client, parties):
    agreement_row(parties, reference=REF)

    assert client.get(_url("version-detail", 7)).status_code == 404
    assert client.get(reverse("sharing:agreement-detail", args=["DSA-NOPE"])).status_code == 404


def test_agreement_detail_redirects_to_the_newest_version_the_viewer_may_read(
    client, client_for, parties, member
):
    agreement_row(parties, reference=REF, version=1)
    agreement_row(parties, reference=REF, version=2, status=AgreementStatus.DRAFT)
    url = reverse("sharing:agreement-detail", args=[REF])

    assert client.get(url)["Location"] == _url("version-detail", 1)
    assert client_for(member).get(url)["Location"] == _url("version-detail", 2)


def test_version_detail_lists_visible_versions_with_compare_links(
    client, client_for, parties, member
):
    agreement_row(parties, reference=REF, version=1, status=AgreementStatus.EXPIRED)
    agreement_row(parties, reference=REF, version=2)
    agreement_row(parties, reference=REF, version=3, status=AgreementStatus.DRAFT)

    public = client.get(_url("version-detail", 2)).content.decode()
    party = client_for(member).get(_url("version-detail", 2)).content.decode()

    compare = reverse("sharing:version-diff", args=[REF]) + "?from=1&amp;to=2"
    assert compare in public
    assert _url("version-detail", 3) not in public
    assert _url("version-detail", 3) in party
    assert "Version 3 is draft" in party


def test_version_detail_shows_the_approval_record(client, parties, organisation):
    agreement = agreement_row(parties, reference=REF)
    agreement.text_hash = text_hash(agreement.document)
    agreement.save()
    approver = UserFactory(full_name="Priya Shah")
    AgreementApproval.objects.create(
        agreement=agreement,
        organisation=organisation,
        decided_by=approver,
        decided_at=timezone.now(),
        decision="approved",
        text_hash=agreement.text_hash,
    )

    page = client.get(_url("version-detail")).content.decode()

    assert "Approval record" in page
    assert "Priya Shah" in page
    assert page.count(agreement.text_hash) >= 2  # the version's hash and the approval's


def test_version_detail_shows_management_buttons_to_a_party_ig_lead_only(
    client_for, parties, organisation, member
):
    agreement_row(parties, reference=REF)
    ig_lead = MembershipFactory(organisation=organisation, role="ig_lead").user

    lead_page = client_for(ig_lead).get(_url("version-detail")).content.decode()
    member_page = client_for(member).get(_url("version-detail")).content.decode()

    assert _url("version-suspend") in lead_page
    assert _url("version-terminate") in lead_page
    assert _url("version-new") in lead_page
    assert _url("version-resume") not in lead_page  # it is not suspended
    assert _url("version-suspend") not in member_page


def test_version_detail_offers_editing_to_the_lead_drafters(client_for, parties, organisation):
    agreement_row(parties, reference=REF, status=AgreementStatus.DRAFT)
    publisher = MembershipFactory(organisation=organisation, role="publisher").user

    page = client_for(publisher).get(_url("version-detail")).content.decode()

    assert reverse("sharing:draft-tasks", args=[REF, 1]) in page


def test_version_print_is_clean_with_the_hash_in_the_footer(client, parties):
    agreement = agreement_row(parties, reference=REF)
    agreement.text_hash = text_hash(agreement.document)
    agreement.save()

    response = client.get(_url("version-print"))
    page = response.content.decode()

    assert response.status_code == 200
    assert 'class="govuk-template__body ib-print"' in page
    assert "govuk-service-navigation" not in page
    assert "govuk-header" not in page
    footer = page[page.index('<footer class="ib-print__footer">') :]
    assert agreement.text_hash in footer
    assert 'id="section-ethics"' in page
    assert "http://testserver" + _url("version-detail") in page


def test_version_print_of_a_draft_is_hidden_from_the_public(client, parties):
    agreement_row(parties, reference=REF, status=AgreementStatus.DRAFT)

    assert client.get(_url("version-print")).status_code == 404


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_version_export_downloads_the_document(client, parties, fmt):
    agreement = agreement_row(parties, reference=REF)

    response = client.get(_url("version-export", 1, fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{REF}-v1.{fmt}"'
    assert codec.load(response.content, fmt) == agreement.document


def test_version_export_unknown_format_or_hidden_version_is_404(client, parties):
    agreement_row(parties, reference=REF, status=AgreementStatus.DRAFT)

    assert client.get(_url("version-export", 1, "xml")).status_code == 404
    assert client.get(_url("version-export", 1, "yaml")).status_code == 404


def _two_versions(parties):
    first = agreement_row(parties, reference=REF, version=1, status=AgreementStatus.EXPIRED)
    second = agreement_row(parties, reference=REF, version=2)
    document = copy.deepcopy(second.document)
    document["title"] = "Placements between boroughs, second edition"
    document["data"]["datasets"][0]["fields"].append(
        {
            "name": "ward",
            "sensitivity": "personal",
            "identifier_type": "quasi",
            "need": "Counting placements by ward.",
            "transformation": "clear",
        }
    )
    second.document = document
    second.save()
    return first, second


def test_version_diff_shows_each_change_with_a_tag(client, parties):
    _two_versions(parties)

    response = client.get(reverse("sharing:version-diff", args=[REF]), {"from": 1, "to": 2})
    page = response.content.decode()

    assert response.status_code == 200
    assert "Changes from version 1 to version 2" in page
    kinds = {row["change"].kind for row in response.context["changes"]}
    assert kinds == {"added", "changed"}
    assert '<strong class="govuk-tag govuk-tag--green">Added</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--blue">Changed</strong>' in page
    assert "Placements between boroughs, second edition" in page
    assert "Counting placements by ward." in page


def test_version_diff_defaults_to_the_newest_against_the_one_before(client, parties):
    _two_versions(parties)

    response = client.get(reverse("sharing:version-diff", args=[REF]))

    assert (response.context["old"].version, response.context["new"].version) == (1, 2)


def test_version_diff_first_version_has_nothing_to_compare(client, parties):
    agreement_row(parties, reference=REF)

    response = client.get(reverse("sharing:version-diff", args=[REF]))

    assert response.status_code == 200
    assert "has nothing to compare with" in response.content.decode()


@pytest.mark.parametrize("params", [{"from": "abc"}, {"to": "1.5"}, {"from": "0"}, {"to": "-2"}])
def test_version_diff_bad_numbers_are_a_clear_400(client, parties, params):
    _two_versions(parties)

    response = client.get(reverse("sharing:version-diff", args=[REF]), params)

    assert response.status_code == 400
    assert "Versions to compare not recognised" in response.content.decode()


def test_version_diff_missing_or_hidden_versions_are_404(client, parties):
    _two_versions(parties)
    agreement_row(parties, reference=REF, version=3, status=AgreementStatus.DRAFT)
    url = reverse("sharing:version-diff", args=[REF])

    assert client.get(url, {"from": 1, "to": 9}).status_code == 404
    assert client.get(url, {"from": 1, "to": 3}).status_code == 404  # a draft, to the public
    assert client.get(reverse("sharing:version-diff", args=["DSA-NOPE"])).status_code == 404


def test_version_diff_party_member_compares_a_draft(client_for, parties, member):
    _two_versions(parties)
    agreement_row(parties, reference=REF, version=3, status=AgreementStatus.DRAFT)

    response = client_for(member).get(reverse("sharing:version-diff", args=[REF]))

    assert (response.context["old"].version, response.context["new"].version) == (2, 3)


def test_version_detail_is_readable_by_a_signed_in_non_party_when_public(
    client_for, parties, outsider
):
    agreement_row(parties, reference=REF)

    assert client_for(outsider).get(_url("version-detail")).status_code == 200
    assert Client().get(_url("version-detail")).status_code == 200
