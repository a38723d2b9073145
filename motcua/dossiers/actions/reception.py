"""Reception: a dossier enters the system (Form 01) or is refused (Form 03)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Channel, Procedure
from motcua.catalog.versions import in_force_for_reception
from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.core.reference import one_version
from motcua.core.text import fold
from motcua.dossiers import reference
from motcua.dossiers.actions.application import (
    Applicant,
    Application,
    FromStore,
    ReceivedDocument,
    file_of,
    reused_files,
    store_files,
    stored_files,
)
from motcua.dossiers.actions.store import keep_documents
from motcua.dossiers.actions.transitions import append_event, chain_event, ensure, lock
from motcua.dossiers.clock import add_hours, calendar_of, statutory_due
from motcua.dossiers.codes import next_code
from motcua.dossiers.counters import bump_daily, count_due, open_dossier
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierDocument,
    DossierFee,
    DossierStep,
    ResultDelivery,
    StoreEvent,
    StoreEventKind,
)
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.permissions import (
    authorise,
    authorise_reception,
    authorise_submission,
    return_step,
)
from motcua.dossiers.status import DossierStatus
from motcua.notifications.models import NotificationKind
from motcua.org.models import Agency, AgencyKind, Desk, DeskKind, UnitLevel


def competent_agency_for(procedure: Procedure, desk: Desk, chosen: Agency | None = None) -> Agency:
    """The procedure's competent agency; for a commune procedure, the people's committee the
    desk chose (cross-boundary reception) or else that of the receiving desk's commune."""
    if procedure.competent_agency_id:
        return reference.agency(procedure.competent_agency_id)
    if chosen is not None:
        if (
            chosen.kind != AgencyKind.PEOPLES_COMMITTEE
            or reference.unit_chain(chosen.unit_id)[0].level != UnitLevel.COMMUNE
        ):
            raise invalid(
                "not_a_commune_committee",
                _("Thủ tục cấp xã phải do Ủy ban nhân dân cấp xã giải quyết."),
            )
        return chosen
    if reference.unit_chain(desk.unit_id)[0].level == UnitLevel.COMMUNE:
        committee = reference.commune_committee(desk.unit_id)
        if committee:
            return committee
    raise invalid(
        "no_competent_agency",
        _("Chưa xác định được cơ quan có thẩm quyền của thủ tục %(code)s tại nơi tiếp nhận này.")
        % {"code": procedure.code},
    )


def _validate(application: Application) -> None:
    if application.channel not in Channel.values:
        raise invalid("bad_channel", _("Kênh nộp hồ sơ không hợp lệ."))
    if application.applicant.kind not in ApplicantKind.values:
        raise invalid("bad_applicant_kind", _("Loại chủ hồ sơ không hợp lệ."))
    if not application.applicant.name.strip():
        raise invalid("applicant_name_required", _("Cần nhập tên chủ hồ sơ."))
    if application.result_delivery not in ResultDelivery.values:
        raise invalid("bad_result_delivery", _("Hình thức nhận kết quả không hợp lệ."))
    if application.result_delivery == ResultDelivery.POSTAL and not (
        application.delivery_address.strip() or application.applicant.address.strip()
    ):
        raise invalid("delivery_address_required", _("Nhận kết quả qua bưu chính cần địa chỉ."))
    if not application.procedure.active:
        raise invalid("procedure_inactive", _("Thủ tục này không còn áp dụng."))
    if not reference.accepts(application.desk, application.procedure):
        raise invalid(
            "procedure_not_accepted_here",
            _("%(desk)s không tiếp nhận thủ tục %(code)s.")
            % {"desk": application.desk.name, "code": application.procedure.code},
        )


def _within_post_office_scope(desk: Desk, procedure: Procedure, competent: Agency) -> None:
    """A post office receives as a desk (the pilot of Decision 45/2016/QĐ-TTg) only in the
    sectors and for the competent agencies the province's decision gives it
    (``catalog.PostOfficeScope``, docs/postal.md "The post office as a desk")."""
    if desk.kind != DeskKind.POST_OFFICE:
        return
    scope = reference.post_office_scope(desk.pk)
    if scope is None:
        raise invalid(
            "post_office_scope_missing",
            _(
                "%(desk)s chưa được tỉnh giao phạm vi tiếp nhận hồ sơ (lĩnh vực, cơ quan); "
                "chưa tiếp nhận được hồ sơ tại đây."
            )
            % {"desk": desk.name},
        )
    if procedure.sector_id not in scope.sectors:
        raise invalid(
            "post_office_sector_not_allowed",
            _("%(desk)s không được giao tiếp nhận hồ sơ lĩnh vực «%(sector)s».")
            % {
                "desk": desk.name,
                "sector": procedure.sector.name if procedure.sector else _("(chưa có lĩnh vực)"),
            },
        )
    if scope.agencies and competent.pk not in scope.agencies:
        raise invalid(
            "post_office_agency_not_allowed",
            _("%(desk)s không được giao tiếp nhận hồ sơ thuộc thẩm quyền của %(agency)s.")
            % {"desk": desk.name, "agency": competent.name},
        )


@dataclass
class _NewDossier:
    """A dossier and its rows, computed in full before anything is written."""

    dossier: Dossier
    documents: list[DossierDocument]
    fees: list[DossierFee]
    from_store: FromStore = field(default_factory=lambda: FromStore({}))
    actor: User | None = None


def _prepare(
    application: Application,
    *,
    status: str,
    actor: User | None,
    at: dt.datetime,
    account: User | None = None,
) -> _NewDossier:
    # A decision in force from today applies before its first dossier, job or no job.
    in_force_for_reception(application.procedure, day=timezone.localdate(at))
    _validate(application)
    reused = reused_files(application)
    from_store = stored_files(application, account=account)
    procedure, desk = application.procedure, application.desk
    template = reference.active_template(procedure.pk)
    if template is None:
        raise invalid("no_template", _("Thủ tục chưa có quy trình xử lý."))
    competent = competent_agency_for(procedure, desk, application.competent_agency)
    _within_post_office_scope(desk, procedure, competent)
    applicant = application.applicant
    dossier = Dossier(
        procedure=procedure,
        template=template,
        status=status,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        # Folding can lengthen a name (Hangul decomposes): cut to the column.
        applicant_folded=fold(applicant.name)[:255],
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        submitter_name=application.submitter_name,
        submitter_phone=application.submitter_phone,
        summary=application.summary or procedure.name,
        sets=application.sets,
        channel=application.channel,
        desk=desk,
        receiving_agency=reference.agency(desk.agency_id),
        competent_agency=competent,
        unit_id=competent.unit_id,
        cross_boundary=not _within(desk, competent),
        fast_track=procedure.fast_track,
        result_delivery=application.result_delivery,
        delivery_address=application.delivery_address or applicant.address,
        submitted_at=at,
        created_by=person(actor),
        applicant_account=person(account),
        origin_appointment=application.origin_appointment,
    )
    documents = [
        DossierDocument(
            dossier=dossier,
            position=index,
            name=doc.name,
            originals=doc.originals,
            copies=doc.copies,
            digitised=doc.digitised or doc.reuse_of is not None or doc.stored is not None,
            reused=doc.reused or doc.reuse_of is not None or doc.stored is not None,
            file=file_of(doc, reused, from_store),
        )
        for index, doc in enumerate(application.documents, start=1)
    ]
    # The fees of the way it was filed; a way the catalogue lists no method for (a procedure
    # a decision has just moved online) pays what filing at the desk pays, as its due
    # moment follows the desk's time (``clock.statutory_due``).
    method = reference.method_for(procedure.pk, application.channel) or reference.method_for(
        procedure.pk, Channel.DIRECT
    )
    fees = [
        DossierFee(dossier=dossier, name=name, amount_vnd=amount)
        for name, amount in (method.fees if method else ())
    ]
    dossier.fee_total_vnd = sum(fee.amount_vnd for fee in fees)
    return _NewDossier(dossier, documents, fees, from_store, actor)


def _note_store_use(new: _NewDossier, at: dt.datetime) -> None:
    """The store's trail: which dossier used which item, by whom, under which consent."""
    used = new.from_store
    if used.owner_id is None:
        return
    StoreEvent.objects.bulk_create(
        StoreEvent(
            owner_id=used.owner_id,
            kind=StoreEventKind.ATTACHED,
            at=at,
            actor=person(new.actor),
            item_id=pk,
            dossier=new.dossier,
            consent=used.consent,
        )
        for pk in sorted(used.files)
    )


def _store_use(new: _NewDossier) -> dict[str, object]:
    """What the dossier's event says of the store's items it used."""
    if not new.from_store.files:
        return {}
    noted: dict[str, object] = {"from_store": sorted(new.from_store.files)}
    if new.from_store.consent is not None:
        noted["store_consent"] = new.from_store.consent.pk
    return noted


def _insert(new: _NewDossier, application: Application, at: dt.datetime) -> Dossier:
    """Number the dossier and write it with its documents and fees: one statement each."""
    dossier = new.dossier
    dossier.code = next_code(dossier.receiving_agency, timezone.localtime(at).date())
    dossier.save(force_insert=True)
    documents = DossierDocument.objects.bulk_create(new.documents)
    DossierFee.objects.bulk_create(new.fees)
    store_files(documents, application.documents)
    _note_store_use(new, at)
    return dossier


def _create(
    application: Application,
    *,
    status: str,
    actor: User | None,
    at: dt.datetime,
    account: User | None = None,
) -> Dossier:
    with one_version():
        new = _prepare(application, status=status, actor=actor, at=at, account=account)
    return _insert(new, application, at)


# Dossier codes carry a two-digit year (docs/rules/statuses.md "Dossier codes"): a reception before
# 2000 would take the number of a later century's day. Clocks drift a little, hence the margin.
EARLIEST_RECEPTION = dt.date(2000, 1, 1)
CLOCK_MARGIN = dt.timedelta(minutes=5)


def reception_moment(received_at: dt.datetime | None) -> dt.datetime:
    """When the dossier is received: now, or a moment the desk states (a paper dossier
    entered later), which may be neither in the future nor before 2000."""
    if received_at is None:
        return now()
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > now() + CLOCK_MARGIN:
        raise invalid("received_in_future", _("Thời điểm tiếp nhận ở tương lai."))
    earliest = dt.datetime.combine(EARLIEST_RECEPTION, dt.time(), timezone.get_current_timezone())
    # Compared as instants: converting a year-1 moment to local time would overflow.
    if received_at < earliest:
        raise invalid(
            "received_too_early", _("Thời điểm tiếp nhận phải từ ngày 01/01/2000 trở về sau.")
        )
    return received_at


def _within(desk: Desk, agency: Agency) -> bool:
    """Whether the desk is inside the competent agency's unit (else: cross-boundary)."""
    return any(unit.pk == agency.unit_id for unit in reference.unit_chain(desk.unit_id))


def _start_clock(dossier: Dossier, *, at: dt.datetime) -> list[DossierStep]:
    """Reception: the due moment, and the steps of the workflow with the first one started,
    not yet written (the caller writes them in one statement and makes the first current)."""
    calendar = calendar_of(dossier.competent_agency_id)
    dossier.received_at = at
    dossier.due_at = statutory_due(
        dossier.procedure, channel=dossier.channel, received_at=at, calendar=calendar
    )
    dossier.original_due_at = dossier.due_at
    steps = [
        DossierStep(
            dossier=dossier,
            position=spec.position,
            name=spec.name,
            role=spec.role,
            agency_id=spec.agency_id or dossier.competent_agency_id,
            allotted_hours=spec.hours,
            personal_signature=spec.personal_signature,
        )
        for spec in reference.template_steps(dossier.template_id)
    ]
    back = return_step(steps)
    if back is not None:
        # The result is handed back where the dossier was received.
        back.agency_id = dossier.receiving_agency_id
    if steps:
        first = steps[0]
        # Reception is done by the receiving desk, whoever the template names.
        first.agency_id = dossier.receiving_agency_id
        first.started_at = at
        first.due_at = add_hours(calendar_of(first.agency_id), at, first.allotted_hours)
    dossier.current_agency_id = steps[0].agency_id if steps else dossier.competent_agency_id
    return steps


def _write_steps(dossier: Dossier, steps: list[DossierStep]) -> None:
    """One INSERT for the steps (their ids come back with it); the first becomes current."""
    DossierStep.objects.bulk_create(steps)
    dossier.current_step = steps[0] if steps else None


@transaction.atomic
def receive_dossier(
    *, application: Application, officer: User, received_at: dt.datetime | None = None
) -> Dossier:
    """Receive a dossier at a desk (Decree 118/2025 art. on reception; Form 01 is issued).

    Everything the dossier row holds is computed first, from reference data cached per
    process (``dossiers/reference.py``), so the row is inserted complete; only its current
    step and the chain's head, which need the ids of the rows written after it, follow in one
    UPDATE (docs/decisions/dossiers.md "Reception's writes")."""
    authorise_reception(application.desk, officer)
    at = reception_moment(received_at)
    with one_version():
        new = _prepare(application, status=DossierStatus.RECEIVED, actor=officer, at=at)
        steps = _start_clock(new.dossier, at=at)
    dossier = _insert(new, application, at)
    _write_steps(dossier, steps)
    bump_daily(dossier, f"received_{dossier.channel}", at)
    count_due(dossier, at)
    open_dossier(dossier)
    chain_event(
        dossier,
        kind="receive",
        actor=officer,
        at=at,
        to_status=DossierStatus.RECEIVED,
        channel=dossier.channel,
        desk=dossier.desk.name,
        due_at=dossier.due_at,
        documents=[d.name for d in application.documents],
        # What Decision 766 counts of the documents (dossiers/tally.py).
        digitised=bool(application.documents)
        and all(
            d.digitised or d.reuse_of is not None or d.stored is not None
            for d in application.documents
        ),
        reusing=any(
            d.reused or d.reuse_of is not None or d.stored is not None
            for d in application.documents
        ),
        **_store_use(new),
        **(
            {"origin_appointment": application.origin_appointment}
            if application.origin_appointment
            else {}
        ),
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        current_step=dossier.current_step,
        event_seq=dossier.event_seq,
        event_head=dossier.event_head,
    )
    if any(doc.file is not None for doc in application.documents):
        # Only a file given with the application is a digitised document for the store.
        keep_documents(dossier=dossier, at=at)
    notify_applicant(dossier=dossier, kind=NotificationKind.RECEIPT)
    return dossier


@transaction.atomic
def submit_online(*, application: Application, citizen: User | None = None) -> Dossier:
    """An online submission (status 1): not received until a desk officer checks it. The
    dossier belongs to the citizen's account on the portal; the files the citizen uploaded
    (``ReceivedDocument.file``) are stored as the documents' digitised copies."""
    authorise_submission(citizen)
    at = now()
    with one_version():
        new = _prepare(
            application, status=DossierStatus.SUBMITTED, actor=citizen, at=at, account=citizen
        )
    dossier = _insert(new, application, at)
    append_event(
        dossier,
        kind="submit",
        actor=citizen,
        at=at,
        to_status=DossierStatus.SUBMITTED,
        channel=dossier.channel,
        **_store_use(new),
    )
    return dossier


@transaction.atomic
def accept_submission(
    *, dossier: Dossier, officer: User, received_at: dt.datetime | None = None
) -> Dossier:
    """A desk officer receives an online submission; the clock starts now."""
    at = reception_moment(received_at)
    dossier = lock(dossier)
    target = ensure(dossier, "receive")
    authorise(dossier, officer, "receive")
    previous = dossier.status
    dossier.status = target or dossier.status
    with one_version():
        in_force_for_reception(dossier.procedure, day=timezone.localdate(at))
        steps = _start_clock(dossier, at=at)
    _write_steps(dossier, steps)
    dossier.save(
        update_fields=[
            "status",
            "received_at",
            "due_at",
            "original_due_at",
            "current_step",
            "current_agency",
            "updated_at",
        ]
    )
    bump_daily(dossier, f"received_{dossier.channel}", at)
    count_due(dossier, at)
    open_dossier(dossier)
    append_event(
        dossier,
        kind="receive",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        due_at=dossier.due_at,
    )
    keep_documents(dossier=dossier, at=at)
    notify_applicant(dossier=dossier, kind=NotificationKind.RECEIPT)
    return dossier


__all__ = [
    "ActionError",
    "Applicant",
    "Application",
    "ReceivedDocument",
    "accept_submission",
    "receive_dossier",
    "submit_online",
]
