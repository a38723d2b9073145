"""The hand-over record as printed (biên bản bàn giao hồ sơ; docs/postal.md "The hand-over"):
one template for the screen, the browser's print and WeasyPrint, on the printed forms' base
and fonts (``dossiers/printed``), dates dd/mm/yyyy and money as the forms write them."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from motcua.dossiers.printed.formatting import (
    Header,
    agency_header,
    dated_line,
    money,
    person_name,
    place_of,
    vn_date,
    vn_time,
)
from motcua.dossiers.printed.pdf import file_fonts, html_to_pdf
from motcua.postal.models import Handover, HandoverOutcome

TEMPLATE = "postal/handover_print.html"


def handover_context(handover: Handover) -> dict[str, Any]:
    items = list(handover.items.select_related("dossier__procedure", "order").order_by("position"))
    rows = [
        {
            "no": item.position,
            "code": item.dossier.code,
            "procedure": item.dossier.procedure.name,
            "applicant": item.dossier.applicant_name,
            "documents": item.documents,
            "originals": item.originals,
            "copies": item.copies,
            "cod": money(item.cod_vnd) if item.cod_vnd else "",
            "outcome": item.get_outcome_display() if handover.received else "",
            "missing": item.outcome == HandoverOutcome.MISSING,
        }
        for item in items
    ]
    header: Header = agency_header(handover.post_office)
    return {
        "header": header,
        "title": "Biên bản bàn giao hồ sơ",
        "number": handover.number,
        "dated": dated_line(place_of(handover.post_office.unit), handover.created_at),
        "handover": handover,
        "created": vn_time(handover.created_at),
        "created_date": vn_date(handover.created_at),
        "rows": rows,
        "dossiers": len(rows),
        "originals": sum(r["originals"] for r in rows),
        "copies": sum(r["copies"] for r in rows),
        "cod_total": money(handover.cod_total_vnd),
        "remitted": money(handover.remitted_vnd) if handover.received else "",
        "received": vn_time(handover.received_at) if handover.received_at else "",
        "deliverer": person_name(handover.created_by),
        "receiver": person_name(handover.received_by),
    }


def handover_pdf(handover: Handover) -> bytes:
    """The record as PDF (WeasyPrint, the forms' shipped fonts); PdfUnavailableError when
    the server cannot render PDF."""
    html = render_to_string(
        TEMPLATE, {**handover_context(handover), "fonts": file_fonts(), "for_pdf": True}
    )
    return html_to_pdf(html)
