"""Staff downloads of a dossier's files: ``/ho-so/<code>/giay-to/<document_id>/`` (a received
or uploaded document's digitised copy) and ``/ho-so/<code>/ket-qua/<result_id>/`` (an
electronic result). docs/decisions/files.md.

Whoever sees the dossier (``access.dossier_for_user``) may open its files; anyone else gets
the same 404 as for a dossier that does not exist. A file's id means something only inside
its dossier: it is looked up among that dossier's files, never by id alone.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from motcua.core import files
from motcua.dossiers.access import dossier_for_user


@login_required
@require_GET
def document_file(request: HttpRequest, code: str, document_id: int) -> HttpResponseBase:
    dossier = dossier_for_user(request.user, code)
    document = dossier.documents.exclude(file="").filter(pk=document_id).first()
    if document is None:
        raise Http404(code)
    return files.download(stored=document.file, title=f"{dossier.code} {document.name}")


@login_required
@require_GET
def result_file(request: HttpRequest, code: str, result_id: int) -> HttpResponseBase:
    dossier = dossier_for_user(request.user, code)
    result = dossier.results.exclude(file="").filter(pk=result_id).first()
    if result is None:
        raise Http404(code)
    # Staff see the signed copy once there is one, the upload before (docs/signatures.md).
    stored = result.published_file or result.file
    return files.download(stored=stored, title=f"{dossier.code} {result.name}")
