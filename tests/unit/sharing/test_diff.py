"""Diffs between agreement versions: field by field, list items by their natural key."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.accounts.models import Organisation
from interborough.sharing.diff import SEPARATOR, Change, diff
from tests.factories.sharing import full_document


def _label(*parts):
    return SEPARATOR.join(parts)


def _document():
    parties = [
        Organisation(slug="camden", name="Camden"),
        Organisation(slug="hackney", name="Hackney"),
    ]
    return full_document(parties)


def _changed(mutate):
    old = _document()
    new = copy.deepcopy(old)
    mutate(new)
    return diff(old, new)


def test_diff_same_document_empty():
    assert diff(_document(), _document()) == []


def test_diff_ignores_version_and_supersedes():
    changes = _changed(lambda d: d.update(version=2, supersedes=1))
    assert changes == []


def test_diff_scalar_change_with_label():
    [change] = _changed(lambda d: d["dates"].update(end="2030-03-31"))
    assert change.path == "dates.end"
    assert change.label == _label("Dates", "End date")
    assert change.kind == "changed"
    assert change.after == "2030-03-31" and change.before != change.after


def test_diff_field_matched_by_name_with_plain_english_label():
    def mutate(d):
        d["data"]["datasets"][0]["fields"][1]["transformation"] = "dropped"

    assert _changed(mutate) == [
        Change(
            path="data.datasets[placements].fields[surname].transformation",
            label=_label("Data", "placements", "field surname", "How it is shared"),
            before="keyed_bloom",
            after="dropped",
            kind="changed",
        )
    ]


def test_diff_reordering_keyed_lists_is_not_a_change():
    def mutate(d):
        d["parties"].reverse()
        d["data"]["datasets"][0]["fields"].reverse()

    assert _changed(mutate) == []


def test_diff_party_matched_by_organisation():
    def mutate(d):
        d["parties"].reverse()
        d["parties"][0]["role"] = "joint_controller"  # hackney, now listed first

    [change] = _changed(mutate)
    assert change.path == "parties[hackney].role"
    assert change.label == _label("Parties", "hackney", "Role")
    assert (change.before, change.after) == ("controller", "joint_controller")


def test_diff_party_added_and_removed():
    islington = full_document(
        [Organisation(slug="islington", name="Islington"), Organisation(slug="x", name="X")]
    )

    def mutate(d):
        d["parties"][1] = islington["parties"][0]

    removed, added = _changed(mutate)
    assert (removed.kind, removed.path, removed.after) == ("removed", "parties[hackney]", None)
    assert removed.before["organisation"] == "hackney"
    assert (added.kind, added.path, added.before) == ("added", "parties[islington]", None)
    assert added.label == _label("Parties", "islington")


def test_diff_dataset_added_and_field_removed():
    def mutate(d):
        second = copy.deepcopy(d["data"]["datasets"][0])
        second["key"] = "schools"
        d["data"]["datasets"].append(second)
        del d["data"]["datasets"][0]["fields"][3]

    changes = _changed(mutate)
    assert [(c.kind, c.path) for c in changes] == [
        ("removed", "data.datasets[placements].fields[placement_start]"),
        ("added", "data.datasets[schools]"),
    ]
    assert changes[0].label == _label("Data", "placements", "field placement_start")


def test_diff_gateways_matched_by_code():
    def mutate(d):
        d["legal_basis"]["statutory_gateways"].insert(
            0, {"code": "children-act-2004-s10", "citation": "Children Act 2004 s10"}
        )
        d["legal_basis"]["statutory_gateways"][1]["citation"] = "Housing Act 1996 Part 7"

    changes = _changed(mutate)
    assert [(c.kind, c.path) for c in changes] == [
        ("changed", "legal_basis.statutory_gateways[housing-act-1996-part-7].citation"),
        ("added", "legal_basis.statutory_gateways[children-act-2004-s10]"),
    ]
    assert changes[0].label == _label("Legal basis", "gateway housing-act-1996-part-7", "Citation")


def test_diff_scalar_lists_as_sets_in_order():
    def mutate(d):
        d["purpose"]["dpv_purposes"] = [
            "dpv:PublicBenefit",
            "dpv:ResearchAndDevelopment",
            "dpv:ImprovePublicServices",
        ]

    changes = _changed(mutate)
    assert [(c.kind, c.before, c.after) for c in changes] == [
        ("removed", "dpv:ServiceProvision", None),
        ("added", None, "dpv:PublicBenefit"),
        ("added", None, "dpv:ImprovePublicServices"),
    ]
    assert {c.path for c in changes} == {"purpose.dpv_purposes"}
    assert changes[0].label == _label("Purpose and benefits", "Purpose codes")


def test_diff_scalar_list_reordered_is_not_a_change():
    assert _changed(lambda d: d["processing"]["permitted_operations"].reverse()) == []


def test_diff_object_replaced_by_null():
    [change] = _changed(lambda d: d["processing"].update(output_disclosure_profile=None))
    assert change.kind == "changed" and change.after is None
    assert change.before["minimum_cell_count"] == 10
    assert change.label == _label("Processing and linkage", "Output disclosure profile")


def test_diff_keys_added_and_removed():
    def mutate(d):
        d["dpia"]["screening"]["answered"] = True
        del d["dpia"]["reference"]

    changes = _changed(mutate)
    assert [(c.kind, c.path, c.before, c.after) for c in changes] == [
        ("removed", "dpia.reference", "DPIA-2026-014", None),
        ("added", "dpia.screening.answered", None, True),
    ]


def test_diff_number_type_change_counted():
    changes = _changed(lambda d: d["rights"].update(breach_notification_hours=24.0))
    assert [c.path for c in changes] == ["rights.breach_notification_hours"]


def test_diff_items_without_natural_key_by_position():
    def mutate(d):
        d["parties"][1]["organisation"] = ""  # no usable key: compared position by position
        d["parties"][1]["role"] = "processor"

    paths = [c.path for c in _changed(mutate)]
    assert paths == ["parties.1.organisation", "parties.1.role"]


# Properties

keys = st.text(alphabet="abcdef", min_size=1, max_size=3)
scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text(alphabet="xyz", max_size=2)
trees = st.recursive(scalars, lambda inner: st.dictionaries(keys, inner, max_size=4), max_leaves=15)
documents = st.dictionaries(keys, trees, max_size=5)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=15,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=5))
def test_diff_of_itself_is_empty(document):
    assert diff(document, copy.deepcopy(document)) == []


def _apply(document, changes):
    """Rebuild the new document from the old one and the changes (mappings only)."""
    result = copy.deepcopy(document)
    for change in changes:
        *parents, last = change.path.split(".")
        target = result
        for part in parents:
            target = target[part]
        if change.kind == "removed":
            assert target[last] == change.before
            del target[last]
        else:
            assert (last in target) == (change.kind == "changed")
            target[last] = change.after
    return result


@settings(max_examples=100, deadline=None)
@given(documents, documents)
def test_diff_changes_rebuild_the_new_document(old, new):
    changes = diff(old, new)
    assert _apply(old, changes) == new
    assert len({c.path for c in changes}) == len(changes)  # each path once


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(keys, json_values, max_size=5), st.dictionaries(keys, json_values, max_size=5)
)
def test_diff_is_symmetric(old, new):
    flip = {"added": "removed", "removed": "added", "changed": "changed"}
    forward = {(c.path, repr(c.before), repr(c.after), c.kind) for c in diff(old, new)}
    backward = {(c.path, repr(c.after), repr(c.before), flip[c.kind]) for c in diff(new, old)}
    assert forward == backward
