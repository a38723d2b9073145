"""The public statistics page: province-wide figures from the counters, and the latest
audit seal's digest, for anyone without signing in."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.core.seals import new_key_pair, seal
from motcua.dossiers.tests.fixtures import at, clock, ready

pytestmark = pytest.mark.django_db


def test_figures_from_the_counters_without_signing_in(received, django_assert_max_num_queries):
    early, late = received(), received()
    received()
    with clock(at(2026, 3, 4, 9, 0)):
        ready(early)
    with clock(at(2026, 3, 12, 9, 0)):
        ready(late)
    with clock(at(2026, 3, 20, 10, 0)), django_assert_max_num_queries(6):
        page = Client().get("/thong-ke/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tháng 03/2026" in html and "Năm 2026" in html
    assert "50,0%" in html or "50.0%" in html
    assert "Chưa có niêm phong nào." in html


def test_the_latest_seal_is_published(settings, tmp_path):
    settings.AUDIT_SEAL_DIR = tmp_path
    settings.AUDIT_SEAL_KEY = new_key_pair()[0].decode()
    seal(now=at(2026, 3, 2, 1, 0))
    latest = seal(now=at(2026, 3, 2, 2, 30))
    html = Client().get("/thong-ke/").content.decode()
    assert "Niêm phong nhật ký" in html
    assert latest.digest in html
    assert "02/03/2026 02:30" in html  # Asia/Ho_Chi_Minh
