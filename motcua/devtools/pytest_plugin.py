"""Installs motcua.devtools for the test run (config/settings/base.py reads ``MOTCUA_DEVTOOLS``).

pyproject.toml loads this module with ``-p`` so that it runs before pytest-django reads the
settings, which happens before any conftest.py is imported. The variable stays in the
environment, so ``manage.py fake_platform`` started by a test in a subprocess has the app too.
"""

import os

os.environ["MOTCUA_DEVTOOLS"] = "1"
