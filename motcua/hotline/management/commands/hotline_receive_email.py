"""``manage.py hotline_receive_email < message.eml``: store one email for the 1022 hotline.

For the mail server's pipe transport, e.g. in Postfix's master.cf::

    hotline unix - n n - - pipe
      flags=Rq user=motcua argv=/srv/motcua/.venv/bin/python /srv/motcua/manage.py
      hotline_receive_email

The exit status is what the mail server acts on (sysexits.h): 0 when the message is stored,
was stored before, or is ignored (an automatic reply); 65 (EX_DATAERR, bounced) when it
cannot be read or is over 25 MB; 75 (EX_TEMPFAIL, kept and tried again later) when the
database is unavailable, the email channel is off, or anything unexpected happens, so
no mail is lost to a passing fault.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from motcua.hotline.actions import ActionError
from motcua.hotline.channels.email import MAX_EMAIL_BYTES, receive_email

logger = logging.getLogger(__name__)

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Nhận một thư điện tử (RFC 822, từ đầu vào chuẩn) vào hàng đợi tổng đài 1022."
    stealth_options = ("stdin",)  # tests hand the message over without a pipe

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.HOTLINE_EMAIL_ENABLED:
            raise CommandError(
                _("Kênh thư điện tử của tổng đài đang tắt: đặt HOTLINE_EMAIL_ENABLED=1."),
                returncode=EX_TEMPFAIL,
            )
        stream = options.get("stdin") or sys.stdin
        raw = getattr(stream, "buffer", stream).read(MAX_EMAIL_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            result = receive_email(raw)
        except (ValueError, ActionError) as exc:
            raise CommandError(
                _("Thư không đọc được: %(error)s") % {"error": exc}, returncode=EX_DATAERR
            ) from exc
        except DatabaseError as exc:
            raise CommandError(
                _("Cơ sở dữ liệu chưa sẵn sàng, thư sẽ được gửi lại: %(error)s") % {"error": exc},
                returncode=EX_TEMPFAIL,
            ) from exc
        except Exception as exc:
            logger.exception("hotline_receive_email: unexpected error")
            raise CommandError(
                _("Lỗi khi nhận thư, thư sẽ được gửi lại: %(error)r") % {"error": exc},
                returncode=EX_TEMPFAIL,
            ) from exc
        if result is None:
            self.stdout.write(_("Bỏ qua thư tự động."))
        elif result.duplicate:
            self.stdout.write(_("Thư đã nhận trước đó (%(code)s).") % {"code": result.ticket.code})
        else:
            self.stdout.write(_("Đã nhận vào phản ánh %(code)s.") % {"code": result.ticket.code})
