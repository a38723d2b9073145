from __future__ import annotations

from django.http import HttpRequest

from motcua.org.models import Membership


def officer(request: HttpRequest) -> dict[str, object]:
    """``is_officer``: the signed-in user has a role at an agency (else a citizen). The query
    runs only when a template asks."""
    # An error page rendered before the authentication middleware ran has no user.
    user = getattr(request, "user", None)

    def has_role() -> bool:
        if user is None or not user.is_authenticated:
            return False
        return Membership.objects.active().filter(user=user).exists()

    return {"is_officer": has_role}
