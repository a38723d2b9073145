"""motcua settings: every value from the environment through typed helpers.

The embedded default (no environment at all) is a development site on SQLite with DEBUG on.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL;
docs/deployment.md lists every variable. ``DJANGO_SETTINGS_MODULE`` stays ``config.settings``:
this package gathers its parts. Each part imports what it needs of another (``from .base
import DEBUG``), so the order below is only the alphabet's.
"""

from .audit import *  # noqa: F403
from .base import *  # noqa: F403
from .carrier import *  # noqa: F403
from .csp import *  # noqa: F403
from .hotline import *  # noqa: F403
from .integrations import *  # noqa: F403
from .national import *  # noqa: F403
from .signing import *  # noqa: F403
from .tasks import *  # noqa: F403
from .tasks import _TASK_BACKENDS  # noqa: F401 (upper-case, so Django lists it: kept as it was)
