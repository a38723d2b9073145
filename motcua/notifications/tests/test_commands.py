"""manage.py drain_outbox sends what is due."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.dossiers.notices import notify_applicant


@pytest.mark.django_db
def test_drain_outbox_sends_what_is_due(received, sms_only):
    notify_applicant(dossier=received(), kind="receipt")
    out = StringIO()
    call_command("drain_outbox", stdout=out)
    assert out.getvalue().startswith("sent=1 ")
    assert len(sms_only.messages) == 1
