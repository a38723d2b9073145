"""Public procedure endpoints: ``GET /api/v1/procedures`` and ``/procedures/{code}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import Procedure
from motcua.catalog.queries import procedure_detail, search_procedures
from motcua.catalog.version_history import history
from motcua.core.api_errors import ApiError
from motcua.core.inputs import EARLIEST, LATEST, Input
from motcua.workcalendar.store import calendar_for

router = Router(tags=["procedures"])
# Deeper than any catalogue: a larger offset is a mistake (or a probe), not a page.
MAX_OFFSET = 100_000


class ProcedureItem(Schema):
    code: str
    name: str
    level: str | None
    levels: list[str]
    sector: str | None
    online_mode: str


class ListedProcedure(ProcedureItem):
    # Relevance to ``q`` (higher is better); absent when the list is not a search.
    score: float | None = None


class ProcedureList(Schema):
    total: int
    items: list[ListedProcedure]


class ListFilters(Input):
    q: str = ""  # any length: the search cuts a long one short (catalog/search/query.py)
    level: str | None = Field(None, max_length=20)
    sector: str | None = Field(None, max_length=255)
    agency: str | None = Field(None, max_length=40)
    limit: int = 20
    offset: int = 0


class ProcessingTime(Schema):
    value: float | int
    unit: str


class FeeOut(Schema):
    name: str
    amount_vnd: int


class MethodOut(Schema):
    channel: str
    processing_time: ProcessingTime | None
    time_text: str
    fee_text: str
    fees: list[FeeOut]
    description: str
    due_at: dt.datetime | None


class DocumentOut(Schema):
    group: str
    name: str
    original: int
    copies: int
    templates: list[str]


class ResultOut(Schema):
    name: str
    code: str


class LegalBasisOut(Schema):
    title: str
    number: str


class ChangeOut(Schema):
    # processing_time, fee, document_removed, online_mode, abolished, process_template
    kind: str
    subject: str
    before: str
    after: str
    text: str


class VersionOut(Schema):
    number: int
    decision_number: str
    effective_from: dt.date
    # False: enacted, waiting for its date; the catalogue above does not show it yet.
    in_force: bool
    summary: str
    source: str
    changes: list[ChangeOut]


class AgencyRef(Schema):
    code: str
    name: str


class ProcedureOut(ProcedureItem):
    decision_number: str
    procedure_type: str
    subjects: list[str]
    competent_agency: AgencyRef | None
    competent_agency_text: str
    implementing_agency: AgencyRef | None
    implementing_agency_text: str
    fast_track: bool
    same_day_cutoff: str | None
    received_at: dt.datetime
    steps_text: str
    conditions_text: str
    methods: list[MethodOut]
    documents: list[DocumentOut]
    results: list[ResultOut]
    legal_basis: list[LegalBasisOut]
    source_url: str
    versions: list[VersionOut]


def _item(procedure: Procedure) -> dict[str, object]:
    levels = procedure.levels
    return {
        "code": procedure.code,
        "name": procedure.name,
        "level": levels[0] if levels else None,
        "levels": levels,
        "sector": procedure.sector.name if procedure.sector else None,
        "online_mode": procedure.online_mode,
    }


@router.get(
    "",
    response=ProcedureList,
    summary="Tra cứu thủ tục hành chính",
    # Leaves ``score`` out of items when there is no query to be relevant to.
    exclude_unset=True,
)
def list_procedures(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, object]:
    if not 1 <= filters.limit <= 100 or not 0 <= filters.offset <= MAX_OFFSET:
        raise ApiError(
            400,
            "bad_pagination",
            _("limit phải từ 1 đến 100 và offset từ 0 đến %(max)s.") % {"max": MAX_OFFSET},
        )
    procedures = search_procedures(
        q=filters.q, level=filters.level, sector=filters.sector, agency=filters.agency
    )
    page = procedures[filters.offset : filters.offset + filters.limit]
    items = []
    for procedure in page:
        item = _item(procedure)
        score = getattr(procedure, "score", None)
        if score is not None:
            item["score"] = round(score, 4)
        items.append(item)
    return {"total": procedures.count(), "items": items}


def parse_received_at(raw: str | None) -> dt.datetime:
    """An ISO 8601 datetime (a naive one is local time) or a bare date (its 07:00)."""
    if raw is None or raw == "":
        return timezone.localtime()
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = dt.datetime.combine(day, dt.time(7)) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError(
            400,
            "invalid_datetime",
            _("received_at không phải thời điểm hợp lệ (ví dụ 2025-09-01T08:30:00+07:00)."),
            {"received_at": raw},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not EARLIEST <= moment < LATEST:
        raise ApiError(
            400,
            "invalid_datetime",
            _("received_at phải trong khoảng năm 2000 đến 2099."),
            {"received_at": raw},
        )
    return timezone.localtime(moment)


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


@router.get(
    "/{code}",
    response=ProcedureOut,
    summary="Chi tiết thủ tục, kèm thời điểm hẹn trả theo từng cách thức nộp",
)
def get_procedure(
    request: HttpRequest,
    code: Annotated[str, Path(max_length=40)],
    received_at: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, object]:
    moment = parse_received_at(received_at)
    procedure = procedure_detail(code)
    if procedure is None:
        raise ApiError(
            404,
            "procedure_not_found",
            _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code},
        )
    calendar = calendar_for(procedure.competent_agency_id)
    methods = []
    for method in procedure.methods.all():
        timing = None
        if method.time_value is not None and method.time_unit:
            timing = {"value": _number(method.time_value), "unit": method.time_unit}
        due = method_due_at(procedure, method, received_at=moment, calendar=calendar)
        due_at = timezone.localtime(due) if due else None
        methods.append(
            {
                "channel": method.channel,
                "processing_time": timing,
                "time_text": method.time_text,
                "fee_text": method.fee_text,
                "fees": [{"name": f.name, "amount_vnd": f.amount_vnd} for f in method.fees.all()],
                "description": method.description,
                "due_at": due_at,
            }
        )

    def agency_ref(agency: object) -> dict[str, str] | None:
        return {"code": agency.code, "name": agency.name} if agency else None  # type: ignore[attr-defined]

    return {
        **_item(procedure),
        "decision_number": procedure.decision_number,
        "procedure_type": procedure.procedure_type,
        "subjects": procedure.subjects,
        "competent_agency": agency_ref(procedure.competent_agency),
        "competent_agency_text": procedure.competent_agency_text,
        "implementing_agency": agency_ref(procedure.implementing_agency),
        "implementing_agency_text": procedure.implementing_agency_text,
        "fast_track": procedure.fast_track,
        "same_day_cutoff": procedure.same_day_cutoff.strftime("%H:%M")
        if procedure.same_day_cutoff
        else None,
        "received_at": moment,
        "steps_text": procedure.steps_text,
        "conditions_text": procedure.conditions_text,
        "methods": methods,
        "documents": [
            {
                "group": d.group,
                "name": d.name,
                "original": d.originals,
                "copies": d.copies,
                "templates": d.templates,
            }
            for d in procedure.documents.all()
        ],
        "results": [{"name": r.name, "code": r.code} for r in procedure.results.all()],
        "legal_basis": [
            {"title": b.title, "number": b.number} for b in procedure.legal_basis.all()
        ],
        "source_url": procedure.source_url,
        "versions": [
            {
                "number": v.number,
                "decision_number": v.decision_number,
                "effective_from": v.effective_from,
                "in_force": v.in_force,
                "summary": v.summary,
                "source": v.source,
                "changes": [
                    {
                        "kind": c.kind,
                        "subject": c.subject,
                        "before": c.before,
                        "after": c.after,
                        "text": c.text,
                    }
                    for c in v.lines
                ],
            }
            for v in history(procedure)
        ],
    }
