"""The citizen's document store ("Kho giấy tờ", docs/document-store.md): the citizen's own
copies of the results they received and of the digitised documents they submitted.

An item refers to the dossier's document or result; it never copies the file. Deleting an
item (``deleted_at``) takes it out of the citizen's store only: the dossier's documents and
results are the agency's record and stay as the law requires. A deleted item is kept (and
its unique pair with it) so that a repeated side effect never brings it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier, DossierDocument
from motcua.dossiers.models.results import DossierResult


class StoredKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết")  # a result the agency issued to the citizen
    DOCUMENT = "document", _("Giấy tờ đã nộp")  # a digitised document the citizen submitted


class StoredDocument(models.Model):
    """One item of a citizen's store."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ kho"),
        on_delete=models.CASCADE,
        related_name="stored_documents",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=StoredKind.choices)
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ gốc"), on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        DossierDocument,
        verbose_name=_("giấy tờ gốc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    result = models.ForeignKey(
        DossierResult,
        verbose_name=_("kết quả gốc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.TextField(_("tên giấy tờ"))
    # Of the file as it was stored (the signed copy of a signed result), when known.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, default="")
    valid_from = models.DateField(_("hiệu lực từ"))
    # None: no end known ("không thời hạn").
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    added_at = models.DateTimeField(_("đưa vào kho lúc"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("công dân xóa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho")
        verbose_name_plural = _("kho giấy tờ của công dân")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "document"],
                condition=Q(document__isnull=False),
                name="stored_document_once",
            ),
            models.UniqueConstraint(
                fields=["owner", "result"],
                condition=Q(result__isnull=False),
                name="stored_result_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="result", result__isnull=False, document__isnull=True)
                | Q(kind="document", document__isnull=False, result__isnull=True),
                name="stored_one_source",
            ),
        ]
        # The store page: the owner's live items, newest first.
        indexes = [models.Index(fields=["owner", "deleted_at", "-added_at"], name="store_owner")]

    def __str__(self) -> str:
        return self.name


class StoreConsent(models.Model):
    """The citizen lets the reception desks attach items of their store to a dossier received
    for their ID number, until ``expires_at`` (or until withdrawn)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("công dân"),
        on_delete=models.CASCADE,
        related_name="store_consents",
    )
    granted_at = models.DateTimeField(_("đồng ý lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đồng ý cho dùng kho giấy tờ")
        verbose_name_plural = _("đồng ý cho dùng kho giấy tờ")

    def __str__(self) -> str:
        return f"{self.owner_id} {self.granted_at:%d/%m/%Y %H:%M}"


class StoreEventKind(models.TextChoices):
    ADDED = "added", _("Đưa vào kho")
    DELETED = "deleted", _("Công dân xóa khỏi kho")
    ATTACHED = "attached", _("Dùng cho hồ sơ mới")
    CONSENT_GRANTED = "consent_granted", _("Đồng ý cho cán bộ dùng kho")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Rút lại đồng ý")


class StoreEvent(models.Model):
    """The store's audit trail: what entered or left a citizen's store, which dossier used an
    item, each consent given or withdrawn; who did it and when. Rows are only added."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ kho"),
        on_delete=models.CASCADE,
        related_name="store_events",
    )
    kind = models.CharField(_("việc"), max_length=20, choices=StoreEventKind.choices)
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item = models.ForeignKey(
        StoredDocument,
        verbose_name=_("giấy tờ trong kho"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent = models.ForeignKey(
        StoreConsent,
        verbose_name=_("sự đồng ý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    class Meta:
        verbose_name = _("nhật ký kho giấy tờ")
        verbose_name_plural = _("nhật ký kho giấy tờ")
        indexes = [models.Index(fields=["owner", "at"], name="store_event_owner")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%d/%m/%Y %H:%M}"
