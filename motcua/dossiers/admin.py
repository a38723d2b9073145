"""The admin screens of the dossier app: API tokens (see, revoke). Dossiers themselves are
changed only through their actions, never in the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core.admin import ReadOnlyAdmin
from motcua.dossiers import signatures
from motcua.dossiers.models import ApiToken, ResultSigning


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "revoked"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is shown once, when created: `manage.py create_api_token`.
        return False

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(
            request, _("Đã thu hồi %(n)s mã truy cập.") % {"n": count}, messages.SUCCESS
        )


@admin.register(ResultSigning)
class ResultSigningAdmin(ReadOnlyAdmin):
    """The signing outbox (docs/signatures.md): what was signed, what waits (retrying after
    the timestamp authority or the token was away), what failed with its error; "Ký lại"
    once the key or its secret is fixed. Rows change only through the outbox."""

    list_display = ["created_at", "result", "key", "status", "attempts", "level", "sent_at"]
    list_filter = ["status", "maybe_duplicate", "level"]
    fields = [
        "result",
        "key",
        "status",
        "attempts",
        "attempted_at",
        "maybe_duplicate",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "level",
        "provider_message_id",
    ]
    search_fields = ["result__dossier__code", "provider_message_id"]
    list_select_related = ["result__dossier", "key__agency"]
    actions = ["sign_again"]

    def has_sign_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("dossiers.change_resultsigning")

    @admin.action(description=_("Ký lại"), permissions=["sign_again"])
    def sign_again(self, request: HttpRequest, queryset: QuerySet[ResultSigning]) -> None:
        ids = signatures.sign_again(queryset)
        self.message_user(
            request,
            ngettext(
                "Đã đưa %(count)d lệnh ký số lỗi vào hàng chờ ký lại.",
                "Đã đưa %(count)d lệnh ký số lỗi vào hàng chờ ký lại.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS if ids else messages.WARNING,
        )
