"""The admin screens of the dossier app: API tokens (see, revoke). Dossiers themselves are
changed only through their actions, never in the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApiToken


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
