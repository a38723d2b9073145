"""The portal's own data: a citizen's unfinished application and the files it holds.

The workflow models (dossier, documents, rating) belong to ``motcua.dossiers``; a draft
becomes a dossier only through ``dossiers.actions.submit_online``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers.models import Dossier


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Draft(models.Model):
    """One application in progress per citizen and procedure.

    ``submit_token`` is put in the form and consumed by a conditional UPDATE in the
    transaction that creates the dossier: a double click or a resubmitted page finds it
    gone and is shown the dossier already created (``dossier``) instead of making a second.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_drafts"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(_("nội dung đã nhập"), default=dict, blank=True)
    submit_token = models.CharField(max_length=64, default=new_token, blank=True)
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ đã nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        constraints = [
            models.UniqueConstraint(fields=["user", "procedure"], name="draft_one_per_procedure")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.procedure_id}"


class DraftFile(models.Model):
    """A document uploaded into a draft, already checked by content (``uploads.check``)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(RequiredDocument, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="portal/drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "document"], name="draft_file_per_document")
        ]

    def __str__(self) -> str:
        return self.original_name
