"""DPIA screening (sharing/dpia.py): the ICO's criteria, what the document shows, the conclusion.
Pure, no database."""

import copy

from hypothesis import given
from hypothesis import strategies as st

from interborough.sharing import dpia
from interborough.sharing.document import blank_document
from interborough.sharing.schema import schema_enum

WP248_CODES = [c.code for c in dpia.CRITERIA if c.source == dpia.WP248]
ICO_CODES = [c.code for c in dpia.CRITERIA if c.source == dpia.ICO]


def document(*, ticked=(), fields=(), linkage=None, subjects=()):
    """A blank document with the screening ticks, fields (name, sensitivity), linkage method
    and data subjects given."""
    doc = blank_document(reference="DSA-2026-0100", title="Screening test")
    doc["dpia"]["screening"]["criteria"] = list(ticked)
    if fields:
        doc["data"]["datasets"] = [
            {
                "key": "records",
                "title": "Records",
                "catalogue_dataset": None,
                "description": "",
                "provided_by": "camden",
                "fields": [
                    {
                        "name": name,
                        "sensitivity": sensitivity,
                        "identifier_type": "attribute",
                        "need": "",
                        "transformation": "clear",
                    }
                    for name, sensitivity in fields
                ],
                "retention": {"period_months": 12, "deletion_method": ""},
            }
        ]
    doc["processing"]["linkage"]["method"] = linkage
    doc["data"]["data_subjects"] = list(subjects)
    return doc


def test_criteria_are_the_nine_wp248_and_the_icos_high_risk_list():
    assert WP248_CODES == [
        "evaluation_scoring",
        "automated_decisions",
        "systematic_monitoring",
        "sensitive_data",
        "large_scale",
        "matching_datasets",
        "vulnerable_people",
        "innovative_technology",
        "prevents_rights",
    ]
    assert len(ICO_CODES) == 10
    for criterion in dpia.CRITERIA:
        assert criterion.question.endswith("?"), criterion.code
        assert criterion.explanation and criterion.title


def test_criteria_codes_are_the_schemas_screening_codes():
    assert [c.code for c in dpia.CRITERIA] == schema_enum("dpia.screening.criteria")


def test_screen_blank_document_not_required():
    screening = dpia.screen(blank_document(reference="DSA-2026-0100", title="Blank"))

    assert not screening.required
    assert screening.met == []
    assert "no criterion is met" in screening.reasons[0]


def test_screen_two_wp248_criteria_required():
    screening = dpia.screen(document(ticked=["evaluation_scoring", "large_scale"]))

    assert screening.required
    assert screening.met == ["evaluation_scoring", "large_scale"]
    assert "2 of the nine European (WP248) criteria" in screening.reasons[0]
    assert "evaluation or scoring and large scale" in screening.reasons[0]


def test_screen_one_wp248_criterion_not_required_but_says_why():
    screening = dpia.screen(document(ticked=["large_scale"]))

    assert not screening.required
    assert "only one European criterion is met (Large scale)" in screening.reasons[0]
    assert "Large scale: ticked in the screening." in screening.reasons


def test_screen_one_standalone_ico_item_required():
    screening = dpia.screen(document(ticked=["ico_physical_harm"]))

    assert screening.required
    assert "ICO's list" in screening.reasons[0]
    assert "risk of physical harm" in screening.reasons[0]


def test_screen_ico_item_that_needs_a_wp248_criterion_alone_not_required():
    alone = dpia.screen(document(ticked=["ico_tracking"]))
    with_one = dpia.screen(document(ticked=["ico_tracking", "systematic_monitoring"]))

    assert not alone.required
    assert "no European criterion is met" in alone.reasons[0]
    assert "(tracking)" in alone.reasons[0]
    assert any("Tracking on its own does not require a DPIA" in r for r in alone.reasons)
    assert with_one.required
    assert "tracking" in with_one.reasons[0]


def test_screen_infers_sensitive_data_from_special_category_fields():
    screening = dpia.screen(
        document(fields=[("age_band", "personal"), ("diagnosis", "special_category")])
    )

    assert screening.met == ["sensitive_data"]
    assert screening.inferred == ["sensitive_data"]
    assert any("diagnosis" in reason for reason in screening.reasons)


def test_screen_infers_sensitive_data_from_criminal_offence_fields():
    screening = dpia.screen(document(fields=[("conviction", "criminal_offence")]))

    assert "sensitive_data" in screening.met


def test_screen_linkage_means_matching_and_a_required_dpia():
    screening = dpia.screen(document(fields=[("name", "personal")], linkage="deterministic"))

    assert screening.required
    assert screening.met == ["matching_datasets", "ico_data_matching"]
    assert any("deterministic linkage" in reason for reason in screening.reasons)


def test_screen_no_linkage_infers_no_matching():
    for method in ("none", None, ""):
        screening = dpia.screen(document(fields=[("name", "personal")], linkage=method))
        assert "matching_datasets" not in screening.met


def test_screen_infers_vulnerable_people_from_data_subjects():
    for subject in (
        "Homeless households placed in temporary accommodation",
        "Children at the borough's schools",
        "Adults receiving social care",
    ):
        screening = dpia.screen(document(fields=[("a", "personal")], subjects=[subject]))
        assert screening.met == ["vulnerable_people"], subject
        assert subject.lower() in " ".join(screening.reasons).lower()


def test_screen_ordinary_data_subjects_not_vulnerable():
    screening = dpia.screen(
        document(fields=[("a", "personal")], subjects=["Council tax payers", "Library members"])
    )

    assert screening.met == []


def test_screen_never_infers_innovative_technology_from_bloom_filters():
    doc = document(fields=[("name", "personal")], linkage="probabilistic")
    doc["data"]["datasets"][0]["fields"][0]["transformation"] = "keyed_bloom"

    screening = dpia.screen(doc)

    assert "innovative_technology" not in screening.met
    assert "ico_innovative_technology" not in screening.met


def test_screen_non_personal_data_infers_nothing_but_keeps_ticks():
    doc = document(
        fields=[("count", "non_personal")],
        linkage="probabilistic",
        subjects=["Children"],
        ticked=["large_scale"],
    )

    screening = dpia.screen(doc)

    assert screening.met == ["large_scale"]
    assert screening.inferred == []


def test_screen_ticked_and_inferred_criterion_counted_once():
    doc = document(
        fields=[("diagnosis", "special_category")],
        ticked=["sensitive_data", "large_scale"],
    )

    screening = dpia.screen(doc)

    assert screening.met == ["sensitive_data", "large_scale"]
    assert screening.required
    assert "2 of the nine" in screening.reasons[0]


def test_screen_survives_malformed_documents():
    broken = {
        "dpia": {"screening": {"criteria": ["large_scale", 7, "not-a-code", None]}},
        "data": {"datasets": ["x", {"fields": "nope"}], "data_subjects": "Children"},
        "processing": {"linkage": ["probabilistic"]},
    }

    assert dpia.screen(broken).met == ["large_scale"]
    assert dpia.screen({}).met == []


def test_screen_does_not_change_the_document():
    doc = document(fields=[("diagnosis", "special_category")], linkage="probabilistic")
    before = copy.deepcopy(doc)

    dpia.screen(doc)

    assert doc == before


@given(st.sets(st.sampled_from([c.code for c in dpia.CRITERIA])))
def test_screen_conclusion_follows_the_icos_rule_for_any_ticks(ticked):
    """Required exactly when two European criteria are met, or an ICO item is met (those that
    need a European criterion only with one)."""
    screening = dpia.screen(document(ticked=sorted(ticked)))
    european = [c for c in ticked if dpia.CRITERIA_BY_CODE[c].source == dpia.WP248]
    ico = [dpia.CRITERIA_BY_CODE[c] for c in ticked if c in ICO_CODES]
    expected = (
        len(european) >= 2 or any(not c.needs_wp248 for c in ico) or (bool(european) and bool(ico))
    )

    assert screening.required is expected
    assert set(screening.met) == ticked
    assert screening.reasons[0].startswith(
        "A full DPIA is required" if expected else "A full DPIA is not required"
    )
