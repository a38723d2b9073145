"""Email: a citizen's mail piped in by the mail server (or fetched over IMAP) becomes a ticket;
the answer goes back over real SMTP, threaded, and the citizen's answer to it joins the same
ticket. Automatic mail, oversized mail and HTML are dealt with safely."""

from __future__ import annotations

import email
import email.policy
import io
import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.db import OperationalError

from motcua.core.tests import samples
from motcua.hotline import replies
from motcua.hotline.actions import answer_ticket
from motcua.hotline.channels.email import MAX_EMAIL_BYTES, parse_email, receive_email
from motcua.hotline.channels.email.reading import trim_quoted
from motcua.hotline.models import Delivery, Ticket, TicketMessage
from motcua.hotline.status import TicketStatus

pytestmark = pytest.mark.django_db

HOTLINE = "1022@dongthap.gov.vn"
PDF = samples.PDF


def mail(
    body: str = "Cho tôi hỏi thủ tục cấp lại giấy khai sinh bị mất cần những gì?",
    *,
    subject: str = "Hỏi về cấp lại giấy khai sinh",
    sender: str = "Nguyễn Văn An <an@example.vn>",
    html: str = "",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = HOTLINE
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.vn")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if html:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    return message


def pipe(raw: bytes) -> str:
    """What the mail server's pipe transport does: the message on the command's stdin."""
    out = io.StringIO()
    call_command("hotline_receive_email", stdin=io.BytesIO(raw), stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def email_on(settings: Any) -> None:
    settings.HOTLINE_EMAIL_ENABLED = True
    settings.HOTLINE_EMAIL_ADDRESS = HOTLINE
    settings.DEFAULT_FROM_EMAIL = "Một cửa Đồng Tháp <motcua@dongthap.gov.vn>"


@dataclass
class SmtpInbox:
    refuse: str = ""  # e.g. "550 5.1.1 No such mailbox", answered to RCPT TO
    envelopes: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    inbox, port = SmtpInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    try:
        yield inbox
    finally:
        controller.stop()


def test_mail_in_answer_out_and_the_citizens_answer_joins_the_ticket(
    smtp_server, operator_ha, django_capture_on_commit_callbacks
):
    question = mail()
    assert "Đã nhận vào phản ánh 1022-" in pipe(question.as_bytes())
    ticket = Ticket.objects.get(contact__email="an@example.vn")
    assert ticket.channel == "email"
    assert ticket.contact.name == "Nguyễn Văn An"
    assert ticket.subject == "Hỏi về cấp lại giấy khai sinh"
    assert "giấy khai sinh bị mất" in ticket.body

    with django_capture_on_commit_callbacks(execute=True):
        reply = answer_ticket(
            ticket=ticket, user=operator_ha, body="Ông mang CCCD đến UBND xã nơi đã đăng ký."
        )
    reply.refresh_from_db()
    assert reply.delivery == Delivery.SENT
    [sent] = smtp_server.messages
    assert smtp_server.envelopes[0].rcpt_tos == ["an@example.vn"]
    assert sent["Subject"].strip() == f"Re: Hỏi về cấp lại giấy khai sinh [{ticket.code}]"
    assert sent["From"].addresses[0].addr_spec == HOTLINE
    assert sent["In-Reply-To"] == question["Message-ID"]
    assert sent["References"] == question["Message-ID"]
    assert sent["Auto-Submitted"] == "auto-replied"
    assert (
        sent["Message-ID"]
        == reply.provider_message_id
        == f"<ticket-reply.{reply.pk}@dongthap.gov.vn>"
    )
    assert "Ông mang CCCD" in sent.get_content()

    answer = mail(
        "Xã đã sáp nhập thì tôi nộp ở đâu?\n\n"
        f"Vào 25/11/2026 lúc 09:00 Tổng đài 1022 <{HOTLINE}> đã viết:\n> Ông mang CCCD đến UBND xã",
        subject=sent["Subject"],
        In_Reply_To=sent["Message-ID"],  # found through the reply's provider_message_id
    )
    pipe(answer.as_bytes())
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW  # reopened, back in the 1022 queue
    latest = ticket.messages.filter(direction="in").last()
    assert latest.body == "Xã đã sáp nhập thì tôi nộp ở đâu?"
    assert Ticket.objects.filter(contact__email="an@example.vn").count() == 1


def test_a_second_reply_references_the_whole_thread(smtp_server, operator_ha):
    first = receive_email(mail().as_bytes())
    reply = answer_ticket(ticket=first.ticket, user=operator_ha, body="Trả lời lần một.")
    replies.deliver(reply.pk)
    again = mail("Cảm ơn, còn lệ phí?", In_Reply_To=reply_id(reply))
    second = receive_email(again.as_bytes())
    assert second.ticket == first.ticket
    answer = answer_ticket(ticket=first.ticket, user=operator_ha, body="Miễn lệ phí.")
    replies.deliver(answer.pk)
    last = smtp_server.messages[-1]
    assert last["In-Reply-To"] == again["Message-ID"]
    assert last["References"].split() == [
        first.message.external_id,
        reply_id(reply),
        again["Message-ID"],
    ]


def reply_id(reply: TicketMessage) -> str:
    reply.refresh_from_db()
    return reply.provider_message_id


def test_the_same_mail_twice_is_stored_once():
    raw = mail().as_bytes()
    pipe(raw)
    assert "trước đó" in pipe(raw)
    assert TicketMessage.objects.filter(channel="email").count() == 1


def test_mail_without_message_id_is_still_stored_once():
    raw = mail().as_bytes().replace(b"Message-ID:", b"X-Old-Id:")
    first, second = receive_email(raw), receive_email(raw)
    assert second.duplicate and second.message == first.message
    assert first.message.external_id.endswith("@no-message-id.invalid>")


def test_mail_over_25_mb_is_refused_with_a_data_error():
    raw = mail("x" * 100).as_bytes() + b"y" * MAX_EMAIL_BYTES
    with pytest.raises(CommandError) as refused:
        pipe(raw)
    assert refused.value.returncode == 65
    assert not Ticket.objects.filter(channel="email").exists()


def test_unreadable_input_is_a_data_error_and_a_database_fault_a_temporary_one(monkeypatch):
    with pytest.raises(CommandError) as garbage:
        pipe(b"this is not an email at all")
    assert garbage.value.returncode == 65

    def down(raw: bytes) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(
        "motcua.hotline.management.commands.hotline_receive_email.receive_email", down
    )
    with pytest.raises(CommandError) as fault:
        pipe(mail().as_bytes())
    assert fault.value.returncode == 75


def test_with_the_channel_off_the_mail_server_keeps_the_mail(settings):
    settings.HOTLINE_EMAIL_ENABLED = False
    with pytest.raises(CommandError) as off:
        pipe(mail().as_bytes())
    assert off.value.returncode == 75


def test_html_only_mail_is_stored_as_text_without_the_script():
    html = (
        "<html><head><style>p{color:red}</style></head><body>"
        "<p>Đường liên ấp 3 bị sạt lở&nbsp;nặng.</p><script>alert('x')</script>"
        "<div>Đề nghị xử lý &amp; cắm biển báo.</div></body></html>"
    )
    result = receive_email(mail(html=html).as_bytes())
    assert result.message.body == "Đường liên ấp 3 bị sạt lở nặng.\n\nĐề nghị xử lý & cắm biển báo."


def test_vietnamese_encoded_subject_and_windows_1258_body_are_decoded():
    raw = (
        b"From: =?utf-8?b?VHLhuqduIFRo4buLIELDrG5o?= <binh@example.vn>\r\n"
        b"To: 1022@dongthap.gov.vn\r\n"
        b"Subject: =?utf-8?q?Tr=E1=BA=A3_l=E1=BB=9Di=3A_H=E1=BB=8Fi_v=E1=BB=81?=\r\n"
        b" =?utf-8?q?_c=C4=83n_c=C6=B0=E1=BB=9Bc?=\r\n"
        b"Message-ID: <cp1258@example.vn>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=windows-1258\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Xin ho\xd2i la\xccm c\xe3n c\xfd\xf5\xecc"  # tone marks as combining characters
    )
    message = parse_email(raw)
    assert message.subject == "Hỏi về căn cước"  # "Trả lời:" dropped
    assert message.sender_name == "Trần Thị Bình"
    assert receive_email(raw).message.body == "Xin hỏi làm căn cước"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X_Autoreply": "yes"},
        {"sender": f"Tổng đài 1022 <{HOTLINE}>"},
    ],
)
def test_automatic_and_own_mail_is_ignored(headers):
    assert "Bỏ qua" in pipe(mail("Tôi đang nghỉ phép đến 30/11.", **headers).as_bytes())
    assert not Ticket.objects.filter(channel="email").exists()


def test_reply_to_names_the_person_and_pdf_attachments_are_kept():
    message = mail(Reply_To="Lê Thị Cúc <cuc@example.vn>")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="to-khai.pdf")
    message.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="x-msdownload", filename="a.exe"
    )
    result = receive_email(message.as_bytes())
    assert result.ticket.contact.email == "cuc@example.vn"
    assert [a.name for a in result.message.attachments.all()] == ["to-khai.pdf"]


def test_quoted_earlier_messages_are_trimmed_where_marked():
    top = (
        "Cảm ơn.\n\nOn Mon, 2 Mar 2026 at 08:00, 1022 <1022@dongthap.gov.vn>\nwrote:\n> Trả lời cũ"
    )
    assert trim_quoted(top) == "Cảm ơn."
    below = "> Ông mang CCCD?\nVâng, có mang.\n> Và hộ khẩu?\nKhông còn cần."
    assert trim_quoted(below) == "Vâng, có mang.\nKhông còn cần."
    own = "Vào ngày 5/3 tôi đã viết:\nđơn xin cấp lại sổ đỏ."
    assert trim_quoted(own) == own


def test_smtp_550_fails_the_reply_and_451_retries_it(smtp_server, operator_ha):
    ticket = receive_email(mail().as_bytes()).ticket
    smtp_server.refuse = "451 4.3.0 Try again later"
    reply = answer_ticket(ticket=ticket, user=operator_ha, body="Trả lời.")
    assert replies.deliver(reply.pk).status == "retrying"
    smtp_server.refuse = "550 5.1.1 No such mailbox"
    TicketMessage.objects.filter(pk=reply.pk).update(next_attempt_at=reply.at)
    assert replies.deliver(reply.pk).status == "failed"
    reply.refresh_from_db()
    assert reply.delivery == Delivery.FAILED and "550" in reply.last_error
    assert smtp_server.envelopes == []


def test_a_contact_without_email_fails_the_reply_at_once(smtp_server, operator_ha):
    ticket = receive_email(mail().as_bytes()).ticket
    type(ticket.contact).objects.filter(pk=ticket.contact_id).update(email="")
    reply = answer_ticket(ticket=ticket, user=operator_ha, body="Trả lời.")
    assert replies.deliver(reply.pk).status == "failed"


# --- IMAP --------------------------------------------------------------------------------


class FakeImap(socketserver.ThreadingTCPServer):
    """Just enough IMAP4rev1 on loopback for ``hotline_fetch_mail``: LOGIN, SELECT,
    UID SEARCH UNSEEN, UID FETCH (BODY.PEEK[]), UID STORE +FLAGS, LOGOUT."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, messages: list[bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _ImapHandler)
        self.messages = {str(uid): raw for uid, raw in enumerate(messages, start=1)}
        self.flags: dict[str, set[str]] = {uid: set() for uid in self.messages}
        threading.Thread(target=self.serve_forever, daemon=True).start()


class _ImapHandler(socketserver.StreamRequestHandler):
    server: FakeImap

    def handle(self) -> None:
        self.send(b"* OK fake IMAP4rev1 ready")
        while line := self.rfile.readline():
            tag, command, *args = line.decode().strip().split(" ")
            command = command.upper()
            if command == "UID":
                command, *args = [args[0].upper(), *args[1:]]
            answer = getattr(self, f"do_{command.lower()}", None)
            if answer is None:
                self.send(f"{tag} BAD unknown command".encode())
                continue
            self.send(*answer(args), f"{tag} OK done".encode())
            if command == "LOGOUT":
                return

    def send(self, *lines: bytes) -> None:
        self.wfile.write(b"".join(line + b"\r\n" for line in lines))

    def do_capability(self, args: list[str]) -> list[bytes]:
        return [b"* CAPABILITY IMAP4rev1"]

    def do_login(self, args: list[str]) -> list[bytes]:
        return []

    def do_select(self, args: list[str]) -> list[bytes]:
        return [f"* {len(self.server.messages)} EXISTS".encode()]

    def do_search(self, args: list[str]) -> list[bytes]:
        unseen = [uid for uid, flags in self.server.flags.items() if "\\Seen" not in flags]
        return [" ".join(["* SEARCH", *unseen]).encode()]

    def do_fetch(self, args: list[str]) -> list[bytes]:
        uid, raw = args[0], self.server.messages[args[0]]
        return [f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}".encode() + b"\r\n" + raw + b")"]

    def do_store(self, args: list[str]) -> list[bytes]:
        self.server.flags[args[0]].update(" ".join(args[2:]).strip("()").split())
        return []

    def do_logout(self, args: list[str]) -> list[bytes]:
        return [b"* BYE"]


@pytest.fixture
def imap(settings: Any) -> Iterator[FakeImap]:
    server = FakeImap([mail().as_bytes(), mail(Auto_Submitted="auto-replied").as_bytes(), b"?"])
    settings.HOTLINE_IMAP_HOST, settings.HOTLINE_IMAP_PORT = server.server_address
    settings.HOTLINE_IMAP_SSL = False
    settings.HOTLINE_IMAP_USER, settings.HOTLINE_IMAP_PASSWORD = "1022", "secret"
    yield server
    server.shutdown()
    server.server_close()


def test_fetch_mail_stores_unseen_mail_and_marks_it_seen_after(imap):
    out = io.StringIO()
    call_command("hotline_fetch_mail", "--once", stdout=out)
    assert out.getvalue().strip() == "stored=1 duplicates=0 ignored=1 refused=1 failed=0"
    assert imap.flags == {"1": {"\\Seen"}, "2": {"\\Seen"}, "3": {"\\Seen", "\\Flagged"}}
    assert Ticket.objects.filter(contact__email="an@example.vn").count() == 1
    imap.flags["1"].clear()  # a crash before the flag was set: the message is read again
    call_command("hotline_fetch_mail", "--once", stdout=out)
    assert "duplicates=1" in out.getvalue()
    assert TicketMessage.objects.filter(channel="email").count() == 1


def test_fetch_mail_refuses_to_run_with_the_channel_off(settings, imap):
    settings.HOTLINE_EMAIL_ENABLED = False
    with pytest.raises(CommandError, match="HOTLINE_EMAIL_ENABLED"):
        call_command("hotline_fetch_mail", "--once")
