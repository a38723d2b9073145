"""The agencies' keys and their leaders' personal keys. Only where a key is and the NAME of
the variable holding its secret are stored; the admin shows whether the signing process sees
that variable, never its value."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.signing.models import SigningKey


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = [
        "signer_name",
        "agency",
        "user",
        "kind",
        "purpose",
        "active",
        "secret_env",
        "secret_seen",
    ]
    list_filter = ["active", "kind", "purpose"]
    search_fields = ["signer_name", "agency__name", "agency__code", "token_label", "key_label"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "agency",
                    "purpose",
                    "user",
                    "active",
                    "signer_name",
                    "signer_title",
                    "stamp_text",
                ]
            },
        ),
        (_("Khóa"), {"fields": ["kind", "secret_env"]}),
        (_("Tệp PKCS#12"), {"fields": ["pkcs12_path"]}),
        (
            _("Thiết bị PKCS#11"),
            {
                "fields": [
                    "pkcs11_module",
                    "token_label",
                    "key_label",
                    "cert_label",
                    "certificate_path",
                ]
            },
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(boolean=True, description=_("máy chủ web thấy biến bí mật"))
    def secret_seen(self, key: SigningKey) -> bool:
        return key.secret_is_set
