import pytest

from interborough.linkage.encoding import keys
from interborough.linkage.encoding.bloom import BloomEncoder, bigrams, dice
from interborough.linkage.encoding.errors import EncoderInputError
from interborough.linkage.encoding.tokens import token, tokens

KEY = keys.keygen()
OTHER_KEY = keys.keygen()


def test_keygen_round_trips_and_is_random() -> None:
    assert KEY.startswith("ibk1:")
    assert len(keys.parse_key(KEY)) == 32
    assert KEY != OTHER_KEY


@pytest.mark.parametrize("bad", ["", "abc", "ibk1:", "ibk1:AAAA", "ibk2:" + "A" * 43])
def test_parse_key_refuses_damaged_keys(bad: str) -> None:
    with pytest.raises(EncoderInputError) as caught:
        keys.parse_key(bad)
    assert caught.value.reason == "key_invalid"


def test_fingerprint_is_stable_and_detects_wrong_key() -> None:
    fp = keys.fingerprint(KEY)
    assert fp == keys.fingerprint(KEY)
    assert fp.startswith("fp1:") and len(fp) == 4 + 24
    assert keys.parse_key(KEY).hex()[:24] not in fp
    keys.check_fingerprint(KEY, fp)
    with pytest.raises(EncoderInputError) as caught:
        keys.check_fingerprint(OTHER_KEY, fp)
    assert caught.value.reason == "key_mismatch"


def test_subkeys_differ_by_agreement_and_purpose() -> None:
    a = keys.subkey(KEY, "DSA-1", "token")
    assert a == keys.subkey(KEY, "DSA-1", "token")
    assert a != keys.subkey(KEY, "DSA-2", "token")
    assert a != keys.subkey(KEY, "DSA-1", "bloom:name")
    assert keys.subkey(KEY, "ab", "c") != keys.subkey(KEY, "a", "bc")
    with pytest.raises(EncoderInputError):
        keys.subkey(KEY, "  ", "token")


def test_tokens_deterministic_per_key_and_different_across_keys_and_agreements() -> None:
    sub = keys.subkey(KEY, "DSA-1", "token")
    t = token(sub, "name", "JOHN")
    assert t == token(sub, "name", "JOHN")
    assert t is not None and len(t) == 43
    assert t != token(sub, "name", "JON")
    assert t != token(sub, "name_initial", "JOHN")
    assert t != token(keys.subkey(KEY, "DSA-2", "token"), "name", "JOHN")
    assert t != token(keys.subkey(OTHER_KEY, "DSA-1", "token"), "name", "JOHN")


def test_missing_values_stay_missing() -> None:
    sub = keys.subkey(KEY, "DSA-1", "token")
    assert token(sub, "name", None) is None
    assert token(sub, "name", "") is None
    assert tokens(sub, "name", ["A", None, "A"]) == [
        token(sub, "name", "A"),
        None,
        token(sub, "name", "A"),
    ]


def _bloom(key: str = KEY, agreement: str = "DSA-1") -> BloomEncoder:
    return BloomEncoder(keys.subkey(key, agreement, "bloom:name"))


def _filter(encoder: BloomEncoder, value: str) -> bytes:
    result = encoder.encode(value)
    assert result is not None
    return result


def test_bigrams_are_padded() -> None:
    assert bigrams("JON") == ["_J", "JO", "ON", "N_"]


def test_bloom_same_value_dice_one() -> None:
    enc = _bloom()
    a = _filter(enc, "CATHERINE")
    assert len(a) == 128
    assert dice(a, _filter(enc, "CATHERINE")) == 1.0


def test_bloom_one_letter_typo_is_close_and_different_name_is_far() -> None:
    enc = _bloom()
    base = _filter(enc, "CATHERINE")
    assert dice(base, _filter(enc, "KATHERINE")) > 0.8
    assert dice(base, _filter(enc, "CATHERYNE")) > 0.7
    assert dice(base, _filter(enc, "MOHAMMED")) < 0.3


def test_bloom_different_key_or_agreement_gives_unrelated_filters() -> None:
    a = _filter(_bloom(), "CATHERINE")
    assert dice(a, _filter(_bloom(OTHER_KEY), "CATHERINE")) < 0.35
    assert dice(a, _filter(_bloom(agreement="DSA-2"), "CATHERINE")) < 0.35


def test_bloom_missing_and_bad_parameters() -> None:
    enc = _bloom()
    assert enc.encode(None) is None
    assert enc.encode("") is None
    arr, present = enc.encode_many(["A", None])
    assert arr.shape == (2, 128) and present.tolist() == [True, False]
    assert arr[1].sum() == 0
    with pytest.raises(ValueError):
        BloomEncoder(b"k", m=1001)
    with pytest.raises(ValueError):
        dice(b"\x00", b"\x00\x00")


@pytest.mark.parametrize("m", [1024, 1000])
def test_bloom_encode_many_matches_one_at_a_time(m: int) -> None:
    enc = BloomEncoder(keys.subkey(KEY, "DSA-1", "bloom:name"), m=m, k=7)
    values = ["JO", None, "CATHERINE", "", "AL", "JO", "A B C D E F G H"]
    arr, present = enc.encode_many(values)
    assert present.tolist() == [bool(v) for v in values]
    for row, value in zip(arr, values, strict=True):
        assert row.tobytes() == (enc.encode(value) or bytes(m // 8))


def test_token_matches_standard_library_hmac() -> None:
    import base64
    import hashlib
    import hmac

    sub = keys.subkey(KEY, "DSA-1", "token")
    expected = hmac.digest(sub, b"name\x1fJOHN", hashlib.sha256)
    assert token(sub, "name", "JOHN") == base64.urlsafe_b64encode(expected).decode().rstrip("=")
