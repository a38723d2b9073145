"""Local fakes of the external platforms motcua talks to, for development and the tests
(docs/devtools.md).

``loopback`` is the HTTP test-server base every fake stands on; ``fakes`` holds one module per
platform; ``manage.py fake_platform NAME`` runs one by hand. The app is installed only with
DEBUG or ``MOTCUA_DEVTOOLS=1`` (the test run sets it) and is left out of the built package:
production never ships it, and product code never imports it.
"""
