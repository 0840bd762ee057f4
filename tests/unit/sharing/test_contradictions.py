"""Contradictions: each rule fires on its case, names the value to change, else stays quiet."""

import pytest

from interborough.accounts.models import Organisation
from interborough.sharing.contradictions import contradictions
from interborough.sharing.schema import Problem
from tests.factories.sharing import full_document


def _document():
    parties = [
        Organisation(slug="camden", name="Camden"),
        Organisation(slug="hackney", name="Hackney"),
    ]
    document = full_document(parties)
    document["dates"] = {"start": "2026-04-01", "end": "2028-04-01", "review": "2027-04-01"}
    document["dpia"]["date"] = "2026-03-01"
    return document


def _field(document, index):
    return document["data"]["datasets"][0]["fields"][index]


def _add_dataset(document, **changes):
    entry = {**document["data"]["datasets"][0], "key": "second", **changes}
    document["data"]["datasets"].append(entry)


def _special(document):
    _field(document, 2)["sensitivity"] = "special_category"


def _release(document):
    document["processing"]["permitted_operations"].append("release")
    document["processing"]["output_disclosure_profile"] = None


def test_contradictions_none_in_full_document():
    assert contradictions(_document()) == []


RULES = [
    (
        "end before start",
        lambda d: d["dates"].update(end="2026-03-31"),
        "dates.end",
        "end date must be after the start date",
    ),
    (
        "end on start",
        lambda d: d["dates"].update(end="2026-04-01"),
        "dates.end",
        "end date must be after the start date",
    ),
    (
        "review before start",
        lambda d: d["dates"].update(review="2026-03-01"),
        "dates.review",
        "not be before the start date",
    ),
    (
        "review after end",
        lambda d: d["dates"].update(review="2028-05-01"),
        "dates.review",
        "not be after the end date",
    ),
    (
        "processor without controller",
        lambda d: [p.update(role="processor") for p in d["parties"]],
        "parties",
        "make at least one party a controller or joint controller",
    ),
    (
        "one party",
        lambda d: (d["parties"].pop(), d["processing"].update(recipients=["camden"])),
        "parties",
        "at least two parties",
    ),
    (
        "party twice",
        lambda d: (
            d["parties"][1].update(organisation="camden"),
            d["processing"].update(recipients=["camden"]),
        ),
        "parties.1.organisation",
        "'camden' is listed as a party more than once",
    ),
    (
        "special category without article 9",
        _special,
        "legal_basis.article9_conditions",
        "UK GDPR Article 9 condition",
    ),
    (
        "article 9(2)(g) without schedule 1",
        lambda d: (_special(d), d["legal_basis"].update(article9_conditions=["art9_2_g"])),
        "legal_basis.schedule1_conditions",
        "Article 9(2)(g) also needs a Data Protection Act 2018 Schedule 1 condition",
    ),
    (
        "article 9(2)(h) without schedule 1",
        lambda d: (_special(d), d["legal_basis"].update(article9_conditions=["art9_2_h"])),
        "legal_basis.schedule1_conditions",
        "Article 9(2)(h)",
    ),
    (
        "criminal offence without article 10",
        lambda d: _field(d, 2).update(sensitivity="criminal_offence"),
        "legal_basis.article10_condition",
        "criminal offence data",
    ),
    (
        "linkage key not a field",
        lambda d: d["processing"]["linkage"].update(keys=["household_id", "nhs_number"]),
        "processing.linkage.keys.1",
        "'nhs_number' is not a field of any dataset",
    ),
    (
        "linkage key dropped",
        lambda d: _field(d, 1).update(transformation="dropped"),
        "processing.linkage.keys.1",
        "'surname' is dropped",
    ),
    (
        "keys without linkage",
        lambda d: (
            d["processing"]["linkage"].update(method="none"),
            _field(d, 0).update(transformation="clear"),
            _field(d, 1).update(transformation="clear"),
        ),
        "processing.linkage.keys",
        "Records are not linked, so there should be no linkage keys",
    ),
    (
        "keyed hash without linkage",
        lambda d: (
            d["processing"]["linkage"].update(method="none", keys=[]),
            _field(d, 1).update(transformation="clear"),
        ),
        "data.datasets.0.fields.0.transformation",
        "only for linking records",
    ),
    (
        "recipient not a party",
        lambda d: d["processing"]["recipients"].append("westminster"),
        "processing.recipients.2",
        "'westminster' receives the data but is not a party",
    ),
    (
        "provider not a party",
        lambda d: d["data"]["datasets"][0].update(provided_by="westminster"),
        "data.datasets.0.provided_by",
        "'westminster' provides this dataset but is not a party",
    ),
    (
        "catalogue dataset twice",
        lambda d: (
            d["data"]["datasets"][0].update(catalogue_dataset="ta-placements"),
            _add_dataset(d, catalogue_dataset="ta-placements"),
        ),
        "data.datasets.1.catalogue_dataset",
        "'ta-placements' is already listed",
    ),
    (
        "dataset key twice",
        lambda d: _add_dataset(d, key="placements"),
        "data.datasets.1.key",
        "Another dataset already has the key 'placements'",
    ),
    (
        "field name twice",
        lambda d: _field(d, 3).update(name="surname"),
        "data.datasets.0.fields.3.name",
        "The field 'surname' is listed twice",
    ),
    (
        "dpia after start",
        lambda d: d["dpia"].update(date="2026-04-02"),
        "dpia.date",
        "on or before the start date",
    ),
    (
        "minimum cell count zero",
        lambda d: d["processing"]["output_disclosure_profile"].update(minimum_cell_count=0),
        "processing.output_disclosure_profile.minimum_cell_count",
        "at least 1 (it is 0)",
    ),
    (
        "rounding base zero",
        lambda d: d["processing"]["output_disclosure_profile"].update(rounding_base=0),
        "processing.output_disclosure_profile.rounding_base",
        "at least 1",
    ),
    (
        "dominance percent over 100",
        lambda d: d["processing"]["output_disclosure_profile"].update(dominance_percent=101),
        "processing.output_disclosure_profile.dominance_percent",
        "between 1 and 100 (it is 101)",
    ),
    (
        "dominance percent zero",
        lambda d: d["processing"]["output_disclosure_profile"].update(dominance_percent=0.5),
        "processing.output_disclosure_profile.dominance_percent",
        "between 1 and 100",
    ),
    (
        "release without profile",
        _release,
        "processing.output_disclosure_profile",
        "Outputs may be released",
    ),
    (
        "published without summary",
        lambda d: d["register"].update(public_summary=" "),
        "register.public_summary",
        "write its public summary",
    ),
    (
        "retention zero",
        lambda d: d["data"]["datasets"][0]["retention"].update(period_months=0),
        "data.datasets.0.retention.period_months",
        "between 1 and 1,200 months (it says 0)",
    ),
    (
        "retention over a century",
        lambda d: d["data"]["datasets"][0]["retention"].update(period_months=1201),
        "data.datasets.0.retention.period_months",
        "between 1 and 1,200 months",
    ),
    (
        "breach window over 72 hours",
        lambda d: d["rights"].update(breach_notification_hours=96),
        "rights.breach_notification_hours",
        "Article 33",
    ),
    (
        "breach window zero",
        lambda d: d["rights"].update(breach_notification_hours=0),
        "rights.breach_notification_hours",
        "at least 1 hour",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "words"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_contradictions_rule(mutate, path, words):
    document = _document()
    mutate(document)
    problems = contradictions(document)
    assert [p.path for p in problems] == [path], problems
    assert words in problems[0].message
    assert problems[0].message.endswith(".")


QUIET = [
    ("review on start", lambda d: d["dates"].update(review="2026-04-01")),
    ("review on end", lambda d: d["dates"].update(review="2028-04-01")),
    ("dpia on start", lambda d: d["dpia"].update(date="2026-04-01")),
    (
        "processor with a joint controller",
        lambda d: (
            d["parties"][0].update(role="joint_controller"),
            d["parties"][1].update(role="processor"),
        ),
    ),
    (
        "article 9(2)(g) with schedule 1",
        lambda d: (
            _special(d),
            d["legal_basis"].update(
                article9_conditions=["art9_2_g"], schedule1_conditions=["sch1_para6"]
            ),
        ),
    ),
    (
        "article 9(2)(a) needs no schedule 1",
        lambda d: (_special(d), d["legal_basis"].update(article9_conditions=["art9_2_a"])),
    ),
    (
        "criminal offence with article 10",
        lambda d: (
            _field(d, 2).update(sensitivity="criminal_offence"),
            d["legal_basis"].update(article10_condition="sch1_para10"),
        ),
    ),
    (
        "no linkage, clear and dropped fields",
        lambda d: (
            d["processing"]["linkage"].update(method="none", keys=[]),
            _field(d, 0).update(transformation="clear"),
            _field(d, 1).update(transformation="dropped"),
        ),
    ),
    (
        "key kept in one dataset, dropped in another",
        lambda d: _add_dataset(d, fields=[{**_field(d, 1), "transformation": "dropped"}]),
    ),
    (
        "boundaries",
        lambda d: (
            d["rights"].update(breach_notification_hours=72),
            d["data"]["datasets"][0]["retention"].update(period_months=1200),
            d["processing"]["output_disclosure_profile"].update(
                minimum_cell_count=1, rounding_base=1, dominance_percent=100
            ),
        ),
    ),
    ("release with profile", lambda d: d["processing"]["permitted_operations"].append("release")),
    (
        "unpublished without summary",
        lambda d: d["register"].update(publish=False, public_summary=""),
    ),
    (
        "unanswered values",
        lambda d: (
            d["dates"].update(start=None, end=None, review=None),
            d["rights"].update(breach_notification_hours=None),
            d["data"]["datasets"][0]["retention"].update(period_months=None),
            d["processing"].update(output_disclosure_profile=None),
        ),
    ),
]


@pytest.mark.parametrize("mutate", [q[1] for q in QUIET], ids=[q[0] for q in QUIET])
def test_contradictions_quiet_when_consistent(mutate):
    document = _document()
    mutate(document)
    assert contradictions(document) == []


def test_contradictions_several_at_once_in_section_order():
    document = _document()
    document["rights"]["breach_notification_hours"] = 100
    document["dates"]["end"] = "2020-01-01"
    document["processing"]["recipients"].append("westminster")
    assert [p.path for p in contradictions(document)] == [
        "dates.end",
        "processing.recipients.2",
        "rights.breach_notification_hours",
    ]


def test_contradictions_blank_parties_only():
    from interborough.sharing.document import blank_document

    assert contradictions(blank_document(reference="DSA-1", title="")) == [
        Problem("parties", "A sharing agreement needs at least two parties.")
    ]


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"dates": "soon", "parties": {"a": 1}, "data": {"datasets": "x"}},
        {"data": {"datasets": [None, {"fields": [None, "x", {"name": 3}]}]}},
        {"rights": {"breach_notification_hours": True}, "processing": {"linkage": []}},
        {"dates": {"start": "2026-02-30", "end": "tomorrow"}},
    ],
)
def test_contradictions_survive_malformed_values(junk):
    problems = contradictions(junk)
    assert [p.path for p in problems] == ["parties"]  # only "fewer than two parties"
