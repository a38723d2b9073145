"""The what-if's values: the proposal, the model's parameters, what the history says and
the figures (docs/simulate.md "What-if of a reform")."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from motcua.catalog.models import Channel
from motcua.simulate.profile import Profile
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.deadlines import TimeUnit

HISTORY = "lịch sử"  # measured on the province's own dossiers of the procedure
DEFAULT = "mặc định"  # the simulation profile's default, or a stated assumption of this model
PROPOSAL = "đề xuất"  # given by the reform proposal

CHANNEL_NAMES = {
    Channel.DIRECT: "trực tiếp",
    Channel.ONLINE: "trực tuyến",
    Channel.POSTAL: "bưu chính",
}
UNIT_NAMES = {
    TimeUnit.WORKING_DAY: "ngày làm việc",
    TimeUnit.DAY: "ngày",
    TimeUnit.HOUR: "giờ làm việc",
}


# Inputs
@dataclass(frozen=True)
class Reform:
    """A proposed change to one procedure, in plain values (the reform module passes them)."""

    procedure_id: int
    # New statutory processing time, in the procedure's methods' own unit (None: unchanged).
    time_value: Decimal | None = None
    # Share of dossiers filed online after the change (None: as observed).
    online_share: float | None = None
    documents_removed: int = 0  # documents no longer required
    # The applicant's working hours per execution (compliance-cost steps), before / after.
    citizen_hours_before: Decimal = Decimal(0)
    citizen_hours_after: Decimal = Decimal(0)
    cost_before_vnd: int = 0  # compliance cost of one execution, before / after
    cost_after_vnd: int = 0

    def validate(self) -> Reform:
        """Refuse values no proposal can have (``ValueError`` in Vietnamese)."""
        if self.time_value is not None and not (
            self.time_value.is_finite() and self.time_value > 0
        ):
            raise ValueError("Thời hạn giải quyết mới phải là số dương.")
        if self.online_share is not None and not 0 <= self.online_share <= 1:
            raise ValueError("Tỷ lệ nộp trực tuyến phải từ 0 đến 1.")
        if self.documents_removed < 0:
            raise ValueError("Số giấy tờ cắt giảm không được âm.")
        for hours in (self.citizen_hours_before, self.citizen_hours_after):
            if not hours.is_finite() or hours < 0:
                raise ValueError("Số giờ của người dân không được âm.")
        if self.cost_before_vnd < 0 or self.cost_after_vnd < 0:
            raise ValueError("Chi phí tuân thủ không được âm.")
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "procedure_id": self.procedure_id,
            "time_value": None if self.time_value is None else str(self.time_value),
            "online_share": self.online_share,
            "documents_removed": self.documents_removed,
            "citizen_hours_before": str(self.citizen_hours_before),
            "citizen_hours_after": str(self.citizen_hours_after),
            "cost_before_vnd": self.cost_before_vnd,
            "cost_after_vnd": self.cost_after_vnd,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reform:
        time_value = data.get("time_value")
        online = data.get("online_share")
        return cls(
            procedure_id=int(data["procedure_id"]),
            time_value=None if time_value is None else Decimal(str(time_value)),
            online_share=None if online is None else float(online),
            documents_removed=int(data.get("documents_removed", 0)),
            citizen_hours_before=Decimal(str(data.get("citizen_hours_before", 0))),
            citizen_hours_after=Decimal(str(data.get("citizen_hours_after", 0))),
            cost_before_vnd=int(data.get("cost_before_vnd", 0)),
            cost_after_vnd=int(data.get("cost_after_vnd", 0)),
        )


@dataclass(frozen=True)
class Parameters:
    """The model's own assumptions, each listed with its value beside the figures."""

    # Travel and waiting to file at the desk, and to bring a supplement there (hours).
    desk_trip_hours: float = 2.0
    # Handing the dossier in at a post office (hours).
    postal_trip_hours: float = 0.5
    # Answering a supplement online (hours).
    online_supplement_hours: float = 0.5
    # An officer's time to write a supplement request (Form 02) and take the papers in (hours).
    supplement_staff_hours: float = 0.5
    # How much faster officers may finish a dossier that the new time would make late, as a
    # share of its work: 0 (the default) assumes no faster work because of a decree.
    pace_limit: float = 0.0
    # Fewer dossiers or supplements than this in the window: the profile's default instead.
    min_history: int = 30

    def validate(self) -> Parameters:
        if not 0 <= self.pace_limit < 1:
            raise ValueError("Mức tăng nhịp xử lý phải từ 0 đến dưới 1.")
        hours = (
            self.desk_trip_hours,
            self.postal_trip_hours,
            self.online_supplement_hours,
            self.supplement_staff_hours,
        )
        if any(h < 0 for h in hours) or self.min_history < 1:
            raise ValueError("Các giả định về giờ không được âm.")
        return self


@dataclass(frozen=True)
class Calibration:
    """What the history of one procedure says (or the defaults, where it says too little)."""

    procedure_id: int
    procedure_code: str
    procedure_name: str
    start: dt.date  # the window, both days included
    end: dt.date
    calendar: WorkCalendar  # the competent agency's (the province's for a commune procedure)
    # channel → (statutory time value, unit) as ``dossiers.clock.statutory_due`` picks it
    times: dict[str, tuple[Decimal, str]]
    cutoff: dt.time | None
    fast_track: bool
    steps_hours: float  # the template's allotted hours, summed (untimed steps: a default)
    documents_required: int  # mandatory documents in the catalogue
    received: int  # dossiers received in the window (history)
    working_days: int
    per_working_day: float
    per_working_day_source: str
    channel_shares: dict[str, float]
    channel_source: str
    supplement_share: float
    supplement_source: str
    # Working hours the applicants took to answer a supplement (history), or empty: the
    # profile's mean ``supplement_wait_mean`` with an exponential spread.
    supplement_waits: tuple[float, ...]
    supplement_wait_mean: float
    # Working hours from reception to the result, pauses excluded, of each finished dossier
    # (the sum of its steps' working time); empty: drawn from the profile's step pace.
    work_hours: tuple[float, ...]
    finished: int
    late_observed: int  # finished late, in the window
    profile: Profile = field(default_factory=Profile)

    @property
    def late_share_observed(self) -> float | None:
        return self.late_observed / self.finished if self.finished else None


# Results
@dataclass(frozen=True)
class Figures:
    """One scenario over the window."""

    dossiers: int
    on_time_rate: float  # finished by the due moment (early included), of all dossiers
    average_processing_days: float  # working days (8 h) from reception to result, no pauses
    staff_hours: float  # working hours in officers' hands + supplement requests' handling
    citizen_hours: float  # per execution, trips to the desk, supplement round trips
    compliance_cost_vnd: int
    late: int = 0
    supplements: int = 0
    online: int = 0
    in_person: int = 0  # filed at a desk (travel and waiting)
    # Working days the applicant waits for the result, supplement answers included.
    average_waiting_days: float = 0.0


@dataclass(frozen=True)
class WhatIf:
    start: dt.date
    end: dt.date
    baseline: Figures
    changed: Figures
    assumptions: list[str]
    seed: int
    elapsed_seconds: float
    procedure_id: int = 0
    procedure_code: str = ""
    procedure_name: str = ""

    @property
    def citizen_hours_saved(self) -> float:
        return self.baseline.citizen_hours - self.changed.citizen_hours

    @property
    def staff_hours_saved(self) -> float:
        return self.baseline.staff_hours - self.changed.staff_hours

    @property
    def compliance_cost_saved_vnd(self) -> int:
        return self.baseline.compliance_cost_vnd - self.changed.compliance_cost_vnd

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (dates as yyyy-mm-dd), for ``WhatIfRun.result`` and exports."""
        return {
            "procedure": {
                "id": self.procedure_id,
                "code": self.procedure_code,
                "name": self.procedure_name,
            },
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "seed": self.seed,
            "baseline": asdict(self.baseline),
            "changed": asdict(self.changed),
            "difference": {
                "on_time_rate": self.changed.on_time_rate - self.baseline.on_time_rate,
                "average_processing_days": self.changed.average_processing_days
                - self.baseline.average_processing_days,
                "late": self.changed.late - self.baseline.late,
                "supplements": self.changed.supplements - self.baseline.supplements,
                "citizen_hours_saved": self.citizen_hours_saved,
                "staff_hours_saved": self.staff_hours_saved,
                "compliance_cost_saved_vnd": self.compliance_cost_saved_vnd,
            },
            "assumptions": list(self.assumptions),
            "elapsed_seconds": self.elapsed_seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WhatIf:
        procedure = data.get("procedure", {})
        return cls(
            start=dt.date.fromisoformat(data["start"]),
            end=dt.date.fromisoformat(data["end"]),
            baseline=Figures(**data["baseline"]),
            changed=Figures(**data["changed"]),
            assumptions=list(data["assumptions"]),
            seed=int(data["seed"]),
            elapsed_seconds=float(data["elapsed_seconds"]),
            procedure_id=int(procedure.get("id", 0)),
            procedure_code=procedure.get("code", ""),
            procedure_name=procedure.get("name", ""),
        )


def days_of(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


# The computation (pure)
@dataclass(frozen=True)
class Scenario:
    times: dict[str, tuple[Decimal, str]]
    shares: dict[str, float]
    supplement_share: float
    citizen_hours: float
    cost_vnd: int
