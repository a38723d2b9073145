"""Claims to profile fields: standard names, the configured ID number claim."""

from __future__ import annotations

from motcua.integrations.identity.claims import map_claims


def test_the_name_is_composed_when_not_given_whole():
    person = map_claims(
        {"sub": "1", "family_name": "Nguyễn", "middle_name": "Thị", "given_name": "Mai"},
        issuer="i",
        id_number_claim="id_number",
    )
    assert person.name == "Nguyễn Thị Mai"


def test_the_id_number_claim_may_be_nested_and_flags_must_be_true():
    person = map_claims(
        {"sub": "1", "cd": {"so": "087190123456"}, "email": "a@b.vn", "email_verified": "true"},
        issuer="i",
        id_number_claim="cd.so",
    )
    assert (person.id_number, person.email, person.email_verified) == (
        "087190123456",
        "a@b.vn",
        False,  # a string "true" is not the boolean the standard asks for
    )
