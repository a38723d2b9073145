"""The door to a dossier's postal orders (docs/architecture.md rule 5; docs/postal.md "Who").

The public postal service is offered whatever the administrative boundary: a receptionist
at any desk, a 1022 operator or a post office's officer registers it for any dossier of the
province, so they find a dossier by its code (as the operators' caller lookup does,
``dossiers/access.py``) to see and register its postal orders, and nothing else of it. A
citizen reaches their own dossiers only (``dossiers/citizens.py``); any other officer the
dossiers they see. Anything else is the same 404 as a dossier that does not exist.
"""

from __future__ import annotations

from django.http import Http404

from motcua.dossiers.access import dossier_for_user
from motcua.dossiers.citizens import dossier_for_citizen
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Scope
from motcua.org.models import Role

# Who registers the postal service for any dossier of the province.
POSTAL_REGISTRARS = {Role.RECEPTIONIST, Role.HOTLINE_OPERATOR, Role.POSTAL_OFFICER}


def dossier_for_postal(user: object, code: str) -> Dossier:
    """The dossier whose postal orders ``user`` may see and register; Http404 for missing
    and forbidden alike."""
    scope = Scope.of(user)
    if not scope.officer:
        return dossier_for_citizen(user, code)
    if any(m.role in POSTAL_REGISTRARS for m in scope.memberships):
        dossier = Dossier.objects.select_related("competent_agency__unit").filter(code=code).first()
        if dossier is None:
            raise Http404(code)
        return dossier
    return dossier_for_user(user, code, scope)
