"""How a dossier action refuses: ``ActionError`` carries a machine code, a Vietnamese message
and the HTTP answer the views and the API give (docs/rules/api.md "Errors")."""

from __future__ import annotations

from typing import Any


class ActionError(Exception):
    """An action refused; ``status`` is the HTTP answer (409 state conflict, 422 bad input)."""

    def __init__(
        self, code: str, message: str, *, status: int = 409, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}


def invalid(code: str, message: str, **details: Any) -> ActionError:
    return ActionError(code, message, status=422, details=details)
