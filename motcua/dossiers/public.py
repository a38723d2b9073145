"""The public lookup of a dossier by its code (M15): no login, personal data masked."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from motcua.dossiers.models import Dossier

PUBLIC_FIELDS = (
    "code",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "applicant_name",
    "procedure__name",
    "procedure__code",
    "desk__name",
)


def mask_name(name: str) -> str:
    """Family name kept, other names reduced to initials: "Nguyễn Văn An" → "Nguyễn V. A."."""
    words = name.split()
    if len(words) <= 1:
        return (name[:1] + "***") if name else ""
    return " ".join([words[0], *(f"{w[:1]}." for w in words[1:])])


def lookup_url(code: str) -> str:
    """The absolute address printed (as a QR code) on every form of the dossier."""
    return f"{settings.MOTCUA_PUBLIC_URL}{reverse('public-lookup', args=[code])}"


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def over_rate_limit(request: HttpRequest, *, scope: str = "lookup") -> bool:
    """A fixed one-minute window per client address, in the shared cache (Redis in
    production, so every web process counts together)."""
    key = f"rate:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, timeout=60)
        return False
    return count > settings.LOOKUP_RATE_PER_MINUTE


def find_public(code: str) -> Dossier | None:
    return (
        Dossier.objects.filter(code=code.strip())
        .select_related("procedure", "desk")
        .only(*PUBLIC_FIELDS)
        .first()
    )


def lookup_page(request: HttpRequest, code: str = "") -> HttpResponse:
    code = code or request.GET.get("ma", "").strip()
    if over_rate_limit(request):
        return render(request, "dossiers/public_lookup.html", {"limited": True}, status=429)
    dossier = find_public(code) if code else None
    context = {
        "code": code,
        "dossier": dossier,
        "applicant": mask_name(dossier.applicant_name) if dossier else "",
    }
    return render(
        request, "dossiers/public_lookup.html", context, status=200 if dossier or not code else 404
    )
