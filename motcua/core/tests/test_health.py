"""``/healthz``: the process is up, whatever the database and the cache are doing (these tests
have no database: a query would fail them)."""

from __future__ import annotations

from django.test import Client


def test_it_answers_from_the_process_alone():
    answer = Client().get("/healthz")
    assert (answer.status_code, answer.content) == (200, b"ok\n")
    assert "no-cache" in answer["Cache-Control"]


def test_the_probe_over_plain_http_is_not_sent_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/tra-cuu/").status_code == 301


def test_it_changes_nothing():
    assert Client().post("/healthz").status_code == 405
