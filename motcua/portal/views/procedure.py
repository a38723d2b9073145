"""The procedure page: what it is for, who may apply, documents, fees, time, where."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.catalog.models import OnlineMode
from motcua.catalog.queries import procedure_detail
from motcua.catalog.version_history import history
from motcua.portal.procedures import (
    applies_online,
    channel_facts,
    is_commune_procedure,
    notes,
    upload_slots,
)


@require_GET
def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_detail(code)
    if procedure is None:
        raise Http404(code)
    facts = channel_facts(procedure)
    return render(
        request,
        "portal/procedure.html",
        {
            "procedure": procedure,
            "channels": facts,
            "free": not any(f.fees for f in facts),
            "documents": [slot.document for slot in upload_slots(procedure)],
            "notes": notes(procedure),
            "results": list(procedure.results.all()),
            "desks": list(procedure.desks.filter(active=True).select_related("unit")),
            "commune": is_commune_procedure(procedure),
            "online": applies_online(procedure),
            "full_online": procedure.online_mode == OnlineMode.FULL,
            "versions": history(procedure),
        },
    )
