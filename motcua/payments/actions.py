"""Paying a dossier's fees online: start a gateway transaction, then settle its signed result.

``settle`` is the one place where a gateway result changes anything, and it is idempotent.
The IPN (server-to-server) and the browser's return both call it with the parameters the
gateway signed, so a payment is recorded once whichever arrives first, and is not lost when
the IPN never comes: a validly signed return reconciles the same way. Money the gateway
confirms is always kept: a success for a transaction we had replaced (cancelled) still
counts, and a success the dossier can no longer take (already paid by other means) leaves
the transaction paid without a dossier payment, logged for a refund.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.actions import ActionError, record_payment
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.integrations.payments import vnpay
from motcua.payments.models import PaymentTransaction, TransactionStatus

logger = logging.getLogger(__name__)

# How long the citizen has at the gateway (vnp_ExpireDate); the gateway refuses after it.
PAYMENT_WINDOW = dt.timedelta(minutes=15)
ORDER_TYPE = "billpayment"
LOCALES = {"vi": "vn", "vn": "vn", "en": "en"}
REFERENCE_PREFIX = "VNPAY-"


class PaymentRefusedError(ValueError):
    """A payment cannot start; the message is for the citizen."""


@dataclass(frozen=True)
class Settlement:
    """What settling a gateway result led to: the IPN answer code and the transaction."""

    code: str
    transaction: PaymentTransaction | None = None

    @property
    def message(self) -> str:
        return vnpay.IPN_MESSAGES[self.code]


def start_payment(
    *, dossier: Dossier, client_ip: str, locale: str, return_url: str
) -> tuple[PaymentTransaction, str]:
    """Open a gateway transaction for what the dossier owes now (fees less what was paid)
    and return it with the signed URL to send the browser to.

    Only a dossier awaiting payment (status 6) with something due may pay. While the last
    transaction is open (not expired, same amount) it is given again, so a double click or a
    reload never opens a second one; an expired one, or one for another amount, is replaced
    (cancelled) by a new one. Raises ``PaymentRefusedError`` with a message for the citizen.
    """
    if not settings.PAYMENTS_ENABLED:
        raise PaymentRefusedError(_("Chưa hỗ trợ thanh toán trực tuyến, vui lòng nộp tại quầy."))
    gateway_locale = LOCALES.get(locale)
    if gateway_locale is None:
        raise PaymentRefusedError(_("Ngôn ngữ không được hỗ trợ."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        due = _amount_due(dossier)
        at = timezone.now()
        open_txns = PaymentTransaction.objects.filter(
            dossier=dossier, status=TransactionStatus.CREATED
        )
        open_ = open_txns.order_by("-created_at").first()
        if open_ is not None and open_.expires_at > at and open_.amount_vnd == due:
            return open_, open_.redirect_url
        open_txns.update(status=TransactionStatus.CANCELLED)
        txn = PaymentTransaction(
            dossier=dossier,
            txn_ref=_new_ref(at),
            amount_vnd=due,
            created_at=at,
            expires_at=at + PAYMENT_WINDOW,
        )
        params = vnpay.payment_params(
            version=settings.VNPAY_VERSION,
            tmn_code=settings.VNPAY_TMN_CODE,
            amount_vnd=due,
            txn_ref=txn.txn_ref,
            order_info=f"Nop phi le phi ho so {dossier.code}",  # no diacritics, as required
            order_type=ORDER_TYPE,
            locale=gateway_locale,
            return_url=return_url,
            ip_address=client_ip or "127.0.0.1",
            created_at=at,
            expires_at=txn.expires_at,
        )
        query = vnpay.signed_query(settings.VNPAY_HASH_SECRET, params)
        txn.redirect_url = f"{settings.VNPAY_PAYMENT_URL}?{query}"
        txn.save()
    return txn, txn.redirect_url


def _amount_due(dossier: Dossier) -> int:
    if dossier.status != DossierStatus.AWAITING_PAYMENT:
        raise PaymentRefusedError(
            _("Hồ sơ %(code)s không ở trạng thái chờ nộp phí, lệ phí.") % {"code": dossier.code}
        )
    due = dossier.fee_total_vnd - dossier.paid_vnd
    if due <= 0:
        raise PaymentRefusedError(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."))
    if not vnpay.MIN_AMOUNT_VND <= due <= vnpay.MAX_AMOUNT_VND:
        raise PaymentRefusedError(
            _("Số tiền %(amount)s đồng nằm ngoài mức cổng thanh toán nhận; vui lòng nộp tại quầy.")
            % {"amount": due}
        )
    return due


def _new_ref(at: dt.datetime) -> str:
    """Unique, and not guessable from the previous one: the moment and 8 random hex digits."""
    return f"{vnpay.format_time(at)[2:]}{secrets.token_hex(4).upper()}"


def settle(params: Mapping[str, str], *, via: Literal["ipn", "return"]) -> Settlement:
    """Apply a result the gateway sent (IPN or browser return) to its transaction, once.

    In order: a bad signature → 97 and nothing; an unknown ``vnp_TxnRef`` → 01; an amount
    other than the transaction's → 04 and nothing (a tampered result); a transaction already
    paid, or a failure for one already settled → 02, nothing changes (a replay, or the IPN
    after the return). Otherwise, in one database transaction: a success marks the
    transaction paid (a conditional update) and records the dossier's payment with the
    reference ``VNPAY-{vnp_TransactionNo}``, which resumes the dossier's clock when it is
    fully paid; a failure marks it failed (cancelled for code 24); → 00.
    """
    if not vnpay.verify(settings.VNPAY_HASH_SECRET, params):
        return Settlement(vnpay.INVALID_SIGNATURE)
    ref = params.get("vnp_TxnRef", "")
    found = PaymentTransaction.objects.filter(txn_ref=ref).first() if ref else None
    if found is None:
        return Settlement(vnpay.ORDER_NOT_FOUND)
    if vnpay.from_gateway_amount(params.get("vnp_Amount", "")) != found.amount_vnd:
        logger.warning("VNPAY %s for %s: amount %r differs", via, ref, params.get("vnp_Amount"))
        return Settlement(vnpay.INVALID_AMOUNT, found)
    success = vnpay.is_success(params)
    if success and not params.get("vnp_TransactionNo", "").strip():
        return Settlement(vnpay.UNKNOWN_ERROR, found)
    with transaction.atomic():
        # Dossier first, then transaction: the order start_payment takes them in.
        dossier = Dossier.objects.select_for_update().get(pk=found.dossier_id)
        txn = PaymentTransaction.objects.select_for_update().get(pk=found.pk)
        at = timezone.now()
        seen = "ipn_seen_at" if via == "ipn" else "return_seen_at"
        if getattr(txn, seen) is None:
            setattr(txn, seen, at)
            txn.save(update_fields=[seen])
        if txn.is_paid or (txn.status != TransactionStatus.CREATED and not success):
            return Settlement(vnpay.ALREADY_CONFIRMED, txn)
        if success:
            return _mark_paid(txn, dossier, params, at=at)
        return _mark_failed(txn, params)


def _result_fields(params: Mapping[str, str]) -> dict[str, object]:
    return {
        "gateway_transaction_no": params.get("vnp_TransactionNo", "")[:30],
        "bank_code": params.get("vnp_BankCode", "")[:20],
        "response_code": params.get("vnp_ResponseCode", "")[:4],
        "raw": dict(params),
    }


def _mark_paid(
    txn: PaymentTransaction, dossier: Dossier, params: Mapping[str, str], *, at: dt.datetime
) -> Settlement:
    paid_at = vnpay.parse_time(params.get("vnp_PayDate", "")) or at
    claimed = PaymentTransaction.objects.filter(pk=txn.pk, status=txn.status).update(
        status=TransactionStatus.PAID, paid_at=paid_at, **_result_fields(params)
    )
    if not claimed:
        return Settlement(vnpay.ALREADY_CONFIRMED, txn)
    txn.refresh_from_db()
    reference = f"{REFERENCE_PREFIX}{txn.gateway_transaction_no}"
    try:
        dossier = record_payment(
            dossier=dossier,
            officer=None,
            amount_vnd=txn.amount_vnd,
            reference=reference,
            paid_at=paid_at,
            note=_("Thanh toán trực tuyến qua VNPAY, giao dịch %(ref)s") % {"ref": txn.txn_ref},
        )
    except ActionError as refusal:
        logger.error(
            "VNPAY %s paid %s đồng for %s, which no longer owes it (%s): refund it",
            txn.txn_ref,
            txn.amount_vnd,
            dossier.code,
            refusal.code,
        )
        return Settlement(vnpay.CONFIRMED, txn)
    txn.payment = dossier.payments.get(reference=reference)
    txn.save(update_fields=["payment"])
    return Settlement(vnpay.CONFIRMED, txn)


def _mark_failed(txn: PaymentTransaction, params: Mapping[str, str]) -> Settlement:
    status = (
        TransactionStatus.CANCELLED
        if params.get("vnp_ResponseCode") == vnpay.CANCELLED_BY_CUSTOMER
        else TransactionStatus.FAILED
    )
    PaymentTransaction.objects.filter(pk=txn.pk, status=TransactionStatus.CREATED).update(
        status=status, **_result_fields(params)
    )
    txn.refresh_from_db()
    return Settlement(vnpay.CONFIRMED, txn)
