"""A ticket's attachments for the people who work it: ``/tong-dai/<code>/tep/<attachment_id>/``
(docs/decisions/files.md).

Whoever sees the ticket (``access.ticket_for_user``) may open the files its messages carry;
anyone else gets the same 404 as for a ticket that does not exist. An attachment is looked up
among that ticket's messages only, never by id alone.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from motcua.core import files
from motcua.hotline import access
from motcua.hotline.access import HotlineScope
from motcua.hotline.console.views import hotline_staff
from motcua.hotline.models import TicketAttachment


@hotline_staff()
@require_GET
def attachment(
    request: HttpRequest, code: str, attachment_id: int, scope: HotlineScope
) -> HttpResponseBase:
    ticket = access.ticket_for_user(request.user, code, scope)
    found = (
        TicketAttachment.objects.filter(message__ticket=ticket, pk=attachment_id)
        .exclude(file="")
        .first()
    )
    if found is None:
        raise Http404(code)
    # The name the sender gave, without its extension: the content decides that.
    title = found.name.rsplit(".", 1)[0] if "." in found.name else found.name
    return files.download(stored=found.file, title=f"{ticket.code} {title}")
