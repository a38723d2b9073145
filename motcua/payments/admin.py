"""Gateway transactions in the admin, read-only: they change only through the gateway's
signed results. A paid transaction without a dossier payment is money to refund."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.core.admin import ReadOnlyAdmin
from motcua.payments.models import PaymentTransaction


@admin.register(PaymentTransaction)
class PaymentTransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "txn_ref",
        "dossier",
        "amount_vnd",
        "status",
        "recorded",
        "response_code",
        "gateway_transaction_no",
        "bank_code",
        "paid_at",
    ]
    list_filter = ["status", "response_code"]
    search_fields = ["txn_ref", "dossier__code", "gateway_transaction_no"]
    list_select_related = ["dossier"]
    date_hierarchy = "created_at"

    @admin.display(description=_("đã ghi vào hồ sơ"), boolean=True)
    def recorded(self, obj: PaymentTransaction) -> bool | None:
        return obj.payment_id is not None if obj.is_paid else None
