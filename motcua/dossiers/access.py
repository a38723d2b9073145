"""One door per protected object (docs/architecture.md rule 5): who may see a dossier.

Staff see the dossiers that passed through a step of their agency and those received at
their desk; a leader sees every dossier of the agency (competent, receiving, or with a step
there); inspectors and administrators read across the province. Anything else is the same
404 as a dossier that does not exist. Acting needs more than seeing: which role may take
which step is ``permissions.py``'s rule, checked here for the screens and again by every
action on the locked row. See docs/security.md "Nobody sees or changes what is not theirs".

1022 operators answer "where is my application?" for the whole province: ``caller_dossiers``
lets them find any dossier by its code or the applicant's phone, to tell its procedure,
status and dates; the dossier itself (its page, files, actions) stays behind the doors above.

The national portal's sync screen (``may_operate_national_sync``) is the administrators':
it names dossiers of every agency and sends their data again. Other officers are told the
page is not theirs (403), as on the other pages a role opens.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from motcua.dossiers.actions.transitions import ensure
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Scope, forbidden
from motcua.dossiers.status import TRANSITIONS
from motcua.org.models import Role

__all__ = [
    "Scope",
    "caller_dossiers",
    "dossier_for_action",
    "dossier_for_user",
    "may_operate_national_sync",
    "visible_dossiers",
]

# Who looks up any dossier for someone calling about theirs.
CALLER_LOOKUP = {Role.HOTLINE_OPERATOR}


def visible_dossiers(user: object) -> QuerySet[Dossier]:
    return Scope.of(user).visible()


def caller_dossiers(user: object) -> QuerySet[Dossier]:
    """The dossiers the user may look up for a caller: every one for a 1022 operator (code,
    procedure, status and dates are what the lookup shows); for anyone else, those they may
    see."""
    scope = Scope.of(user)
    if any(m.role in CALLER_LOOKUP for m in scope.memberships):
        return Dossier.objects.all()
    return scope.visible()


def dossier_for_user(
    user: object, code: str, scope: Scope | None = None, *, for_update: bool = False
) -> Dossier:
    """The dossier if the user may see it; Http404 for missing and forbidden alike.
    ``for_update`` locks the row (inside the caller's transaction)."""
    scope = scope or Scope.of(user)
    dossiers = scope.visible().select_related(
        "procedure", "desk", "competent_agency", "current_agency", "current_step"
    )
    if for_update:
        dossiers = dossiers.select_for_update(of=("self",))
    dossier = dossiers.filter(code=code).first()
    if dossier is None:
        raise Http404(code)
    return dossier


def dossier_for_action(user: object, code: str, action: str) -> Dossier:
    """The dossier, locked, if the user may take ``action`` on it now: 404 if not visible;
    409 if its status does not allow the action (whoever asks); 403 if the action is someone
    else's. Call it inside the transaction that runs the action: the permission is decided
    on the same locked state the action sees, so a concurrent change cannot slip between the
    check and the action."""
    scope = Scope.of(user)
    dossier = dossier_for_user(user, code, scope, for_update=True)
    if action in TRANSITIONS:
        ensure(dossier, action)
    if not scope.may(dossier, action):
        raise forbidden(code)
    return dossier


def may_operate_national_sync(user: object) -> bool:
    """Whether the user watches the sync with the national portal and sends its failed
    changes again (``permissions.SYNC_OPERATORS``); the resend action checks it again."""
    return Scope.of(user).operates_national_sync
