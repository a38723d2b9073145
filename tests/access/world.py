"""The world the access matrix is tried in: a dossier and a ticket of agency A (the
Department of Justice), and the people who should, or should not, reach them.

- ``in_progress``: submitted online by citizen A at the provincial centre (desk 1), received
  there and forwarded to agency A's specialist; one digitised document.
- ``returned``: citizen A's too, walked through the whole workflow and handed back, with an
  electronic result.
- ``ticket``: a hotline ticket routed to agency A, with an attachment.

Personas: the anonymous public; citizens A and B; the receptionists of desk 1 (the
provincial centre) and desk 2 (a commune centre); agency A's specialist and leader; a
specialist of agency B (the police); the 1022 operator; an inspector; the administrator; and
a desk-1 receptionist whose membership was switched off; the provincial post office's officer
(who checks pickups and draws up the hand-over records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import CitizenProfile
from motcua.appointments.actions import Address as VisitAddress
from motcua.appointments.actions import Contact as VisitContact
from motcua.appointments.actions import book_appointment
from motcua.appointments.models import BookingChannel, Purpose, Slot, SlotKind
from motcua.catalog.models import Procedure
from motcua.core.tests import samples
from motcua.dossiers.actions import accept_submission, forward_dossier, return_result, submit_online
from motcua.dossiers.models import Dossier, DossierDocument, StoredDocument
from motcua.dossiers.tests.fixtures import application, make_user, member, ready
from motcua.hotline.actions import route_ticket
from motcua.hotline.inbound import InboundAttachment
from motcua.hotline.models import Ticket, TicketAttachment
from motcua.hotline.tests.fixtures import chat
from motcua.org.models import AdministrativeUnit, Agency, Desk, DeskKind, Membership, Role
from motcua.postal.actions import Address, Contact, register_postal_service
from motcua.postal.checking import CheckedDocument, check_pickup_documents
from motcua.postal.handing_over import create_handover
from motcua.postal.models import OrderChannel
from motcua.reform.actions import open_cycle
from motcua.reform.models import DialogueSession
from motcua.simulate.models import WhatIfRun

PERSONAS = (
    "anonymous",
    "citizen_a",
    "citizen_b",
    "desk_1",
    "desk_2",
    "specialist_a",
    "leader_a",
    "specialist_b",
    "operator",
    "inspector",
    "administrator",
    "deactivated",
    "postman",
)


@dataclass
class World:
    users: dict[str, Any]
    in_progress: Dossier
    returned: Dossier
    ticket: Ticket
    ticket_attachment_pk: int
    session_pk: int
    # The post office's pickup of another submission of citizen A, checked and handed over
    # to desk 1 (not yet received): docs/postal.md.
    pickup_pk: int = 0
    pickup_check_pk: int = 0
    handover_pk: int = 0
    visit_pk: int = 0
    # A simplification review listing 1.000426 for agency A to draft (docs/reform.md).
    cycle_pk: int = 0
    proposal_pk: int = 0
    # A what-if asked for that proposal (queued), and one asked by an operator's command.
    whatif_pk: int = 0
    command_whatif_pk: int = 0

    def client(self, persona: str) -> Client:
        client = Client(REMOTE_ADDR="203.0.113.10")
        user = self.users.get(persona)
        if user is not None:
            client.force_login(user)
        return client

    @property
    def document(self) -> DossierDocument:
        return self.in_progress.documents.exclude(file="").get()

    @property
    def stored(self) -> StoredDocument:
        """Citizen A's result in her document store (put there when it was returned)."""
        return StoredDocument.objects.get(owner=self.users["citizen_a"], result__isnull=False)


def citizen(username: str, name: str, phone: str) -> Any:
    user = get_user_model().objects.create_user(username=username, first_name=name)
    CitizenProfile.objects.create(user=user, full_name=name, phone=phone, verified_phone=True)
    return user


def build() -> World:
    users_model = get_user_model()
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    commune = Desk.objects.get(name="Trung tâm Phục vụ hành chính công phường Cao Lãnh")
    justice = Agency.objects.get(name="Sở Tư pháp")
    police = Agency.objects.get(name="Công an tỉnh Đồng Tháp")
    users = {
        "citizen_a": citizen("cong_dan_a", "Nguyễn Văn An", "0912345678"),
        "citizen_b": citizen("cong_dan_b", "Trần Thị Bình", "0987654321"),
        "desk_1": users_model.objects.get(username="tiepnhan"),
        "desk_2": member(commune.agency, Role.RECEPTIONIST, commune),
        "specialist_a": users_model.objects.get(username="chuyenvien"),
        "leader_a": users_model.objects.get(username="lanhdao"),
        "specialist_b": make_user("congan_b", police, Role.SPECIALIST),
        "operator": users_model.objects.get(username="tongdai"),
        "inspector": users_model.objects.get(username="thanhtra"),
        "administrator": users_model.objects.get(username="quantri"),
        "deactivated": make_user("tiepnhan_cu", centre.agency, Role.RECEPTIONIST, centre),
        "postman": users_model.objects.get(username="buudien"),
    }
    Membership.objects.filter(user=users["deactivated"]).update(active=False)
    desk_1 = users["desk_1"]

    submitted = submit_online(
        application=application("1.000426", centre, channel="online"), citizen=users["citizen_a"]
    )
    document = submitted.documents.first()
    assert document is not None
    document.digitised = True
    document.file.save("don.pdf", ContentFile(samples.PDF))
    in_progress = accept_submission(dossier=submitted, officer=desk_1)
    in_progress = forward_dossier(dossier=in_progress, officer=desk_1)

    other = submit_online(
        application=application("1.000426", centre, channel="online"), citizen=users["citizen_a"]
    )
    other = ready(accept_submission(dossier=other, officer=desk_1))
    result = other.results.get()
    result.file.save("ket-qua.pdf", ContentFile(samples.PDF))
    returned = return_result(dossier=other, officer=desk_1, channel="online")

    ticket = chat(
        "Xin hỏi thủ tục cấp thẻ tư vấn viên pháp luật, tôi gửi kèm đơn.",
        channel="email",
        sender="an@example.vn",
        attachments=(InboundAttachment("Đơn.pdf", "application/pdf", samples.PDF),),
    )
    ticket = route_ticket(ticket=ticket, user=users["operator"], agency=justice)
    attachment = TicketAttachment.objects.get(message__ticket=ticket)
    session = DialogueSession.objects.create(
        title="Cà phê Doanh nhân tháng 11",
        held_on=dt.date(2026, 11, 20),
        unit=justice.unit,
        created_by=users["leader_a"],
    )
    pickup_pk, pickup_check_pk, handover_pk = _postal_pickup(centre, users["citizen_a"])
    visit_pk = _home_visit(desk_1, users["citizen_a"])
    cycle = open_cycle(
        year=2026,
        title="Rà soát thủ tục hành chính năm 2026",
        deadline=dt.date(2026, 12, 31),
        items=[(Procedure.objects.get(code="1.000426"), justice)],
        user=users["administrator"],
    )
    proposal = cycle.proposals.get()
    whatif = WhatIfRun.objects.create(
        proposal_id=proposal.pk, subject=proposal.code, reform={"procedure_id": 1}
    )
    command_whatif = WhatIfRun.objects.create(subject="manage.py what_if", reform={})
    return World(
        cycle_pk=cycle.pk,
        proposal_pk=proposal.pk,
        whatif_pk=whatif.pk,
        command_whatif_pk=command_whatif.pk,
        visit_pk=visit_pk,
        pickup_pk=pickup_pk,
        pickup_check_pk=pickup_check_pk,
        handover_pk=handover_pk,
        users=users,
        in_progress=in_progress,
        returned=returned,
        ticket=ticket,
        ticket_attachment_pk=attachment.pk,
        session_pk=session.pk,
    )


def _postal_pickup(centre: Desk, applicant: Any) -> tuple[int, int, int]:
    """A submission collected by the post: its pickup order, the check and the hand-over to
    the provincial centre (desk 1), done by the post office's officer (persona ``postman``)."""
    postman = get_user_model().objects.get(username="buudien")
    dossier = submit_online(
        application=application("1.000426", centre, channel="online"), citizen=applicant
    )
    order = register_postal_service(
        dossier=dossier,
        actor=applicant,
        service="pickup",
        address=Address("12 Lý Thường Kiệt", "29869"),
        contact=Contact("Nguyễn Văn An", "0912345678"),
        channel=OrderChannel.PORTAL,
    ).order
    check = check_pickup_documents(
        order=order,
        officer=postman,
        complete=True,
        documents=[CheckedDocument("Tờ khai", originals=1)],
        slip=ContentFile(samples.PNG, name="phieu.png"),
    )
    handover = create_handover(officer=postman, orders=[order])
    return order.pk, check.pk, handover.pk


def _home_visit(officer: Any, citizen: Any) -> int:
    """A home visit citizen A booked on the portal for the day after tomorrow, which desk 1's
    receptionist makes (in Phường Cao Lãnh)."""
    ward = AdministrativeUnit.objects.filter(code="29869").order_by("-valid_from").first()
    assert ward is not None
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=2)
    slot = Slot.objects.create(
        kind=SlotKind.HOME, officer=officer, start=start, end=start + dt.timedelta(hours=1)
    )
    slot.units.add(ward)
    return book_appointment(
        slot=slot,
        procedure=Procedure.objects.get(code="1.000426"),
        purpose=Purpose.SUBMIT,
        contact=VisitContact("Nguyễn Văn An", "0912345678"),
        channel=BookingChannel.PORTAL,
        address=VisitAddress("12 Lý Thường Kiệt", ward),
        actor=citizen,
    ).appointment.pk
