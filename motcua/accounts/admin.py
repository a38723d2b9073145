"""Citizen profiles in the admin: found by name, phone, email or ID number, to help a citizen
at the desk. What proves who the citizen is (the phone, the email, the ID number, their
verification flags and the provider link) is not edited by hand: a changed number would keep
its "verified" flag and open someone else's dossiers or account (docs/security.md). The
citizen changes them on their profile page, with a code or through VNeID."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.accounts.models import CitizenProfile


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "phone",
        "verified_phone",
        "email",
        "verified_email",
        "id_number",
        "id_verified",
        "created_at",
    ]
    list_filter = ["verified_phone", "verified_email", "id_verified"]
    search_fields = ["full_name", "phone", "email", "id_number"]
    readonly_fields = [
        "user",
        "phone",
        "email",
        "id_number",
        "verified_phone",
        "verified_email",
        "id_verified",
        "oidc_issuer",
        "oidc_subject",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are opened by citizens themselves
