"""Who may take which action on a dossier, step by step (docs/decisions/dossiers.md "Who takes
which step").

Each step of a dossier's workflow names a role and an agency (copied from the process
template at reception). Completing a step (forwarding it, or recording the result at the
step that decides) belongs to a member with that role at that agency, so a specialist cannot
approve at the leader's step and a receptionist cannot decide at reception. Around the steps:

- the desk (a receptionist or post-office officer at the dossier's desk, or at the receiving
  agency) receives or refuses an online submission, records a withdrawal, and hands the
  result back (at the workflow's return step when it has one);
- whoever holds a processing step (specialist, leader), or a leader of the agency holding the
  dossier, asks for a supplement, stops processing, apologises; fees are asked by the holder
  of the current step;
- the supplement and the fees can be taken in at the desk or by the agency holding it;
- a leader of the competent agency revokes a returned result;
- a result awaiting a leader's personal signature (docs/signatures.md "A leader's personal
  signature") is signed by a member with the role its deciding step names, at that step's
  agency: the leader who approved it, or another leader of that agency in their place.

The sync with the National Public Service Portal is watched, and its failed sends sent again,
by the system's administrators (``SYNC_OPERATORS``): it is the province's data as a whole,
not one agency's work.

A citizen (an account with no role at any agency) may only complete a supplement and rate:
which dossiers are theirs is the portal's door. A system callback (no user: the payment
gateway after its signature was checked) may only record a payment. Officers never rate.

The actions call ``authorise`` on the locked row, so the rule holds whoever calls them; the
doors (``access.py``) and the screens ask ``Scope.may`` to show only what would be allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError
from motcua.dossiers.models import Dossier, DossierResult, DossierStep, SignatureStatus
from motcua.org.models import Desk, Membership, Role

READ_ACROSS = {Role.INSPECTOR, Role.ADMINISTRATOR}
NO_DOSSIER_WORK = {Role.INSPECTOR, Role.ADMINISTRATOR, Role.HOTLINE_OPERATOR}
RECEPTION_ROLES = {Role.RECEPTIONIST, Role.POSTAL_OFFICER}
PROCESSING_ROLES = {Role.SPECIALIST, Role.LEADER}
SYNC_OPERATORS = {Role.ADMINISTRATOR}

CITIZEN_ACTIONS = frozenset({"complete_supplement", "rate"})
# What the system does with no person behind it: the payment gateway's signed IPN records a
# payment; the postal carrier's tracking (a signed webhook, or our poll of its feed) returns
# a result it delivered (``return_result`` by post only: ``results.return_result``).
SYSTEM_ACTIONS = frozenset({"record_payment", "return_result_by_post"})


@dataclass
class Scope:
    """What a user's memberships allow, computed once per request (or per action)."""

    memberships: list[Membership]
    # Any role at any agency, even switched off, or a staff account: an officer's account
    # never acts as a citizen.
    officer: bool = False
    user_id: int | None = None

    @classmethod
    def of(cls, user: object) -> Scope:
        """The user's scope, read once and remembered on the user object for the rest of the
        request: the door and the action it calls ask the same question."""
        user_id = getattr(user, "pk", None)
        if not getattr(user, "is_authenticated", False) or not isinstance(user_id, int):
            return cls([])
        known = getattr(user, "_motcua_scope", None)
        if isinstance(known, Scope):
            return known
        every = list(Membership.objects.filter(user_id=user_id))
        officer = bool(every) or bool(getattr(user, "is_staff", False))
        scope = cls([m for m in every if m.active], officer=officer, user_id=user_id)
        user._motcua_scope = scope  # type: ignore[attr-defined]
        return scope

    @cached_property
    def reads_across(self) -> bool:
        return any(m.role in READ_ACROSS for m in self.memberships)

    @cached_property
    def operates_national_sync(self) -> bool:
        return any(m.role in SYNC_OPERATORS for m in self.memberships)

    @cached_property
    def working_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role not in NO_DOSSIER_WORK}

    @cached_property
    def led_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role == Role.LEADER}

    @cached_property
    def roles(self) -> set[tuple[int, str]]:
        return {(m.agency_id, m.role) for m in self.memberships}

    @cached_property
    def desks(self) -> set[int]:
        """The desks where the user receives dossiers and returns results."""
        return {m.desk_id for m in self.memberships if m.desk_id and m.role in RECEPTION_ROLES}

    @cached_property
    def reception_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role in RECEPTION_ROLES}

    def visible(self) -> QuerySet[Dossier]:
        """The dossiers the user may see (access.py is the door that uses it)."""
        if self.reads_across:
            return Dossier.objects.all()
        if not self.memberships:
            return Dossier.objects.none()
        condition = (
            Q(steps__agency_id__in=self.working_agencies)
            | Q(desk_id__in=self.desks)
            | Q(competent_agency_id__in=self.led_agencies)
            | Q(receiving_agency_id__in=self.led_agencies)
        )
        ids = Dossier.objects.filter(condition).values("pk")
        return Dossier.objects.filter(pk__in=ids)

    def receives_at(self, desk: Desk) -> bool:
        return desk.pk in self.desks or desk.agency_id in self.reception_agencies

    def at_desk(self, dossier: Dossier) -> bool:
        """The user receives and returns at the dossier's desk."""
        return (
            dossier.desk_id in self.desks or dossier.receiving_agency_id in self.reception_agencies
        )

    def holds(self, dossier: Dossier) -> bool:
        """The dossier is at one of the user's agencies now."""
        return dossier.current_agency_id in self.working_agencies

    def holds_step(self, dossier: Dossier) -> bool:
        """The user has the role the current step names, at the step's agency."""
        step = dossier.current_step
        if step is None or step.finished_at is not None:
            return False
        return (step.agency_id, step.role) in self.roles

    def may(self, dossier: Dossier, action: str, steps: Sequence[DossierStep] = ()) -> bool:
        """Whether the user may take ``action`` on ``dossier`` as it stands (the status is
        the transitions table's business). ``steps``: the dossier's steps in order, if the
        caller has them (else read when needed)."""
        step = dossier.current_step
        leads_holder = dossier.current_agency_id in self.led_agencies
        if action in {"receive", "refuse", "withdraw"}:
            return self.at_desk(dossier)
        if action in {"forward", "record_step"}:
            return self.holds_step(dossier)
        if action == "mark_result_ready":
            return self.holds_step(dossier) and deciding(dossier, steps or steps_of(dossier))
        if action in {"request_supplement", "stop", "apologise"}:
            processing = step is not None and step.role in PROCESSING_ROLES
            return (processing and self.holds_step(dossier)) or leads_holder
        if action == "request_payment":
            return self.holds_step(dossier) or leads_holder
        if action == "return_result":
            if is_return_step(step):
                return self.holds_step(dossier)
            return self.at_desk(dossier)
        if action in {"complete_supplement", "record_payment"}:
            return self.at_desk(dossier) or self.holds(dossier)
        if action == "revoke_result":
            return dossier.competent_agency_id in self.led_agencies
        if action == "sign_result_personally":
            return any(self.signs_personally(step) for step in awaiting_leader(dossier))
        return False  # "rate", and anything unknown

    def signs_personally(self, step: DossierStep | None) -> bool:
        """The user may sign personally a result that ``step`` decided: they have the role
        the step names at its agency."""
        return step is not None and (step.agency_id, step.role) in self.roles


def awaiting_leader(dossier: Dossier) -> list[DossierStep | None]:
    """The steps whose leaders' personal signatures the dossier's results await."""
    results = DossierResult.objects.filter(
        dossier_id=dossier.pk, signature=SignatureStatus.AWAITING_LEADER
    ).select_related("personal_step")
    return [result.personal_step for result in results]


def steps_of(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.order_by("position"))


def return_step(steps: Sequence[DossierStep]) -> DossierStep | None:
    """The workflow's last step when it hands the result back at the desk: a receptionist's
    step after at least one other."""
    if len(steps) > 1 and steps[-1].role == Role.RECEPTIONIST:
        return steps[-1]
    return None


def is_return_step(step: DossierStep | None) -> bool:
    """Whether the dossier's current step is its workflow's return step. Only a ready result
    starts that step, so an unfinished receptionist's step after the first one is it."""
    return (
        step is not None
        and step.finished_at is None
        and step.role == Role.RECEPTIONIST
        and step.position > 1
    )


def next_step(steps: Sequence[DossierStep]) -> DossierStep | None:
    """The first step not yet started, unless it is the return step (which starts when the
    result is ready, never by forwarding)."""
    back = return_step(steps)
    following = next((s for s in steps if s.started_at is None), None)
    if following is None or (back is not None and following.pk == back.pk):
        return None
    return following


def deciding(dossier: Dossier, steps: Sequence[DossierStep]) -> bool:
    """The current step decides: no step is left after it but the return step."""
    return dossier.current_step is not None and next_step(steps) is None


def authorise(
    dossier: Dossier, actor: object | None, action: str, steps: Sequence[DossierStep] = ()
) -> None:
    """Refuse (403) an actor whose role does not allow ``action`` on the dossier now. Called
    by the actions on the locked row (``steps``: the dossier's steps, if the action read
    them already)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        allowed = action in SYSTEM_ACTIONS
    else:
        scope = Scope.of(actor)
        allowed = scope.may(dossier, action, steps) if scope.officer else action in CITIZEN_ACTIONS
    if not allowed:
        raise forbidden(dossier.code)


def authorise_reception(desk: Desk, actor: object | None) -> None:
    """Only an officer who receives at ``desk`` (or at its agency) receives or refuses there."""
    if not Scope.of(actor).receives_at(desk):
        raise ActionError(
            "forbidden",
            _("Bạn không tiếp nhận hồ sơ tại %(desk)s.") % {"desk": desk.name},
            status=403,
        )


def authorise_submission(actor: object | None) -> None:
    """Online submissions are filed by citizens: an officer's account files nothing."""
    if Scope.of(actor).officer:
        raise ActionError(
            "officer_cannot_submit",
            _("Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng tài khoản công dân."),
            status=403,
        )


def authorise_national_sync(actor: object | None) -> None:
    """Only an administrator (an active membership in that role) drives the sync with the
    national portal."""
    if not Scope.of(actor).operates_national_sync:
        raise ActionError(
            "forbidden",
            _("Chỉ quản trị hệ thống mới gửi lại dữ liệu lên Cổng DVC quốc gia."),
            status=403,
        )


def forbidden(code: str) -> ActionError:
    return ActionError(
        "forbidden",
        _("Bạn không có quyền thực hiện thao tác này với hồ sơ %(code)s.") % {"code": code},
        status=403,
    )
