"""Local stand-ins for what signing needs (docs/devtools.md "Signing", docs/signatures.md):
a test CA (``pki.py``: a root, an agency's certificate, a timestamp authority's), a SoftHSM
token holding the agency's key (``softhsm.py``), and an RFC 3161 timestamp authority on
loopback (``fakes/tsa.py``). For development and tests only, like every fake."""
