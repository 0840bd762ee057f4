"""Agreement templates (sharing/templates_library): valid documents, every value explained, and
the law each template relies on. Pure, no database."""

import copy

import pytest

from interborough.sharing import dpia
from interborough.sharing.document import SECTIONS, document_problems, section_state
from interborough.sharing.templates_library import TEMPLATES, explain, template_document
from interborough.sharing.templates_library.build import Why, unwrap
from interborough.sharing.vocab import STATUTORY_GATEWAYS

KEYS = ["homelessness-ta", "fsm-auto-enrolment", "cost-of-living", "adult-social-care"]
# Only the parties can answer these: dates, their DPIA, privacy notices and the ethics checklist.
LEFT_FOR_THE_PARTIES = {"about", "dpia", "rights", "ethics"}


def party(slug, *, basis=None):
    return {
        "organisation": slug,
        "name": slug.title(),
        "ico_registration": "Z1234567",
        "role": "controller",
        "article6_basis": basis,
        "dpo": {"name": f"{slug} DPO", "email": f"dpo@{slug}.example"},
        "signatory": {"name": f"{slug} SIRO", "job_title": "SIRO", "email": f"siro@{slug}.example"},
        "dspt_status": "standards_met",
        "cyber_essentials": "cyber_essentials_plus",
    }


PARTIES = [party("camden"), party("hackney"), party("islington")]


def build(key, parties=PARTIES):
    return template_document(
        key, reference="DSA-2026-0042", title="From a template", parties=parties
    )


def leaves(value, path=""):
    """(dotted path, value) for every scalar and every empty list or mapping."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}.{index}")
    else:
        yield path, value


def test_templates_are_the_four_london_collaborations():
    assert list(TEMPLATES) == KEYS
    for key, template in TEMPLATES.items():
        assert template.key == key
        assert template.title and template.summary and template.parties_hint


@pytest.mark.parametrize("key", KEYS)
def test_template_document_has_no_problems(key):
    document = build(key)

    assert document_problems(document) == []
    assert document["reference"] == "DSA-2026-0042"
    assert document["title"] == "From a template"


@pytest.mark.parametrize("key", KEYS)
def test_template_document_leaves_only_party_specific_answers_open(key):
    document = build(key)

    incomplete = {s.slug for s in SECTIONS if not section_state(document, s.slug).complete}

    assert incomplete == LEFT_FOR_THE_PARTIES
    assert document["dates"] == {"start": None, "end": None, "review": None}
    assert set(document["ethics"].values()) == {""}


@pytest.mark.parametrize("key", KEYS)
def test_template_datasets_and_recipients_refer_to_the_parties(key):
    document = build(key)

    slugs = ["camden", "hackney", "islington"]
    assert document["processing"]["recipients"] == slugs
    for dataset in document["data"]["datasets"]:
        assert dataset["provided_by"] in slugs
    assert document["data"]["datasets"][0]["provided_by"] == "camden"


def test_adult_social_care_discharges_come_from_the_second_party():
    providers = [d["provided_by"] for d in build("adult-social-care")["data"]["datasets"]]
    alone = [
        d["provided_by"] for d in build("adult-social-care", [party("camden")])["data"]["datasets"]
    ]

    assert providers == ["camden", "hackney"]
    assert alone == ["camden", "camden"]


def test_template_document_without_parties_leaves_providers_blank():
    document = build("homelessness-ta", [])

    assert document["parties"] == []
    assert document["processing"]["recipients"] == []
    assert document["data"]["datasets"][0]["provided_by"] == ""


def test_template_document_fills_a_missing_article6_basis_and_keeps_a_given_one():
    parties = [party("camden"), party("hackney", basis="legal_obligation")]

    document = build("fsm-auto-enrolment", parties)

    assert [p["article6_basis"] for p in document["parties"]] == ["public_task", "legal_obligation"]
    assert parties[0]["article6_basis"] is None  # the caller's entries are not changed


def test_template_document_register_contact_is_the_lead_partys_dpo():
    assert build("cost-of-living")["register"]["contact"] == "dpo@camden.example"


def test_template_document_does_not_share_state_between_documents():
    first = build("homelessness-ta")
    first["data"]["datasets"][0]["fields"].clear()
    first["purpose"]["dpv_purposes"].append("dpv:AcademicResearch")

    second = build("homelessness-ta")

    assert second["data"]["datasets"][0]["fields"]
    assert "dpv:AcademicResearch" not in second["purpose"]["dpv_purposes"]
    assert (
        "dpv:AcademicResearch"
        not in TEMPLATES["homelessness-ta"].document_fragment["purpose"]["dpv_purposes"]
    )


def test_template_document_unknown_key():
    with pytest.raises(KeyError, match="no agreement template 'tenancy-fraud'"):
        build("tenancy-fraud")


@pytest.mark.parametrize("key", KEYS)
def test_every_prefilled_value_is_explained(key):
    template = TEMPLATES[key]

    for path, _ in leaves(template.document_fragment):
        parts = path.split(".")
        # The value's own path, or a parent below the section (a field, a gateway, a list).
        candidates = [".".join(parts[:n]) for n in range(len(parts), 1, -1)]
        assert any(explain(key, c) for c in candidates), f"{key}: {path} has no explanation"


@pytest.mark.parametrize("key", KEYS)
def test_every_explanation_is_about_a_prefilled_value(key):
    template = TEMPLATES[key]
    document = build(key)
    paths = {p for p, _ in leaves(document)}
    prefixes = {".".join(p.split(".")[:n]) for p in paths for n in range(1, p.count(".") + 2)}

    for path, why in template.explanations.items():
        if "*" in path:
            continue
        assert path in prefixes, f"{key}: explanation for {path}, which is not in the document"
        assert len(why) > 20, f"{key}: {path} says too little"


def test_explain_matches_any_party_and_dataset_position():
    assert "public task" in explain("homelessness-ta", "parties.2.article6_basis")
    assert explain("homelessness-ta", "data.datasets.0.provided_by")
    assert (
        explain("homelessness-ta", "data.datasets.0.fields.1")
        == TEMPLATES["homelessness-ta"].explanations["data.datasets.0.fields.1"]
    )
    assert explain("homelessness-ta", "dates.start") is None


@pytest.mark.parametrize("key", KEYS)
def test_template_screening_concludes_a_dpia_is_required(key):
    screening = dpia.screen(build(key))

    assert screening.required
    assert set(screening.inferred) <= set(screening.met)


@pytest.mark.parametrize("key", KEYS)
def test_template_identifiers_never_travel_in_the_clear(key):
    for dataset in build(key)["data"]["datasets"]:
        for field in dataset["fields"]:
            if field["identifier_type"] == "direct":
                assert field["transformation"] != "clear", f"{key}: {field['name']}"


def gateways(key):
    return {g["code"]: g["citation"] for g in build(key)["legal_basis"]["statutory_gateways"]}


def test_gateway_codes_come_from_the_vocabulary_or_are_cited_in_full():
    for key in KEYS:
        for code, citation in gateways(key).items():
            assert code in STATUTORY_GATEWAYS or code == "other"
            assert "Act" in citation


def test_homelessness_cites_part_7_s208_and_s213b_and_links_probabilistically():
    document = build("homelessness-ta")
    citations = " ".join(gateways("homelessness-ta").values())
    fields = {f["name"]: f for f in document["data"]["datasets"][0]["fields"]}

    assert "Housing Act 1996 Part 7" in citations
    assert "s208" in citations and "s213B" in citations
    assert {p["article6_basis"] for p in document["parties"]} == {"public_task"}
    assert document["processing"]["linkage"]["method"] == "probabilistic"
    assert fields["household_reference"]["transformation"] == "keyed_hash"
    assert fields["lead_applicant_name"]["transformation"] == "keyed_bloom"
    assert fields["last_settled_address"]["transformation"] == "keyed_bloom"
    # No health data, so no special category; the explanation says when there would be.
    assert {f["sensitivity"] for f in fields.values()} == {"personal"}
    assert document["legal_basis"]["article9_conditions"] == []
    why = explain("homelessness-ta", "legal_basis.article9_conditions")
    assert "health or disability" in why and "special category" in why


def test_fsm_cites_the_education_acts_and_the_digital_economy_act():
    citations = " ".join(gateways("fsm-auto-enrolment").values())

    assert "Education Act 1996 ss512ZA and 512ZB" in citations
    assert "Education Act 2005 s110" in citations
    assert "Digital Economy Act 2017 s35" in citations
    assert "Eligibility Checking System" in explain(
        "fsm-auto-enrolment", "legal_basis.statutory_gateways.1"
    )


def test_cost_of_living_cites_s35_with_the_2018_regulations_objectives():
    citations = gateways("cost-of-living")
    why = explain("cost-of-living", "legal_basis.statutory_gateways.0")
    fields = {f["name"] for d in build("cost-of-living")["data"]["datasets"] for f in d["fields"]}

    assert (
        "Digital Government (Disclosure of Information) Regulations 2018"
        in citations["digital-economy-act-2017-s35"]
    )
    assert "multiple disadvantages" in why and "fuel poverty" in why and "water poverty" in why
    assert {"council_tax_reduction", "housing_benefit"} <= fields


def test_adult_social_care_health_data_has_article_9_2_h_and_schedule_1_para_2():
    document = build("adult-social-care")
    sensitivities = {f["sensitivity"] for d in document["data"]["datasets"] for f in d["fields"]}

    assert set(gateways("adult-social-care")) >= {"care-act-2014-s6", "care-act-2014-s42"}
    assert "special_category" in sensitivities
    assert document["legal_basis"]["article9_conditions"] == ["art9_2_h"]
    assert document["legal_basis"]["schedule1_conditions"] == ["sch1_para2"]


def test_unwrap_records_each_reason_at_its_path():
    explanations = {}

    plain = unwrap(
        {"a": Why([1, Why(2, "two")], "list"), "b": {"c": Why(None, "none")}}, "", explanations
    )

    assert plain == {"a": [1, 2], "b": {"c": None}}
    assert explanations == {"a": "list", "a.1": "two", "b.c": "none"}


def test_templates_are_not_changed_by_building_documents():
    before = copy.deepcopy({k: t.document_fragment for k, t in TEMPLATES.items()})

    for key in KEYS:
        build(key)["data"]["datasets"][0]["provided_by"] = "someone-else"

    assert {k: t.document_fragment for k, t in TEMPLATES.items()} == before
