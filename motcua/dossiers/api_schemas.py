"""Request and response shapes of the dossier API (docs/rules/api.md), and the dossier's JSON
form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from motcua.core.inputs import Id, Input, Moment, Money
from motcua.dossiers.models import Dossier


class ApplicantIn(Input):
    kind: Literal["citizen", "business", "agency", "other"]
    name: str = Field(min_length=1, max_length=255)
    id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class DocumentIn(Input):
    name: str = Field(min_length=1, max_length=1000)
    original: int = Field(0, ge=0, le=100)
    copies: int = Field(0, ge=0, le=100)


class DossierCreate(Input):
    procedure: str = Field(max_length=40)
    desk: Id
    channel: Literal["direct", "online", "postal"]
    applicant: ApplicantIn
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    result_delivery: Literal["desk", "online", "postal"] = "desk"
    delivery_address: str = Field("", max_length=500)
    # The national portal takes a summary of at most 1,000 characters (TrichYeuHoSo).
    summary: str = Field("", max_length=1000)
    sets: int = Field(1, ge=1, le=100)
    received_at: Moment | None = None


ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=1000)]


class ActionBody(Input):
    """Every action's optional fields; unknown fields are ignored (docs/rules/api.md)."""

    note: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)
    items: list[ShortText] = Field(default_factory=list, max_length=50)
    to_agency: Id | None = None
    new_due_at: Moment | None = None
    amount_vnd: Money | None = None
    reference: str = Field("", max_length=100)
    channel: Literal["desk", "online", "postal"] | None = None
    results: list[LongText] | None = Field(None, max_length=20)


class StepOut(Schema):
    position: int
    name: str
    agency: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str


class EventOut(Schema):
    seq: int
    kind: str
    at: dt.datetime
    actor: str
    from_status: str
    to_status: str
    data: dict[str, Any]
    hash: str


class DossierOut(Schema):
    code: str
    status: str
    status_label: str
    national_status: int
    procedure: dict[str, str]
    channel: str
    desk: dict[str, Any]
    competent_agency: dict[str, str]
    current_agency: dict[str, str] | None
    applicant: dict[str, str]
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    outcome: str
    fee_total_vnd: int
    paid_vnd: int
    cross_boundary: bool
    fast_track: bool
    steps: list[StepOut]


class DossierDetail(DossierOut):
    events: list[EventOut]


class LookupOut(Schema):
    """What the public sees. ``procedure``, ``procedure_code`` and ``applicant`` (masked) only
    with a correct ``check``."""

    code: str
    status: str
    status_label: str
    national_status: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    procedure: str | None = None
    procedure_code: str | None = None
    applicant: str | None = None


class VerifyOut(Schema):
    """Whether dossier ``dossier_code`` has a signed result with this SHA-256, not revoked.
    An unknown code and an unknown file answer alike (``valid`` false, nothing else set)."""

    valid: bool
    dossier_code: str
    signer: str | None = None
    signed_at: dt.datetime | None = None
    revoked: bool = False
    revoked_at: dt.datetime | None = None
    reason: str | None = Field(None, description="Lý do thu hồi, khi kết quả đã bị thu hồi.")


class ResultItem(Schema):
    id: int
    name: str
    signed: bool
    signed_at: dt.datetime | None
    signer: str
    sha256: str
    download_url: str | None = Field(
        description="Địa chỉ tải bản điện tử (qua phiên đăng nhập), khi người gọi được tải."
    )
    revoked: bool


class ResultsOut(Schema):
    items: list[ResultItem]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None


def dossier_out(dossier: Dossier, *, with_events: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "national_status": dossier.national_status,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "channel": dossier.channel,
        "desk": {"id": dossier.desk_id, "name": dossier.desk.name},
        "competent_agency": {
            "code": dossier.competent_agency.code,
            "name": dossier.competent_agency.name,
        },
        "current_agency": {"code": dossier.current_agency.code, "name": dossier.current_agency.name}
        if dossier.current_agency
        else None,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "submitted_at": _local(dossier.submitted_at),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished_at": _local(dossier.finished_at),
        "returned_at": _local(dossier.returned_at),
        "outcome": dossier.outcome,
        "fee_total_vnd": dossier.fee_total_vnd,
        "paid_vnd": dossier.paid_vnd,
        "cross_boundary": dossier.cross_boundary,
        "fast_track": dossier.fast_track,
        "steps": [
            {
                "position": s.position,
                "name": s.name,
                "agency": s.agency.name,
                "started_at": _local(s.started_at),
                "due_at": _local(s.due_at),
                "finished_at": _local(s.finished_at),
                "outcome": s.outcome,
            }
            for s in dossier.steps.select_related("agency").order_by("position")
        ],
    }
    if with_events:
        out["events"] = [
            {
                "seq": e.seq,
                "kind": e.kind,
                "at": _local(e.at),
                "actor": e.actor_name,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "data": e.data,
                "hash": e.hash,
            }
            for e in dossier.events.order_by("seq")
        ]
    return out
