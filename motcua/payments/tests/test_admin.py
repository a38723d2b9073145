"""Gateway transactions in the admin: listed and searchable, never edited by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.payments.tests.conftest import ipn, result

pytestmark = pytest.mark.django_db


def test_the_admin_lists_transactions_read_only(client, admin_anh, gateway, started):
    ipn(client, result(gateway, started))
    client.force_login(admin_anh)

    listing = client.get(
        reverse("admin:payments_paymenttransaction_changelist"), {"q": started.dossier.code}
    )
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [started]
    detail = client.get(reverse("admin:payments_paymenttransaction_change", args=[started.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.text
    assert client.get(reverse("admin:payments_paymenttransaction_add")).status_code == 403
    delete = reverse("admin:payments_paymenttransaction_delete", args=[started.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
