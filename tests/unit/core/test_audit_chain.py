from hypothesis import given
from hypothesis import strategies as st

from interborough.core import audit_chain


def _chain(contents):
    links, previous = [], audit_chain.GENESIS_HASH
    for i, content in enumerate(contents, start=1):
        h = audit_chain.event_hash(previous, content)
        links.append(audit_chain.ChainLink(i, previous, h, content))
        previous = h
    return links


contents = st.lists(
    st.dictionaries(
        st.text(min_size=1, max_size=5), st.one_of(st.integers(), st.text(max_size=10)), max_size=4
    ),
    min_size=1,
    max_size=8,
)


@given(contents)
def test_verify_accepts_an_untouched_chain(items):
    links = _chain(items)
    result = audit_chain.verify(links, head_sequence=len(links), head_hash=links[-1].hash)
    assert result.ok and result.checked == len(links)


@given(contents, st.data())
def test_verify_names_the_first_tampered_event(items, data):
    links = _chain(items)
    index = data.draw(st.integers(0, len(links) - 1))
    tampered = dict(links[index].content, tampered=True)
    links[index] = audit_chain.ChainLink(
        links[index].sequence, links[index].previous_hash, links[index].hash, tampered
    )
    result = audit_chain.verify(links, head_sequence=len(links), head_hash=links[-1].hash)
    assert result.broken_at == index + 1


def test_verify_detects_a_deleted_event_in_the_middle():
    links = _chain([{"a": 1}, {"a": 2}, {"a": 3}])
    result = audit_chain.verify([links[0], links[2]], head_sequence=3, head_hash=links[2].hash)
    assert result.broken_at == 2
    assert "missing" in result.reason


def test_verify_detects_truncation_of_the_newest_events():
    links = _chain([{"a": 1}, {"a": 2}, {"a": 3}])
    result = audit_chain.verify(links[:2], head_sequence=3, head_hash=links[2].hash)
    assert result.broken_at == 3


def test_canonical_ignores_key_order():
    assert audit_chain.canonical({"b": 1, "a": 2}) == audit_chain.canonical({"a": 2, "b": 1})
