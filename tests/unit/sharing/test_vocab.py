"""The controlled vocabularies: complete, well-formed, and citing the law accurately."""

import re

import pytest

from interborough.sharing import vocab

VOCABULARIES = {
    "OPERATIONS": vocab.OPERATIONS,
    "TRANSFORMATIONS": vocab.TRANSFORMATIONS,
    "PARTY_ROLES": vocab.PARTY_ROLES,
    "ARTICLE6_BASES": vocab.ARTICLE6_BASES,
    "ARTICLE9_CONDITIONS": vocab.ARTICLE9_CONDITIONS,
    "SCHEDULE1_CONDITIONS": vocab.SCHEDULE1_CONDITIONS,
    "ARTICLE10_CONDITIONS": vocab.ARTICLE10_CONDITIONS,
    "STATUTORY_GATEWAYS": vocab.STATUTORY_GATEWAYS,
    "DPV_PURPOSES": vocab.DPV_PURPOSES,
    "SENSITIVITIES": vocab.SENSITIVITIES,
    "IDENTIFIER_TYPES": vocab.IDENTIFIER_TYPES,
    "SHARING_METHODS": vocab.SHARING_METHODS,
    "LINKAGE_METHODS": vocab.LINKAGE_METHODS,
    "REFRESH_FREQUENCIES": vocab.REFRESH_FREQUENCIES,
    "DSPT_STATUSES": vocab.DSPT_STATUSES,
    "CYBER_ESSENTIALS": vocab.CYBER_ESSENTIALS,
    "CLASSIFICATIONS": vocab.CLASSIFICATIONS,
    "ON_EXIT": vocab.ON_EXIT,
}


@pytest.mark.parametrize("name", VOCABULARIES)
def test_vocab_codes_and_labels_well_formed(name):
    vocabulary = VOCABULARIES[name]
    assert vocabulary, f"{name} is empty"
    for code, label in vocabulary.items():
        assert re.fullmatch(r"[a-z0-9_:-]+|dpv:[A-Za-z]+", code), (name, code)
        assert label == label.strip() and len(label) >= 3, (name, code, label)
    assert len(set(vocabulary.values())) == len(vocabulary), f"{name} repeats a label"


def test_vocab_policy_names_unchanged():
    assert list(vocab.OPERATIONS) == ["read", "download", "upload", "link", "aggregate", "release"]
    assert list(vocab.TRANSFORMATIONS) == ["clear", "keyed_hash", "keyed_bloom", "dropped"]
    assert set(vocab.OPERATION_TRANSFORMATIONS) == set(vocab.OPERATIONS)
    for allowed in vocab.OPERATION_TRANSFORMATIONS.values():
        assert allowed <= set(vocab.TRANSFORMATIONS) - {"dropped"}


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("PARTY_ROLES", ["controller", "joint_controller", "processor"]),
        ("SENSITIVITIES", ["personal", "special_category", "criminal_offence", "non_personal"]),
        ("IDENTIFIER_TYPES", ["direct", "quasi", "attribute"]),
        (
            "SHARING_METHODS",
            ["platform_upload", "platform_api", "secure_file_transfer", "view_in_place"],
        ),
        ("LINKAGE_METHODS", ["none", "deterministic", "probabilistic"]),
        (
            "REFRESH_FREQUENCIES",
            ["one_off", "daily", "weekly", "monthly", "quarterly", "annually"],
        ),
        (
            "DSPT_STATUSES",
            [
                "standards_exceeded",
                "standards_met",
                "approaching_standards",
                "standards_not_met",
                "not_applicable",
            ],
        ),
        ("CYBER_ESSENTIALS", ["none", "cyber_essentials", "cyber_essentials_plus"]),
        ("CLASSIFICATIONS", ["official", "official_sensitive"]),
        ("ON_EXIT", ["delete", "return", "return_and_delete"]),
    ],
)
def test_vocab_fixed_lists_exact(name, codes):
    assert list(VOCABULARIES[name]) == codes


def test_vocab_article6_cites_each_paragraph_in_order():
    assert list(vocab.ARTICLE6_BASES) == [
        "consent",
        "contract",
        "legal_obligation",
        "vital_interests",
        "public_task",
        "legitimate_interests",
    ]
    for letter, label in zip("abcdef", vocab.ARTICLE6_BASES.values(), strict=True):
        assert f"Article 6(1)({letter})" in label


def test_vocab_article9_covers_a_to_j():
    assert list(vocab.ARTICLE9_CONDITIONS) == [f"art9_2_{letter}" for letter in "abcdefghij"]
    for code, label in vocab.ARTICLE9_CONDITIONS.items():
        assert f"Article 9(2)({code[-1]})" in label


def test_vocab_article9_needing_schedule1_is_dpa_s10():
    assert {"art9_2_b", "art9_2_g", "art9_2_h", "art9_2_i", "art9_2_j"} == set(
        vocab.ARTICLE9_NEEDING_SCHEDULE1
    )
    assert set(vocab.ARTICLE9_CONDITIONS) >= vocab.ARTICLE9_NEEDING_SCHEDULE1


def test_vocab_schedule1_has_the_council_conditions():
    for paragraph in (1, 2, 6, 8, 10, 18, 19):
        code = f"sch1_para{paragraph}"
        assert code in vocab.SCHEDULE1_CONDITIONS
        assert f"Sch 1 para {paragraph})" in vocab.SCHEDULE1_CONDITIONS[code]


def test_vocab_statutory_gateways_cite_the_acts():
    expected = {
        "housing-act-1996-part-7": "Housing Act 1996 Part 7",
        "children-act-2004-s10": "Children Act 2004 s10",
        "children-act-1989-s17": "Children Act 1989 s17",
        "care-act-2014-s6": "Care Act 2014 s6",
        "care-act-2014-s42": "Care Act 2014 s42",
        "education-act-1996-s512zb": "Education Act 1996 s512ZB",
        "digital-economy-act-2017-s35": "Digital Economy Act 2017 s35",
        "digital-economy-act-2017-s56": "Digital Economy Act 2017 s56",
        "digital-economy-act-2017-s64": "Digital Economy Act 2017 s64",
        "localism-act-2011-s1": "Localism Act 2011 s1",
        "crime-and-disorder-act-1998-s115": "Crime and Disorder Act 1998 s115",
        "welfare-reform-act-2012-s131": "Welfare Reform Act 2012 s131",
        "homelessness-reduction-act-2017": "Homelessness Reduction Act 2017",
    }
    for code, citation in expected.items():
        assert vocab.STATUTORY_GATEWAYS[code].startswith(citation), code
    assert "s213B" in vocab.STATUTORY_GATEWAYS["housing-act-1996-part-7"]
    # Repealed in England: must never be offered as a gateway.
    assert not any(
        "Local Government Act 2000" in label for label in vocab.STATUTORY_GATEWAYS.values()
    )
    assert "other" in vocab.STATUTORY_GATEWAYS


def test_vocab_dpv_purposes_are_dpv_codes():
    assert len(vocab.DPV_PURPOSES) >= 15
    for code in vocab.DPV_PURPOSES:
        assert re.fullmatch(r"dpv:[A-Z][A-Za-z]+", code)
    for code in ("dpv:ServiceProvision", "dpv:ResearchAndDevelopment", "dpv:PublicBenefit"):
        assert code in vocab.DPV_PURPOSES
