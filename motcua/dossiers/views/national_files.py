"""The files the National Public Service Portal fetches: ``/cong-dvc-quoc-gia/tep/<token>/``
(docs/decisions/files.md).

A dossier sent to the portal lists its documents' and results' files as addresses
(``DuongDanTaiTepTin``, ``DuongDanTepTinKetQua``), which the portal's servers fetch without
a session of ours. Each address carries a token signed with the site's key
(``national.payload.file_url``: the file's kind and id, no timestamp, so every send gives
the same address) and names that one file only: nobody can reach another file by changing
it. A token that does not verify, names another kind, a row without a file, or a result of
a dossier whose result was revoked is the same 404, never a 500. The file leaves through the
one door for files (``core.files.download``), as an attachment.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from motcua.core import files
from motcua.dossiers.models import DossierDocument, DossierResult
from motcua.dossiers.national.payload import FILE_SALT
from motcua.dossiers.status import DossierStatus

# Longer than any token ``file_url`` makes (a kind and an id, compressed and signed).
MAX_TOKEN_CHARS = 200


def _named(token: str) -> tuple[str, int]:
    """The (kind, id) ``token`` was signed for; Http404 when it was not signed by us."""
    if len(token) > MAX_TOKEN_CHARS:
        raise Http404("token")
    try:
        value: Any = signing.Signer(salt=FILE_SALT).unsign_object(token)
    except signing.BadSignature as bad:
        raise Http404("token") from bad
    if not isinstance(value, dict):
        raise Http404("token")
    kind, pk = value.get("k"), value.get("id")
    if not isinstance(kind, str) or not isinstance(pk, int) or isinstance(pk, bool):
        raise Http404("token")
    return kind, pk


@require_GET
def portal_file(request: HttpRequest, token: str) -> HttpResponseBase:
    kind, pk = _named(token)
    if kind == "document":
        document = (
            DossierDocument.objects.select_related("dossier")
            .exclude(file="")
            .filter(pk=pk)
            .only("name", "file", "dossier__code")
            .first()
        )
        if document is None:
            raise Http404("document")
        return files.download(
            stored=document.file, title=f"{document.dossier.code} {document.name}"
        )
    if kind == "result":
        result = (
            DossierResult.objects.select_related("dossier")
            .exclude(file="")
            .exclude(dossier__status=DossierStatus.REVOKED)
            .filter(pk=pk)
            .only("name", "file", "signature", "signed_file", "dossier__code")
            .first()
        )
        # The signed copy; none while the agency's signature is awaited (docs/signatures.md).
        stored = result.published_file if result is not None else None
        if result is None or stored is None:
            raise Http404("result")
        return files.download(stored=stored, title=f"{result.dossier.code} {result.name}")
    raise Http404("kind")
