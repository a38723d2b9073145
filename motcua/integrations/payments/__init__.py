"""Payment gateways' protocols, one module per gateway: ``vnpay`` (signed payment URL,
signed result, IPN answers). What a payment means for a dossier is ``motcua.payments``.
For development and tests a fake gateway plays VNPAY on loopback (``manage.py fake_platform
payment``, docs/devtools.md).
"""
