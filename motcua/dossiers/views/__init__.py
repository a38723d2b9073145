"""The dossiers' screens: the clerks' back office, one module per screen, server-rendered,
enhanced with htmx; and the public lookup (``public_lookup.py``)."""

from __future__ import annotations

from typing import Any

from motcua.dossiers.access import Scope


def nav(scope: Scope, section: str) -> dict[str, Any]:
    """What the back office's navigation needs: where we are, whether to offer reception."""
    return {"section": section, "can_receive": bool(scope.desks)}
