"""The statuses table: every internal status maps to one national code; transitions are sane."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Procedure
from motcua.dossiers.status import NATIONAL_CODE, TRANSITIONS, DossierStatus
from motcua.dossiers.tests.fixtures import at


def test_every_status_has_exactly_one_national_code():
    assert set(NATIONAL_CODE) == set(DossierStatus.values)
    assert set(NATIONAL_CODE.values()) == set(range(1, 11))


def test_transitions_name_real_statuses():
    for action, (sources, target) in TRANSITIONS.items():
        assert sources <= set(DossierStatus.values), action
        assert target is None or target in DossierStatus.values, action


def test_nothing_leaves_a_final_status():
    finals = {"refused", "withdrawn", "stopped", "revoked"}
    for sources, _target in TRANSITIONS.values():
        assert not (sources & finals)


@pytest.mark.django_db
def test_a_fast_track_dossier_is_due_one_working_day_after_reception(received):
    Procedure.objects.filter(code="1.000426").update(fast_track=True)
    # Friday 06/03/2026 14:00 + 8 working hours: 3 h Friday, 5 h Monday → Monday 09/03 12:00
    # is lunch, so the 5th hour ends at 13:30 + 0.5 h = 14:00? No: Monday 07:00–11:30 is
    # 4.5 h, then 0.5 h from 13:30 → 14:00.
    dossier = received(when=at(2026, 3, 6, 14, 0))
    assert dossier.fast_track
    assert dossier.due_at == at(2026, 3, 9, 14, 0)
