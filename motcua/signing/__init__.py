"""The keys agencies sign with (docs/signatures.md): where each key is (a PKCS#12 file or a
PKCS#11 token), the name of the environment variable holding its passphrase or PIN (never the
secret itself), the name and the stamp text the signature shows. Signing itself is the
dossiers' signing outbox (``dossiers/signatures.py``) over ``integrations/signing``."""
