"""``manage.py fake_platform tsa``: the timestamp authority by hand, with a test CA to sign
with (docs/devtools.md "Signing", docs/signatures.md). It writes the test CA under ``--dir``
(kept between runs), serves RFC 3161 on loopback, prints the settings that point the site at
it and a PKCS#12 key for an agency's ``SigningKey``, then one line per token issued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.devtools.fakes.tsa import FakeTimestampAuthority
from motcua.devtools.platforms import Platform, serve
from motcua.devtools.signing.pki import PKCS12_PASSPHRASE, make_test_pki

SECRET_ENV = "MOTCUA_DEV_SIGNING_SECRET"  # noqa: S105 (a variable's name, not its value)


class Tsa(Platform):
    name, port = "tsa", 8060
    help = "dịch vụ cấp dấu thời gian (RFC 3161) và CA thử nghiệm để ký số kết quả (MOTCUA_TSA_URL)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            default=".devtools/signing",
            help="thư mục ghi CA thử nghiệm (chứng thư gốc, khóa PKCS#12 của cơ quan)",
        )

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        directory = Path(options["dir"]).resolve()
        pki = make_test_pki(directory)
        fake = FakeTimestampAuthority(
            cert=pki.tsa.cert,
            key=pki.tsa.key,
            chain=(pki.root.cert,),
            host=options["host"],
            port=options["port"],
            on_issue=lambda: command.stdout.write(_("Đã cấp một dấu thời gian.")),
        )
        banner = [
            _("Dịch vụ dấu thời gian giả lập: %(url)s (Ctrl-C để dừng)") % {"url": fake.url},
            f"MOTCUA_TSA_URL={fake.url} MOTCUA_SIGNING_TRUST_ROOTS={pki.root.cert_path} "
            f"MOTCUA_SIGNING_FETCH_REVOCATION=0 {SECRET_ENV}={PKCS12_PASSPHRASE}",
            _(
                "Khóa ký số thử (thêm trong trang quản trị, «Khóa ký số»): tệp PKCS#12 "
                "%(path)s, biến môi trường %(env)s"
            )
            % {"path": pki.pkcs12_path, "env": SECRET_ENV},
        ]
        serve(command, fake, banner)
