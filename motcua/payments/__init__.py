"""Paying a dossier's fees online (docs/decisions/payments.md).

``actions.start_payment`` opens a ``PaymentTransaction`` and gives the gateway URL to redirect
to; ``actions.settle`` applies a signed result once, whether it comes from the IPN or from the
browser's return (docs/architecture.md rule 8: verified, de-duplicated by the gateway's
reference), and records the money through ``motcua.dossiers.actions.record_payment``.
``links.payment_link`` is the signed link that lets the applicant pay without an account.
The gateway's protocol (signing, the payment URL, reading its results) is
``motcua.integrations.payments.vnpay``.
"""
