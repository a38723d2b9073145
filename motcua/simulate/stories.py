"""Stories: what happens to one simulated dossier or hotline ticket, as plain data
(docs/simulate.md "Stories").

A story is complete: the through-actions runner replays its changes through the real
actions, and the bulk writer writes the rows those actions would have written straight from
it, without calling them. So besides the changes (who did what, when), a story carries the
state they leave the record in: the due moments as the clock moves them, each step's times
and on-time result, the outcome, the status at the plan's horizon. The plan computes them
with the same functions the actions use (``workcalendar``, ``dossiers.clock.outcome_of``),
and the tests check that the real actions arrive at the same values.

Moments are timezone-aware (Asia/Ho_Chi_Minh). Nothing here refers to a database row of a
dossier or ticket: a story has a ``key`` unique within its plan; procedure, template, desk
and agency ids are those of the world it was planned in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# Who makes a change.
STAFF = "staff"  # a staff member: ``Actor.role`` at ``Actor.agency_id`` (``desk_id`` at a desk)
CITIZEN = "citizen"  # the applicant, signed in with their portal account
SYSTEM = "system"  # no user: the payment gateway's callback (a payment recorded online)


@dataclass(frozen=True)
class Actor:
    """Who makes a change. For staff: the role (``org.Role``) and the agency, and the desk
    for work done at a desk (reception, return, supplements and payments taken in there).
    The role is what ``dossiers/permissions.py`` asks of the step or the desk, so any
    active member with that role there may act."""

    kind: str
    role: str = ""
    agency_id: int | None = None
    desk_id: int | None = None


@dataclass(frozen=True)
class Applicant:
    """The applicant as the desk records them (``dossiers.Dossier.applicant_*``)."""

    kind: str  # dossiers.ApplicantKind: "citizen" or "business"
    name: str  # the person's or the firm's name
    id_number: str  # 12-digit personal ID number (core/id_numbers.py); a firm's representative's
    phone: str  # mobile, national form (core/phones.py)
    email: str
    address: str
    born: dt.date
    # The applicant has a citizen account on the portal (username derived from the phone
    # by the runner): online submissions and ratings are made with it.
    account: bool


@dataclass(frozen=True)
class Change:
    """One change of a dossier, named like the event the action appends (``kind``):

    - ``submit``: an online submission (status 1), by the applicant (``CITIZEN``);
    - ``receive``: received at the desk (direct or postal), or an online submission
      accepted; the clock starts; ``due_at`` is the statutory due moment;
    - ``refuse``: refused at reception (Form 03), ``reason``;
    - ``forward``: the current step (``step``) finished, the next (``to_step``) started;
    - ``request_supplement``: Form 02, ``reason`` and ``items``; the clock stops;
    - ``complete_supplement``: the supplement taken in; the clock resumes, ``due_at`` is
      the dossier's new due moment and ``paused_seconds`` the working time it stood still;
    - ``request_payment``: fees or taxes asked, ``amount_vnd``; the clock stops;
    - ``record_payment``: ``amount_vnd`` paid under ``reference``; the clock resumes
      (``due_at``, ``paused_seconds`` as for a supplement);
    - ``apologise``: Form 04, ``reason``, the new due moment ``due_at``;
    - ``mark_result_ready``: the deciding step (``step``) finished with the result;
      ``outcome`` early / on_time / late; the return step (``to_step``), if any, starts;
    - ``return_result``: the result handed back (``step``: the return step, if any);
    - ``withdraw``: the applicant withdraws, ``reason`` (recorded at the desk);
    - ``rate``: the applicant's rating ``level`` (``dossiers.RatingLevel``).
    """

    kind: str
    at: dt.datetime
    actor: Actor
    step: int | None = None  # position of the step the change closes or concerns
    to_step: int | None = None  # position of the step it starts
    reason: str = ""
    items: tuple[str, ...] = ()
    amount_vnd: int = 0
    reference: str = ""
    due_at: dt.datetime | None = None
    paused_seconds: int = 0
    outcome: str = ""
    level: str = ""


@dataclass
class StepStory:
    """A step of the dossier's workflow as it ends up (``dossiers.DossierStep``): copied
    from the template at reception; the first and the return step work at the receiving
    agency, the others at the template's agency or the competent agency. ``due_at`` is
    moved by every pause that happened while the step was current."""

    position: int
    name: str
    role: str
    agency_id: int
    allotted_hours: Decimal | None
    started_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    outcome: str = ""  # dossiers.Outcome, when finished
    handled_by: Actor | None = None


@dataclass
class DossierStory:
    """One dossier from its arrival to the plan's horizon.

    ``changes`` are in time order and stop at the horizon, so a story can end anywhere:
    still in progress, paused, ready, returned, refused, withdrawn. The fields after
    ``changes`` are the dossier's state after the last change.
    """

    key: str  # unique within the plan: "<arrival day>/<number that day>"
    procedure_id: int
    procedure_code: str
    sector: str
    template_id: int
    desk_id: int
    receiving_agency_id: int
    competent_agency_id: int
    channel: str  # catalog.Channel
    applicant: Applicant
    result_delivery: str  # dossiers.ResultDelivery
    fee_total_vnd: int  # the method's fees at reception, plus any amount asked later
    result_names: tuple[str, ...]
    arrives_at: dt.datetime  # submitted online, or came to the desk
    changes: list[Change] = field(default_factory=list)
    steps: list[StepStory] = field(default_factory=list)
    # State after the last change
    status: str = ""  # dossiers.DossierStatus
    received_at: dt.datetime | None = None
    original_due_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    current_step: int | None = None  # position
    paused_at: dt.datetime | None = None
    resume_status: str = ""
    paused_seconds: int = 0
    paid_vnd: int = 0
    apologised: bool = False
    finished_at: dt.datetime | None = None
    outcome: str = ""
    rating: str = ""

    def step(self, position: int | None) -> StepStory | None:
        return next((s for s in self.steps if s.position == position), None)


@dataclass(frozen=True)
class TicketChange:
    """One change of a hotline ticket, named like its event:

    - ``open``: the ticket is opened (a call logged by an operator, or a message received
      on a channel: actor ``SYSTEM``); ``due_at`` by its kind's response time;
    - ``claim``: an operator takes it from the 1022 queue;
    - ``route``: sent to ``agency_id``'s queue;
    - ``answer``: answered (by the operator, or by a specialist of the agency it was routed
      to); ``outcome`` on_time / late against the due moment; ``in_person`` for a call;
    - ``rate``: the citizen's rating ``rating`` (1–5);
    - ``ask_details``: the citizen asked to supplement or clarify (``body``);
    - ``decline``: a feedback or petition declined for ``reason`` (``hotline.DeclineReason``);
    - ``publish``: the answer published at /hoi-dap/ as the publish form drafts it.
    """

    kind: str
    at: dt.datetime
    actor: Actor
    agency_id: int | None = None
    body: str = ""
    outcome: str = ""
    in_person: bool = False
    rating: int = 0
    due_at: dt.datetime | None = None
    reason: str = ""


@dataclass
class TicketStory:
    """One hotline ticket, from its arrival to the plan's horizon."""

    key: str  # unique within the plan: "<day>/t<number that day>"
    channel: str  # hotline.TicketChannel
    kind: str  # hotline.TicketKind
    contact_name: str
    contact_phone: str
    subject: str
    body: str
    procedure_id: int | None
    sector: str
    received_at: dt.datetime
    due_at: dt.datetime
    changes: list[TicketChange] = field(default_factory=list)
    # State after the last change
    status: str = ""  # hotline.TicketStatus
    agency_id: int | None = None
    answered_at: dt.datetime | None = None
    outcome: str = ""
    rating: int | None = None
