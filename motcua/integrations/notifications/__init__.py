"""A local stand-in for an SMS brandname gateway (``fake_sms.py``), for the tests and for
development."""
