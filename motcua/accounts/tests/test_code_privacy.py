"""A verification code reaches the citizen's mailbox and nowhere else: not a database row
(the outbox keeps a placeholder and a sealed copy it erases once sent), not the admin, not a
log record, not an SQL statement (docs/decisions/outbox.md "Secrets")."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts import verification
from motcua.accounts.tests.conftest import PASSWORD
from motcua.notifications.models import Notification
from motcua.notifications.sealed import PLACEHOLDER

pytestmark = pytest.mark.django_db
CODE = "583917"


def rows_containing(text: str) -> list[str]:
    """Every row of every table with ``text`` in a text or JSON column ("app.Model#pk")."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        casts: dict[str, Any] = {}
        match = Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                match |= Q(**{f"{field.attname}__contains": text})
            elif isinstance(field, models.JSONField):
                casts[f"_{field.attname}_text"] = Cast(field.attname, TextField())
                match |= Q(**{f"_{field.attname}_text__contains": text})
        if not match:
            continue
        hits = model._base_manager.annotate(**casts).filter(match).values_list("pk", flat=True)
        found += [f"{model._meta.label}#{pk}" for pk in hits]
    return found


@pytest.fixture
def fixed_code(monkeypatch: Any) -> str:
    monkeypatch.setattr(verification.secrets, "randbelow", lambda _n: int(CODE))
    return CODE


def test_after_a_sign_up_only_the_sent_email_holds_the_code(
    client, fixed_code, settings, caplog, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert rows_containing(CODE) == []  # nothing in the demo happens to hold these digits
    caplog.set_level(logging.DEBUG)
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Lê Văn Cường",
                "identifier": "cuong@example.vn",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302

    [sent] = mail.outbox
    assert f"Mã xác minh của Ông/Bà là: {CODE}" in sent.body  # what the mailbox gets
    [row] = Notification.objects.filter(kind="verification_code")
    assert row.status == "sent" and f"là: {PLACEHOLDER}" in row.body
    assert rows_containing(CODE) == []
    assert [r.getMessage() for r in caplog.records if CODE in r.getMessage()] == []
    assert [q["sql"] for q in queries.captured_queries if CODE in q["sql"]] == []


def test_the_admin_shows_the_placeholder(client, admin_anh, fixed_code, settings):
    settings.NOTIFY_EMAIL_ENABLED = True
    client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Lê Văn Cường",
            "identifier": "cuong@example.vn",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    [row] = Notification.objects.filter(kind="verification_code")
    client.force_login(admin_anh)
    page = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert PLACEHOLDER in html and CODE not in html
    assert row.sealed_secret and row.sealed_secret not in html
