"""Seals (docs/decisions/audit.md): a signed digest of the chains' heads outside the database
catches what the key cannot (an attacker who holds it, a record deleted with its whole
history) and its own tampering (a changed or removed seal)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from motcua.core.chain_keys import key_id_of
from motcua.core.seals import missing_ranges, read_seal, seal, seal_files
from motcua.core.tests.conftest import KEY_1
from motcua.core.tests.tamper import erase, rechain, verify_audit
from motcua.dossiers.actions import return_result
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.fixtures import at, clock, holder

pytestmark = pytest.mark.django_db


def _heads(path):
    heads = []
    read_seal(path, visit=heads.append)
    return heads


def test_a_first_seal_holds_every_head_and_verifies(history, sealing):
    result = seal()
    assert result is not None and result.number == 1
    assert result.path.name == "00000001.seal"
    heads = _heads(result.path)
    head = (
        "dossiers.dossierevent",
        history.pk,
        history.code,
        history.event_seq,
        history.event_head,
    )
    assert head in {(h.model, h.record_id, h.code, h.seq, h.hash) for h in heads}
    ok, output = verify_audit()
    assert ok, output
    assert "1 niêm phong" in output and result.digest in output


def test_a_seal_holds_only_the_records_that_advanced(history, sealing, received):
    seal()
    other = received()
    with clock(at(2026, 3, 4, 9, 0)):
        return_result(dossier=history, officer=holder(history))
    second = seal()
    assert {(h.code, h.seq) for h in _heads(second.path)} == {
        (history.code, history.event_seq + 1),
        (other.code, 1),
    }
    assert read_seal(second.path).previous == read_seal(seal_files(sealing)[0][1]).digest
    assert verify_audit()[0]


def test_an_event_that_commits_late_with_a_lower_id_is_sealed_next(history, sealing, received):
    seal()
    with clock(at(2026, 3, 4, 9, 0)):
        return_result(dossier=history, officer=holder(history))
    received()  # its event takes a higher id and commits first
    # The return's transaction is still open at the next seal: its event (and the head it
    # moves) are not visible yet; played by removing them, then putting them back.
    late = history.events.get(seq=history.event_seq + 1)
    row = DossierEvent.objects.filter(pk=late.pk).values()[0]
    erase(DossierEvent, [late.pk])
    Dossier.objects.filter(pk=history.pk).update(event_seq=late.seq - 1, event_head=late.prev_hash)
    second = seal()
    assert history.code not in {h.code for h in _heads(second.path)}
    pending = read_seal(second.path).state["tables"]["dossiers.dossierevent"]["pending"]
    assert any(lo <= late.pk <= hi for lo, hi, _first_missed in pending)
    DossierEvent.objects.bulk_create([DossierEvent(**row)])
    Dossier.objects.filter(pk=history.pk).update(event_seq=late.seq, event_head=late.hash)
    third = seal()
    assert (history.code, late.seq) in {(h.code, h.seq) for h in _heads(third.path)}
    assert verify_audit()[0]


def test_rechaining_with_the_key_after_a_seal_is_caught(history, sealing):
    seal()

    def edit(event):
        if event.seq == 2:
            event.data = {**event.data, "note": "sửa lén"}

    # The attacker holds the HMAC key: the chain itself verifies again.
    rechain(history, edit=edit, key=KEY_1)
    history.refresh_from_db()
    assert history.events.get(seq=history.event_seq).key_id == key_id_of(KEY_1)
    ok, output = verify_audit()
    assert not ok
    assert f"{history.code}: sự kiện #{history.event_seq}" in output
    assert "chuỗi đã bị tính lại sau khi niêm phong" in output


def test_a_dossier_deleted_with_its_whole_history_is_named(history, sealing):
    seal()
    if connection.vendor == "postgresql":
        # The application's role cannot even start: the trigger refuses the DELETE.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM dossiers_dossierevent WHERE dossier_id = %s", [history.pk])
    # Someone past the triggers removes the dossier and every row that refers to it.
    erase(Dossier, [history.pk])
    assert not Dossier.objects.filter(pk=history.pk).exists()
    ok, output = verify_audit()
    assert not ok
    assert f"{history.code}: chuỗi: không còn trong cơ sở dữ liệu (bị xóa)" in output


def test_a_tampered_seal_fails_its_signature(history, sealing):
    path = seal().path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Change a head and recompute the digest: only the signature still tells.
    head = json.loads(lines[1])
    head[4] = "f" * 64
    lines[1] = json.dumps(head, ensure_ascii=False, separators=(",", ":")) + "\n"
    body = "".join(lines[:-1]).encode()
    signature = json.loads(lines[-1])["signature"]
    trailer = {"digest": hashlib.sha256(body).hexdigest(), "signature": signature}
    lines[-1] = json.dumps(trailer) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    ok, output = verify_audit()
    assert not ok
    assert "niêm phong 00000001.seal: chuỗi: chữ ký không hợp lệ" in output


def test_a_removed_seal_in_the_middle_breaks_the_chain_of_seals(history, sealing, clerk_binh):
    seal()
    with clock(at(2026, 3, 4, 9, 0)):
        return_result(dossier=history, officer=clerk_binh)
    middle = seal().path
    seal()
    middle.unlink()
    ok, output = verify_audit()
    assert not ok
    assert "niêm phong 00000003.seal: chuỗi: thiếu niêm phong #2" in output


def test_a_chain_passed_off_as_legacy_after_the_first_seal_is_caught(history, sealing):
    seal()
    # Without the key, the attacker clears the key ids and hashes the edited chain as legacy.
    rechain(history, edit=lambda event: None, key=None, downgrade=True)
    ok, output = verify_audit()
    assert not ok
    assert "chuỗi bị hạ cấp" in output


def test_sealing_off_says_so_and_verify_warns(settings, capsys):
    settings.AUDIT_SEAL_DIR = None
    call_command("seal_audit")
    assert "Niêm phong đang tắt" in capsys.readouterr().out
    ok, output = verify_audit()
    assert ok
    assert "bỏ qua kiểm tra niêm phong" in output


def test_a_verifier_with_only_the_public_key(history, sealing, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    seal()
    private = serialization.load_pem_private_key(settings.AUDIT_SEAL_KEY.encode(), None)
    settings.AUDIT_SEAL_PUBLIC_KEY = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings.AUDIT_SEAL_KEY = ""
    assert verify_audit()[0]
    settings.AUDIT_SEAL_PUBLIC_KEY = ""
    ok, output = verify_audit()
    assert not ok and "không có khóa công khai" in output


def _pending(result):
    return read_seal(result.path).state["tables"]["dossiers.dossierevent"]["pending"]


def test_missing_ids_are_ranges_between_the_ids_seen():
    assert missing_ranges(10, [11, 14, 15, 20]) == [(12, 13), (16, 19)]
    assert missing_ranges(10, []) == []


def test_a_missing_id_is_looked_for_until_the_margin_has_passed(history, sealing, received):
    received()  # a later event, with a higher id
    gone = history.events.get(seq=2)  # a rolled-back transaction's id, as it were
    erase(DossierEvent, [gone.pk])

    def missing(result):
        return any(lo <= gone.pk <= hi for lo, hi, _first in _pending(result))

    assert missing(seal(now=at(2026, 3, 5, 9, 0)))
    assert missing(seal(now=at(2026, 3, 5, 9, 10)))  # AUDIT_SEAL_GAP_MINUTES = 15
    assert not missing(seal(now=at(2026, 3, 5, 9, 20)))
