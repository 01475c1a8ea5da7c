"""The pass token: round trip, and no altered or truncated token is ever accepted."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.domain import pass_token as pt

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def keypair():
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key, public


KEY, PUBLIC = keypair()
CLAIMS = pt.PassClaims(number="K01-000123", kind="household", key_id=pt.key_id_of(PUBLIC),
                       valid_from=dt.date(2026, 11, 24), valid_to=dt.date(2026, 12, 24), exits=1, per_days=2,
                       back_by=18 * 60, holder="张*三", id_last4="002X")
TOKEN = pt.encode(CLAIMS, KEY.sign)


def accepted(token: str, public: bytes = PUBLIC) -> bool:
    try:
        claims, body, signature = pt.split(token)
    except pt.TokenError:
        return False
    return claims.key_id == pt.key_id_of(public) and pt.signature_valid(public, body, signature)


def test_round_trip_keeps_every_claim():
    claims, body, signature = pt.split(TOKEN)
    assert claims == CLAIMS
    assert pt.signature_valid(PUBLIC, body, signature)


def test_token_is_qr_alphanumeric_and_carries_no_full_id():
    allowed = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert set(TOKEN) <= allowed
    assert "110105" not in TOKEN and len(TOKEN) < 200


def test_scanner_noise_is_tolerated():
    assert accepted(" " + TOKEN.lower() + "\n")


@settings(max_examples=300, deadline=None)
@given(position=st.integers(min_value=0, max_value=len(TOKEN) - 1), char=st.sampled_from(ALPHABET + "01"))
def test_every_single_character_change_is_refused(position, char):
    if TOKEN[position] == char:
        return
    changed = TOKEN[:position] + char + TOKEN[position + 1:]
    assert not accepted(changed)


def test_every_change_of_the_last_characters_is_refused():
    # base32's spare bits live in the last character: the canonical-form check must catch them
    for position in range(len(TOKEN) - 3, len(TOKEN)):
        for char in ALPHABET:
            if char != TOKEN[position]:
                assert not accepted(TOKEN[:position] + char + TOKEN[position + 1:])


def test_every_truncation_is_refused():
    for end in range(len(TOKEN)):
        assert not accepted(TOKEN[:end])


def test_resigned_with_another_key_is_refused():
    other, other_public = keypair()
    forged = pt.encode(CLAIMS, other.sign)  # claims still name the real key id
    assert not accepted(forged)
    assert not accepted(forged, other_public)


@pytest.mark.parametrize("text,reason", [
    ("", "token.not_ours"), ("hello", "token.not_ours"), ("CP", "token.damaged"),
    ("CP" + "A" * 500, "token.too_long"), ("CP!!!!", "token.damaged"),
])
def test_garbage_gives_a_reason(text, reason):
    with pytest.raises(pt.TokenError) as caught:
        pt.split(text)
    assert caught.value.reason == reason


def test_wrong_version_is_named():
    body = bytearray(pt.claims_bytes(CLAIMS))
    body[0] = 9
    token = pt.PREFIX + pt._b32encode(bytes(body) + KEY.sign(bytes(body)))
    with pytest.raises(pt.TokenError) as caught:
        pt.split(token)
    assert caught.value.reason == "token.version"


def test_reordered_token_is_refused():
    half = len(TOKEN) // 2
    assert not accepted(TOKEN[:2] + TOKEN[half:] + TOKEN[2:half])
