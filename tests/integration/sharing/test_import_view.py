"""Importing an agreement from a YAML or JSON file, uploaded or pasted (agreement-import):
clear messages for every kind of bad file, and nothing stored unless the document is sound."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interborough.sharing import codec
from interborough.sharing.models import AgreementStatus, DataSharingAgreement
from tests.factories.accounts import MembershipFactory
from tests.factories.sharing import full_document

pytestmark = pytest.mark.django_db

URL = "/agreements/import/"


@pytest.fixture
def drafter(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def document(organisation, other_organisation):
    return full_document([organisation, other_organisation], reference="DSA-1999-0007")


def summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def upload(name: str, content: str | bytes, content_type: str = "application/x-yaml"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_agreement_import_url_is_the_published_one():
    assert reverse("sharing:agreement-import") == URL


def test_agreement_import_from_a_yaml_file_makes_a_new_draft(
    client_for, drafter, document, organisation
):
    response = client_for(drafter).post(
        URL, {"file": upload("agreement.yaml", codec.dump(document, "yaml"))}
    )

    agreement = DataSharingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "sharing:draft-tasks", args=[agreement.reference, agreement.version]
    )
    # A new reference of the platform's own, never the file's.
    assert agreement.reference != "DSA-1999-0007"
    assert agreement.document["reference"] == agreement.reference
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.lead_organisation == organisation
    assert agreement.document["purpose"] == document["purpose"]
    assert agreement.parties.count() == 2


def test_agreement_import_from_pasted_json(client_for, drafter, document):
    response = client_for(drafter).post(URL, {"text": json.dumps(document)})

    assert response.status_code == 302
    assert DataSharingAgreement.objects.get().title == document["title"]


def test_agreement_import_reports_malformed_yaml_with_its_line(client_for, drafter):
    text = "format: interborough-dsa/1\ntitle: [unclosed\nparties: []\n"

    response = client_for(drafter).post(URL, {"file": upload("broken.yml", text)})

    assert response.status_code == 200
    assert re.search(r"line \d+", summary(response))
    assert 'href="#id_file"' in summary(response)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_lists_schema_problems_with_their_paths(client_for, drafter, document):
    document["parties"][1]["role"] = "owner"
    document["data"]["datasets"][0]["fields"][0]["transformation"] = "rot13"

    response = client_for(drafter).post(URL, {"text": codec.dump(document, "yaml")})

    problems = summary(response)
    assert "parties.1.role: &#x27;owner&#x27; is not one of" in problems
    assert "data.datasets.0.fields.0.transformation" in problems
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_refuses_a_list_instead_of_an_agreement(client_for, drafter):
    response = client_for(drafter).post(URL, {"text": "- one\n- two\n"})

    assert "holds a list" in summary(response)
    assert not DataSharingAgreement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type", "message"),
    [
        ("agreement.docx", "application/x-yaml", "must be a .yaml, .yml or .json file"),
        ("agreement.yaml", "image/png", "must be YAML or JSON text"),
    ],
)
def test_agreement_import_refuses_files_of_the_wrong_type(
    client_for, drafter, document, name, content_type, message
):
    file = upload(name, codec.dump(document, "yaml"), content_type)

    response = client_for(drafter).post(URL, {"file": file})

    assert message in summary(response)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_refuses_a_file_over_the_size_cap(client_for, drafter):
    big = "title: x\n" + "# padding\n" * (codec.MAX_BYTES // 10 + 10)

    response = client_for(drafter).post(URL, {"file": upload("big.yaml", big)})

    assert "larger than the 1 MB limit" in summary(response)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_refuses_binary_garbage(client_for, drafter):
    response = client_for(drafter).post(
        URL, {"file": upload("agreement.json", b"\xff\xfe\x00garbage\x89PNG", "application/json")}
    )

    assert response.status_code == 200
    assert "UTF-8" in summary(response)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_needs_a_file_or_text_but_not_both(client_for, drafter, document):
    client = client_for(drafter)
    text = codec.dump(document, "yaml")

    neither = client.post(URL, {})
    both = client.post(URL, {"text": text, "file": upload("a.yaml", text)})

    assert "Choose a YAML or JSON file, or paste the agreement" in summary(neither)
    assert "Upload a file or paste the agreement, not both" in summary(both)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_without_a_title_says_so(client_for, drafter, document):
    document["title"] = ""

    response = client_for(drafter).post(URL, {"text": json.dumps(document)})

    assert "no title" in summary(response)
    assert not DataSharingAgreement.objects.exists()


def test_agreement_import_is_refused_to_people_who_cannot_draft(client_for, member, document):
    response = client_for(member).post(URL, {"text": json.dumps(document)})

    assert response.status_code == 403
    assert not DataSharingAgreement.objects.exists()
