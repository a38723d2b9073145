"""Payment gateways' protocols, one module per gateway: ``vnpay`` (signed payment URL,
signed result, IPN answers). What a payment means for a dossier is ``motcua.payments``.
``fake_gateway`` (and ``manage.py fake_payment_gateway``) plays VNPAY on loopback for
development and tests.
"""
