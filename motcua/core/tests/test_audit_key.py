"""The keyed chain (docs/decisions/audit.md): an attacker without the HMAC key cannot
re-chain edited events; keys rotate; legacy (unkeyed) events stay verifiable."""

from __future__ import annotations

import pytest

from motcua.core.chain_keys import key_id_of
from motcua.core.tests.conftest import KEY_1, KEY_2
from motcua.core.tests.tamper import past_the_triggers, rechain, verify_audit
from motcua.dossiers.actions import return_result
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.tests.fixtures import at, clock, holder

pytestmark = pytest.mark.django_db


def _edit_note(event):
    if event.seq == 2:
        event.data = {**event.data, "note": "sửa lén"}


def test_events_carry_the_key_id_never_the_key(history):
    events = list(history.events.all())
    assert {e.key_id for e in events} == {key_id_of(KEY_1)}
    assert all(KEY_1 not in str(e.payload()) for e in events)


def test_rehashing_edited_events_without_the_key_is_caught(history):
    # The old chain's attack: edit, then recompute SHA-256 for the rest and the head.
    rechain(history, edit=_edit_note, key=None)
    history.refresh_from_db()
    problems = verify_chain(history)
    # The first event is unchanged, yet it was hashed without the key: every MAC fails.
    assert [(p.seq, p.message) for p in problems] == [
        (seq, "nội dung đã bị sửa") for seq in range(1, history.event_seq + 1)
    ]
    ok, output = verify_audit()
    assert not ok
    assert f"{history.code}: sự kiện #2" in output


def test_events_chained_under_an_older_key_verify_after_rotation(history, settings):
    settings.AUDIT_KEYS = [KEY_1, KEY_2]  # a new line appended to AUDIT_KEY_FILE
    before = history.event_seq
    with clock(at(2026, 3, 4, 9, 0)):
        return_result(dossier=history, officer=holder(history))
    history.refresh_from_db()
    assert [e.key_id for e in history.events.order_by("seq")] == [key_id_of(KEY_1)] * before + [
        key_id_of(KEY_2)
    ]
    assert verify_chain(history) == []
    assert verify_audit()[0]


def test_an_unknown_key_id_is_named(history, settings):
    settings.AUDIT_KEYS = [KEY_2]  # the old key was dropped from the file
    problems = verify_chain(history)
    assert len(problems) == history.event_seq
    assert f"khóa «{key_id_of(KEY_1)}» không có trong AUDIT_KEY/AUDIT_KEY_FILE" in str(problems[0])


def test_legacy_events_still_verify_and_are_counted(history, settings):
    # Events chained before the key existed: no key id, plain SHA-256, up to the id the
    # operator wrote down when the key came.
    rechain(history, edit=lambda event: None, key=None, downgrade=True)
    history.refresh_from_db()
    assert verify_chain(history) == []
    settings.AUDIT_LEGACY_UP_TO = history.events.order_by("-pk").first().pk
    ok, output = verify_audit()
    assert ok, output
    assert "sự kiện cũ chưa có khóa" in output


def test_a_chain_passed_off_as_legacy_is_caught_without_seals(history, settings):
    """Rewritten as unkeyed SHA-256 (no key needed): beyond AUDIT_LEGACY_UP_TO, it is a
    downgrade even when no seal exists."""
    settings.AUDIT_LEGACY_UP_TO = 0
    rechain(history, edit=lambda event: None, key=None, downgrade=True)
    ok, output = verify_audit()
    assert not ok
    assert "chuỗi bị hạ cấp" in output


def test_a_record_without_any_event_is_named(history):
    from motcua.dossiers.models import Dossier

    with past_the_triggers():
        fabricated = Dossier.objects.filter(pk=history.pk).first()
        fabricated.pk = None
        fabricated.code = "000.00.02.H20-260302-9999"
        fabricated.event_seq, fabricated.event_head = 0, ""
        fabricated.lookup_secret = "x"
        fabricated.save()
    ok, output = verify_audit()
    assert not ok
    assert "000.00.02.H20-260302-9999" in output and "không có sự kiện nào" in output


def test_an_unkeyed_event_after_a_keyed_one_is_a_downgrade(history):
    def downgrade_last(event):
        if event.seq == history.event_seq:
            event.key_id = ""

    rechain(history, edit=downgrade_last, key=KEY_1)
    history.refresh_from_db()
    # rechain recomputed #3 under the key but the verifier reads it as legacy.
    messages = [p.message for p in verify_chain(history)]
    assert "sự kiện không khóa ghi sau khi đã dùng khóa (chuỗi bị hạ cấp)" in messages
