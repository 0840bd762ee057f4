"""The drafting forms on their own (sharing/forms/): document values in and out, blanks as
"not answered yet", hostile input refused with a message, and the service's refusals shown on
the field they concern."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from interborough.core.errors import ApplicationError
from interborough.sharing.document import blank_document
from interborough.sharing.forms import EDITORS, Choices, DatasetFieldsEditor, NewAgreementForm
from interborough.sharing.forms.sections import AboutForm
from interborough.sharing.schema import schema_problems
from tests.factories.accounts import OrganisationFactory
from tests.factories.sharing import full_document

HOSTILE = {
    "huge": "x" * 100_000,
    "nul": "abc\x00def",
    "bidi": "\u202e\ufeff evil",
    "markup": "<script>alert(1)</script>",
    "number": "-99999999999999999999999",
    "list": ["a", "b", "c"],
}
CHOICES = Choices(
    organisations=[("camden", "Camden"), ("hackney", "Hackney")],
    ico_numbers={"hackney": "Z9999999"},
    catalogue_datasets=[("rough-sleeping", "Rough sleeping")],
)


@pytest.fixture
def document(db):
    camden = OrganisationFactory(name="Camden", slug="camden")
    hackney = OrganisationFactory(name="Hackney", slug="hackney")
    return full_document([camden, hackney])


def unchanged(editor) -> dict:
    """The editor's page as a browser would post it back untouched."""
    data: dict = {}
    for form in editor.forms():
        for field in form:
            value = field.value()
            if value in (None, "", [], False):
                continue
            if hasattr(value, "strftime"):
                value = value.strftime("%d/%m/%Y")
            data[field.html_name] = (
                [str(v) for v in value] if isinstance(value, list) else str(value)
            )
    return data


def edited(document: dict, section: str, values: dict) -> dict:
    after = copy.deepcopy(document)
    after.update(values)
    return after


@pytest.mark.parametrize("section", list(EDITORS))
def test_editor_posted_back_unchanged_gives_the_same_document(document, section):
    editor = EDITORS[section](document, choices=CHOICES)
    again = EDITORS[section](document, unchanged(editor), choices=CHOICES)

    assert again.is_valid(), again.error_links()
    expected = copy.deepcopy(document)
    if section == "dpia":  # saving the page is answering the screening
        expected["dpia"]["screening"]["answered"] = True
    assert edited(document, section, again.values()) == expected


def test_dataset_fields_editor_posted_back_unchanged_gives_the_same_document(document):
    editor = DatasetFieldsEditor(document, key="placements")
    again = DatasetFieldsEditor(document, unchanged(editor), key="placements")

    assert again.is_valid()
    assert edited(document, "data", again.values()) == document


@pytest.mark.parametrize("section", list(EDITORS))
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_editor_refuses_hostile_input_or_keeps_the_document_valid(document, section, kind):
    editor = EDITORS[section](document, choices=CHOICES)
    data = {name: HOSTILE[kind] for name in unchanged(editor) if "FORMS" not in name}
    data |= {k: v for k, v in unchanged(editor).items() if "FORMS" in k}

    posted = QueryDict(mutable=True)  # as a browser posts: a list is several values of a name
    for name, value in data.items():
        posted.setlist(name, value if isinstance(value, list) else [value])

    hostile = EDITORS[section](document, posted, choices=CHOICES)

    if hostile.is_valid():
        assert schema_problems(edited(document, section, hostile.values())) == []
    else:
        assert hostile.error_links(), "refused without saying why"


def test_editor_of_a_blank_document_saves_blanks_as_not_answered():
    document = blank_document(reference="DSA-2026-0001", title="T")
    editor = EDITORS["security"](document, {}, choices=CHOICES)

    assert editor.is_valid()
    assert editor.values() == {
        "security": {
            "uk_only_storage": None,
            "classification": None,
            "encryption_at_rest": "",
            "encryption_in_transit": "",
        }
    }


def test_text_fields_refuse_hidden_characters_with_a_message():
    form = AboutForm({"title": "Housing \u202eevil"}, initial={})

    assert not form.is_valid()
    assert form.errors["title"] == ["The title must not contain control or invisible characters."]


def test_text_fields_refuse_text_over_the_schema_bound(document):
    editor = EDITORS["register"](document, {"public_summary": "x" * 2001}, choices=CHOICES)

    assert not editor.is_valid()
    assert "The public summary must be 2,000 characters or fewer." in [
        link.message for link in editor.error_links()
    ]


def test_party_form_needs_the_organisation_when_anything_else_is_given(document):
    data = unchanged(EDITORS["parties"](document, choices=CHOICES))
    data["parties-2-dpo_name"] = "Someone"

    editor = EDITORS["parties"](document, data, choices=CHOICES)

    assert not editor.is_valid()
    assert "Choose the organisation this party is." in [m.message for m in editor.error_links()]


def test_party_form_fills_a_blank_ico_number_from_the_organisation(document):
    data = unchanged(EDITORS["parties"](document, choices=CHOICES))
    data["parties-1-ico_registration"] = ""

    editor = EDITORS["parties"](document, data, choices=CHOICES)

    assert editor.is_valid()
    assert editor.values()["parties"][1]["ico_registration"] == "Z9999999"


def test_dataset_form_refuses_a_key_that_is_not_lower_case_letters_and_digits(document):
    data = unchanged(EDITORS["data"](document, choices=CHOICES))
    data["datasets-0-key"] = "Bad Key!"

    editor = EDITORS["data"](document, data, choices=CHOICES)

    assert not editor.is_valid()
    assert any("lower-case letters" in m.message for m in editor.error_links())


def test_dataset_form_refuses_the_same_key_twice(document):
    data = unchanged(EDITORS["data"](document, choices=CHOICES))
    data |= {"datasets-1-title": "Again", "datasets-1-key": "placements"}

    editor = EDITORS["data"](document, data, choices=CHOICES)

    assert not editor.is_valid()
    assert any("already used" in m.message for m in editor.error_links())


def test_dataset_form_takes_the_title_of_a_chosen_catalogue_dataset(document):
    data = unchanged(EDITORS["data"](document, choices=CHOICES))
    data |= {"datasets-1-catalogue_dataset": "rough-sleeping", "datasets-1-provided_by": "camden"}

    editor = EDITORS["data"](document, data, choices=CHOICES)

    assert editor.is_valid(), editor.error_links()
    added = editor.values()["data"]["datasets"][1]
    assert (added["key"], added["title"], added["catalogue_dataset"]) == (
        "rough-sleeping",
        "Rough sleeping",
        "rough-sleeping",
    )


def test_field_formset_refuses_a_field_listed_twice(document):
    data = unchanged(DatasetFieldsEditor(document, key="placements"))
    data["fields-4-name"] = "surname"

    editor = DatasetFieldsEditor(document, data, key="placements")

    assert not editor.is_valid()
    assert any("already listed" in m.message for m in editor.error_links())


def test_dataset_fields_editor_of_an_unknown_dataset_raises_key_error(document):
    with pytest.raises(KeyError):
        DatasetFieldsEditor(document, key="nope")


def test_lists_one_a_line_refuse_too_many_items(document):
    data = unchanged(EDITORS["data"](document, choices=CHOICES))
    data["data_subjects"] = "\n".join(f"Group {n}" for n in range(21))

    editor = EDITORS["data"](document, data, choices=CHOICES)

    assert not editor.is_valid()
    assert "List at most 20 data subjects, one a line." in [m.message for m in editor.error_links()]


def test_service_errors_land_on_the_field_of_their_document_path(document):
    editor = EDITORS["parties"](
        document, unchanged(EDITORS["parties"](document, choices=CHOICES)), choices=CHOICES
    )
    assert editor.is_valid()
    editor.values()

    editor.add_service_error(
        ValidationError(
            {
                "parties.1.dpo.email": ["Give a real mailbox."],
                "parties.0": ["Something about the whole party."],
                "elsewhere": ["Not a field here."],
            }
        )
    )

    forms = editor.formset.forms
    assert forms[1].errors["dpo_email"] == ["Give a real mailbox."]
    assert forms[0].errors["organisation"] == ["Something about the whole party."]
    assert editor.general_errors == ["Not a field here."]
    anchors = {link.anchor for link in editor.error_links()}
    assert {"#id_parties-1-dpo_email", "#id_parties-0-organisation", "#section-form"} <= anchors


def test_service_application_errors_show_above_the_form(document):
    editor = EDITORS["about"](document, choices=CHOICES)

    editor.add_service_error(ApplicationError("This version is submitted."))

    assert [(link.anchor, link.message) for link in editor.error_links()] == [
        ("#section-form", "This version is submitted.")
    ]


def test_new_agreement_form_never_names_the_lead_as_another_party():
    form = NewAgreementForm(
        {
            "organisation": "camden",
            "title": "T",
            "template": "blank",
            "parties": ["camden", "hackney"],
        },
        organisations=[("camden", "Camden"), ("islington", "Islington")],
        parties=[("camden", "Camden"), ("hackney", "Hackney")],
    )

    assert form.is_valid(), form.errors
    assert form.other_parties() == ["hackney"]
    assert form.template_key() == ""
