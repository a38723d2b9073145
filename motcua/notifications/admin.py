"""The outbox in the admin: read-only, with "Gửi lại" for rows that failed. Bodies are shown
as stored, so a verification code is its placeholder; the sealed code is not shown."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core.admin import ReadOnlyAdmin
from motcua.notifications import outbox
from motcua.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "dossier",
        "kind",
        "channel",
        "recipient",
        "status",
        "attempts",
        "maybe_duplicate",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "maybe_duplicate", "kind", "channel"]
    # The message first, then its sending. The body as stored: a verification code shows as
    # its placeholder. The sealed copy of the code is never shown.
    fields = [
        "dossier",
        "event_seq",
        "idempotency_key",
        "kind",
        "channel",
        "recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "attempted_at",
        "maybe_duplicate",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "provider_message_id",
    ]
    exclude = ["sealed_secret"]
    search_fields = ["dossier__code", "recipient"]
    list_select_related = ["dossier"]
    date_hierarchy = "created_at"
    actions = ["resend"]

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_notification")

    @admin.action(description=_("Gửi lại"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = outbox.resend(queryset)
        self.message_user(
            request,
            ngettext(
                "Đã đưa %(count)d thông báo lỗi vào hàng chờ gửi lại.",
                "Đã đưa %(count)d thông báo lỗi vào hàng chờ gửi lại.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
