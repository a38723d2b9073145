"""The platforms ``manage.py fake_platform NAME`` runs by hand (docs/devtools.md): each one's
options, the banner that says how to point the site at it, and what it prints as it serves.

Options default to the site's own settings where it has them (``ZALO_*``, ``SMS_*`` …), else
to the fake's well-known development credentials, which the banner then prints; the site's
own secrets are never echoed.
"""

from __future__ import annotations

import abc
import argparse
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.devtools.fakes import messenger, national_portal, national_qa, oidc, sms, vnpay, zalo
from motcua.devtools.fakes.chat import ChatPlatform, SentMessage
from motcua.devtools.loopback import LoopbackServer

# A chat platform's side of its webhook: (webhook URL, user, text) → (HTTP status, message id).
Deliver = Callable[[str, str, str], tuple[int, str]]


class Platform(abc.ABC):
    name: ClassVar[str]
    port: ClassVar[int]
    help: ClassVar[str]

    def add_arguments(self, parser: CommandParser) -> None:  # noqa: B027 (optional hook)
        """The platform's own options, besides --host and --port; none by default."""

    @abc.abstractmethod
    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        """Serve until Ctrl-C."""


def serve(
    command: BaseCommand,
    fake: LoopbackServer,
    banner: Iterable[str],
    *,
    beside: Callable[[], None] | None = None,
) -> None:
    """Print the banner and serve ``fake`` until Ctrl-C, with ``beside`` running in another
    thread (typed messages)."""
    for line in banner:
        command.stdout.write(line)
    if beside is not None:
        threading.Thread(target=beside, daemon=True).start()
    try:
        fake.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


class Chat(Platform):
    """Zalo and Messenger: every reply the site sends is printed. With ``--webhook`` (the
    site's webhook address) each line typed, ``<user id>: <text>`` or just ``<text>``, goes to
    the site as a signed message from that person; a person must have written before the fake
    takes a reply to them, as on the real platform, so ``--meet ID`` introduces people who
    wrote before the fake started."""

    default_user: ClassVar[str]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--webhook", default="", help="địa chỉ webhook của trang")
        parser.add_argument("--meet", action="append", default=[], metavar="USER_ID")

    def chat(
        self,
        command: BaseCommand,
        api: ChatPlatform,
        banner: list[str],
        options: dict[str, Any],
        *,
        deliver: Deliver,
    ) -> None:
        api.on_message = lambda sent: _print_sent(command, sent)
        webhook = options["webhook"]
        typed = None
        if webhook:
            banner.append(
                _("Gõ «mã người dùng: nội dung» rồi Enter để gửi tin đến %(url)s")
                % {"url": webhook}
            )
            lines: Iterable[str] = options.get("stdin") or sys.stdin

            def typed() -> None:
                for line in lines:
                    _send_line(command, line, webhook, deliver, default=self.default_user)

        serve(command, api, banner, beside=typed)


class Zalo(Chat):
    name, port, default_user = "zalo", 8031, "zalo-dev-user"
    help = "Zalo OA API (ZALO_API_URL)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-id", default=settings.ZALO_APP_ID or zalo.DEV_APP_ID)
        parser.add_argument(
            "--secret", default=settings.ZALO_OA_SECRET_KEY or zalo.DEV_OA_SECRET_KEY
        )
        parser.add_argument("--token", default=settings.ZALO_ACCESS_TOKEN or zalo.DEV_ACCESS_TOKEN)
        super().add_arguments(parser)

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        app_id, secret, token = options["app_id"], options["secret"], options["token"]
        api = zalo.FakeZaloApi(
            app_id=app_id,
            oa_secret_key=secret,
            access_token=token,
            host=options["host"],
            port=options["port"],
        )
        api.meet(*options["meet"])
        if (secret, token) == (zalo.DEV_OA_SECRET_KEY, zalo.DEV_ACCESS_TOKEN):
            credentials = (
                f"ZALO_APP_ID={app_id} ZALO_OA_SECRET_KEY={secret} ZALO_ACCESS_TOKEN={token}"
            )
        else:  # the site's own secrets: never echoed
            credentials = _("ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN như của trang")
        banner = [
            _("Zalo OA API giả lập: %(url)s (Ctrl-C để dừng)") % {"url": api.url},
            f"ZALO_ENABLED=1 ZALO_API_URL={api.url} {credentials}",
        ]
        self.chat(command, api, banner, options, deliver=api.deliver_user_text)


class Messenger(Chat):
    """With ``--webhook`` it first makes Meta's subscription request."""

    name, port, default_user = "messenger", 8032, "1000000000000001"
    help = "Messenger Send API (FACEBOOK_GRAPH_URL)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--app-secret", default=settings.FACEBOOK_APP_SECRET or messenger.DEV_APP_SECRET
        )
        parser.add_argument(
            "--page-token",
            default=settings.FACEBOOK_PAGE_ACCESS_TOKEN or messenger.DEV_PAGE_ACCESS_TOKEN,
        )
        parser.add_argument(
            "--verify-token", default=settings.FACEBOOK_VERIFY_TOKEN or messenger.DEV_VERIFY_TOKEN
        )
        super().add_arguments(parser)

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        app_secret, page_token = options["app_secret"], options["page_token"]
        verify_token, webhook = options["verify_token"], options["webhook"]
        api = messenger.FakeMessengerApi(
            app_secret=app_secret,
            page_access_token=page_token,
            verify_token=verify_token,
            host=options["host"],
            port=options["port"],
        )
        api.meet(*options["meet"])
        if (app_secret, page_token, verify_token) == (
            messenger.DEV_APP_SECRET,
            messenger.DEV_PAGE_ACCESS_TOKEN,
            messenger.DEV_VERIFY_TOKEN,
        ):
            credentials = (
                f"FACEBOOK_APP_SECRET={app_secret} FACEBOOK_PAGE_ACCESS_TOKEN={page_token} "
                f"FACEBOOK_VERIFY_TOKEN={verify_token}"
            )
        else:  # the site's own secrets: never echoed
            credentials = _("các khoá FACEBOOK_* như của trang")
        banner = [
            _("Messenger Send API giả lập: %(url)s (Ctrl-C để dừng)") % {"url": api.url},
            f"FACEBOOK_ENABLED=1 FACEBOOK_GRAPH_URL={api.url} {credentials}",
        ]
        if webhook:
            try:
                subscribed = api.subscribe(webhook)
            except (OSError, ValueError):
                subscribed = False
            banner.append(
                _("Đăng ký webhook: được chấp nhận")
                if subscribed
                else _("Đăng ký webhook: bị từ chối hoặc không kết nối được")
            )
        self.chat(command, api, banner, options, deliver=api.deliver_user_text)


class NationalQa(Platform):
    """``--sample`` asks a few questions to pull; every answer that arrives is printed."""

    name, port = "national-qa", 8026
    help = "Hỏi đáp Cổng DVC quốc gia (NATIONAL_QA_URL)"
    # (title, content, asker's name, email, phone)
    samples: ClassVar[list[tuple[str, str, str, str, str]]] = [
        (
            "Cấp lại giấy khai sinh bị mất",
            "Tôi bị mất giấy khai sinh bản chính, xin hỏi cấp lại ở đâu và cần giấy tờ gì?",
            "Nguyễn Văn An",
            "an@example.vn",
            "",
        ),
        (
            "Thời gian cấp phiếu lý lịch tư pháp",
            "Xin cho biết làm phiếu lý lịch tư pháp số 1 mất bao nhiêu ngày và lệ phí bao nhiêu?",
            "Trần Thị Bình",
            "",
            "0912345678",
        ),
        (
            "Đăng ký hộ kinh doanh trực tuyến",
            "Đăng ký hộ kinh doanh qua mạng có cần nộp bản giấy nữa không?",
            "Lê Văn Cường",
            "cuong@example.vn",
            "",
        ),
    ]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--client-id", default=settings.NATIONAL_QA_CLIENT_ID or national_qa.DEV_CLIENT_ID
        )
        parser.add_argument(
            "--secret", default=settings.NATIONAL_QA_SECRET or national_qa.DEV_SECRET
        )
        parser.add_argument("--sample", action="store_true", help="đặt sẵn vài câu hỏi mẫu")

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        def show(answer: national_qa.ReceivedAnswer) -> None:
            command.stdout.write(
                f"[{answer.answer_ref}] {answer.question_id} ← {answer.answered_by}: "
                f"{answer.content}"
            )

        portal = national_qa.FakeNationalQa(
            client_id=options["client_id"],
            secret=options["secret"],
            host=options["host"],
            port=options["port"],
            on_answer=show,
        )
        if options["sample"]:
            for title, content, name, email, phone in self.samples:
                portal.add_question(title, content, name=name, email=email, phone=phone)
        banner = [
            _("Hỏi đáp Cổng DVC quốc gia giả lập: %(url)s (Ctrl-C để dừng)") % {"url": portal.url}
        ]
        serve(command, portal, banner)


class NationalPortal(Platform):
    """The national portal's data-sharing interface: every dossier, progress step and rating
    row it receives is printed, with every refusal and injected failure. ``--catalogue PATH``
    serves a catalogue export (JSON lines) to the catalogue pull, ``--sample`` the first
    procedures of the one shipped with motcua; ``--fail-rate`` makes that share of requests
    fail at random."""

    name, port = "national-portal", 8027
    help = "Cổng DVC quốc gia: đồng bộ hồ sơ và danh mục (NATIONAL_PORTAL_*_URL)"
    sample_size = 50

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--username", default=settings.NATIONAL_PORTAL_USERNAME or national_portal.DEV_USERNAME
        )
        parser.add_argument(
            "--password", default=settings.NATIONAL_PORTAL_PASSWORD or national_portal.DEV_PASSWORD
        )
        parser.add_argument(
            "--dstcode", default=settings.NATIONAL_PORTAL_DSTCODE or national_portal.DEV_DSTCODE
        )
        parser.add_argument(
            "--unit-code",
            default=settings.NATIONAL_PORTAL_UNIT_CODE or national_portal.DEV_UNIT_CODE,
        )
        catalogue = parser.add_mutually_exclusive_group()
        catalogue.add_argument(
            "--catalogue", default="", metavar="PATH", help="tệp danh mục TTHC (.jsonl, .jsonl.gz)"
        )
        catalogue.add_argument(
            "--sample",
            action="store_true",
            help=f"danh mục gồm {self.sample_size} thủ tục đầu của tệp kèm theo motcua",
        )
        parser.add_argument(
            "--fail-rate",
            type=_fraction,
            default=0.0,
            metavar="FRACTION",
            help="tỉ lệ yêu cầu lỗi ngẫu nhiên, từ 0 đến 1 (HTTP 500, mất kết nối, trả lời chậm)",
        )
        parser.add_argument("--seed", type=int, default=0, help="hạt giống của lỗi ngẫu nhiên")

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        portal = national_portal.FakeNationalPortal(
            username=options["username"],
            password=options["password"],
            dstcode=options["dstcode"],
            unit_code=options["unit_code"],
            host=options["host"],
            port=options["port"],
            on_event=command.stdout.write,
        )
        if options["catalogue"]:
            portal.load_catalogue(options["catalogue"])
        elif options["sample"]:
            portal.load_catalogue(national_portal.CATALOGUE_EXPORT, limit=self.sample_size)
        if options["fail_rate"]:
            portal.fail_rate(options["fail_rate"], seed=options["seed"])
        settings_line = (
            f"NATIONAL_PORTAL_ENABLED=1 NATIONAL_PORTAL_AUTH_URL={portal.auth_url} "
            f"NATIONAL_PORTAL_SYNC_URL={portal.sync_url} "
            f"NATIONAL_PORTAL_SHARE_URL={portal.share_url} "
            f"NATIONAL_PORTAL_USERNAME={portal.username}"
        )
        if portal.password == national_portal.DEV_PASSWORD:
            settings_line += f" NATIONAL_PORTAL_PASSWORD={portal.password}"
        settings_line += (
            f" NATIONAL_PORTAL_DSTCODE={portal.dstcode} "
            f"NATIONAL_PORTAL_UNIT_CODE={portal.unit_code}"
        )
        banner = [
            _("Cổng DVC quốc gia giả lập: %(url)s (Ctrl-C để dừng)") % {"url": portal.url},
            settings_line,
        ]
        if portal.password != national_portal.DEV_PASSWORD:  # the site's own: never echoed
            banner.append(_("NATIONAL_PORTAL_PASSWORD như của trang"))
        banner.append(
            _("Danh mục: %(procedures)d thủ tục, %(sectors)d lĩnh vực")
            % {"procedures": len(portal.procedure_codes()), "sectors": len(portal.sectors())}
        )
        if options["fail_rate"]:
            banner.append(
                _("Lỗi ngẫu nhiên: %(percent)s%% yêu cầu")
                % {"percent": f"{options['fail_rate'] * 100:g}"}
            )
        serve(command, portal, banner)


class Sms(Platform):
    """Every message that arrives is printed."""

    name, port = "sms", 8025
    help = "cổng SMS brandname (SMS_GATEWAY_URL)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--api-key", default=settings.SMS_API_KEY or sms.DEV_API_KEY)
        parser.add_argument("--secret", default=settings.SMS_SECRET or sms.DEV_SECRET)

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        def show(message: sms.ReceivedSms) -> None:
            command.stdout.write(
                f"[{message.message_id}] {message.brandname} → {message.phone}: {message.message}"
            )

        gateway = sms.FakeSmsGateway(
            api_key=options["api_key"],
            secret=options["secret"],
            host=options["host"],
            port=options["port"],
            on_message=show,
        )
        url = f"{gateway.url}{sms.SEND_PATH}"
        serve(command, gateway, [f"Cổng SMS giả lập: {url} (Ctrl-C để dừng)"])


class Payment(Platform):
    """It calls the site's IPN at ``{MOTCUA_PUBLIC_URL}/thanh-toan/vnpay/ipn/`` unless
    ``--ipn-url`` says otherwise, and prints every payment and IPN answer."""

    name, port = "payment", 8030
    help = "cổng thanh toán VNPAY (VNPAY_PAYMENT_URL)"
    ipn_path = "/thanh-toan/vnpay/ipn/"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tmn-code", default=settings.VNPAY_TMN_CODE or vnpay.DEV_TMN_CODE)
        parser.add_argument(
            "--hash-secret", default=settings.VNPAY_HASH_SECRET or vnpay.DEV_HASH_SECRET
        )
        parser.add_argument("--ipn-url", default=f"{settings.MOTCUA_PUBLIC_URL}{self.ipn_path}")
        parser.add_argument(
            "--ipn",
            choices=["before", "after", "never"],
            default="before",
            help="gọi IPN trước hay sau khi chuyển trình duyệt về, hoặc không gọi",
        )
        parser.add_argument("--ipn-times", type=int, default=1, help="số lần gọi IPN")
        parser.add_argument(
            "--tamper-amount", type=int, default=0, help="cộng thêm vào số tiền trả về (đồng)"
        )

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        gateway = vnpay.FakeVnpayGateway(
            tmn_code=options["tmn_code"],
            hash_secret=options["hash_secret"],
            ipn_url=options["ipn_url"],
            host=options["host"],
            port=options["port"],
            ipn=options["ipn"],
            ipn_times=options["ipn_times"],
            tamper_amount_vnd=options["tamper_amount"],
            on_event=command.stdout.write,
        )
        banner = [
            f"Cổng thanh toán giả lập: {gateway.payment_url} (Ctrl-C để dừng)",
            f"IPN: {gateway.ipn_url}",
        ]
        serve(command, gateway, banner)


class Oidc(Platform):
    """It signs in at once as a fixed test person (``oidc.DEV_PERSON``), so the "Đăng nhập
    bằng VNeID" button works end to end with the settings it prints."""

    name, port = "oidc", 8040
    help = "nhà cung cấp định danh OpenID Connect (OIDC_ISSUER)"

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        provider = oidc.FakeOidcProvider(
            client_id=oidc.DEV_CLIENT_ID,
            client_secret=oidc.DEV_CLIENT_SECRET,
            host=options["host"],
            port=options["port"],
        )
        banner = [
            f"Nhà cung cấp định danh giả lập: {provider.issuer}",
            "Chạy trang web với:",
            f"  OIDC_ENABLED=1 OIDC_ISSUER={provider.issuer} "
            f"OIDC_CLIENT_ID={oidc.DEV_CLIENT_ID} OIDC_CLIENT_SECRET={oidc.DEV_CLIENT_SECRET}",
        ]
        serve(command, provider, banner)


PLATFORMS: dict[str, Platform] = {
    platform.name: platform
    for platform in (
        Zalo(),
        Messenger(),
        NationalQa(),
        NationalPortal(),
        Sms(),
        Payment(),
        Oidc(),
    )
}


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(_("phải là một số từ 0 đến 1"))
    return value


def _send_line(
    command: BaseCommand, line: str, webhook: str, deliver: Deliver, *, default: str
) -> None:
    user, colon, text = line.strip().partition(": ")
    if not colon or not user or " " in user:
        user, text = default, line.strip()
    if not text:
        return
    try:
        status, message_id = deliver(webhook, user, text)
    except (OSError, ValueError) as exc:  # the site is down, or the address is not http(s)
        command.stderr.write(_("Không gửi được đến webhook: %(error)s") % {"error": exc})
        return
    command.stdout.write(f"→ [{message_id}] {user}: HTTP {status}")


def _print_sent(command: BaseCommand, sent: SentMessage) -> None:
    command.stdout.write(f"[{sent.message_id}] ← {sent.recipient}: {sent.text}")
