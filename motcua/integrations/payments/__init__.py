"""Online payment of a dossier's fees through a VNPAY-style gateway (docs/decisions/payments.md).

``vnpay`` speaks the gateway's protocol (signed payment URL, signed result, IPN answers);
``actions.start_payment`` opens a ``PaymentTransaction`` and gives the URL to redirect to;
``actions.settle`` applies a signed result once, whether it comes from the IPN or from the browser's
return (docs/architecture.md rule 8: verified, de-duplicated by the gateway's reference), and
records the money through ``motcua.dossiers.actions.record_payment``. ``links.payment_link`` is the
signed link that lets the applicant pay without an account. ``fake_gateway`` (and ``manage.py
fake_payment_gateway``) plays the gateway on loopback for development and tests.
"""
