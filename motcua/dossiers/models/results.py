"""A dossier's results and their signature state (docs/signatures.md)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier


class SignatureStatus(models.TextChoices):
    NONE = "", _("Không ký số")  # no file, not a PDF, or the agency has no key
    # The deciding step asks for its leader's personal signature first (``personal_step``);
    # the agency's job is queued once the leader has signed.
    AWAITING_LEADER = "leader", _("Chờ lãnh đạo ký số")
    AWAITING = "awaiting", _("Chờ ký số")  # a signing job is queued or retrying
    SIGNED = "signed", _("Đã ký số")  # signed_file holds the signed PDF


# A signature is still to come: nothing of the result is handed out, it is not returned.
UNSIGNED_YET = (SignatureStatus.AWAITING_LEADER, SignatureStatus.AWAITING)


class DossierResult(models.Model):
    """A result document issued for the dossier (giấy tờ kết quả). An electronic result in
    PDF is signed by the competent agency's key when it has one (docs/signatures.md): the
    upload stays in ``file``, the signed copy goes in ``signed_file`` and is what is served."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    name = models.TextField(_("tên kết quả"))
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    file = models.FileField(_("bản điện tử"), upload_to="results/%Y/%m/", blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), auto_now_add=True)
    # Defaults in the database too: the bulk simulator writes results by COPY with the
    # columns it knows (simulate/bulk/rows.py).
    signature = models.CharField(
        _("ký số"),
        max_length=10,
        choices=SignatureStatus.choices,
        blank=True,
        default="",
        db_default="",
    )
    signed_file = models.FileField(
        _("bản điện tử đã ký số"),
        upload_to="results/%Y/%m/",
        blank=True,
        default="",
        db_default="",
    )
    signed_sha256 = models.CharField(
        _("SHA-256 của bản đã ký"), max_length=64, blank=True, default="", db_default=""
    )
    signed_at = models.DateTimeField(_("ký số lúc"), null=True, blank=True)
    # The signing certificate's subject common name.
    signed_by = models.CharField(
        _("người ký (chứng thư số)"), max_length=255, blank=True, default="", db_default=""
    )
    # Set by ``revoke_result`` on every result of the dossier; the public verification
    # (``dossiers/verification.py``) then answers "Đã bị thu hồi" with both.
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True, default="", db_default="")
    # A leader's personal signature before the agency's (docs/signatures.md "A leader's
    # personal signature"): the step whose holder signs, and once signed, the PDF with that
    # one signature, which is what the agency's job signs on top of (an incremental update).
    personal_step = models.ForeignKey(
        "dossiers.DossierStep",
        verbose_name=_("bước lãnh đạo ký số"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_file = models.FileField(
        _("bản lãnh đạo đã ký số"),
        upload_to="results/%Y/%m/",
        blank=True,
        default="",
        db_default="",
    )
    personally_signed_at = models.DateTimeField(_("lãnh đạo ký số lúc"), null=True, blank=True)
    # The leader's certificate's subject common name.
    personally_signed_by = models.CharField(
        _("lãnh đạo ký (chứng thư số)"), max_length=255, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        indexes = [
            # The public verification finds an uploaded file's result by its fingerprint.
            models.Index(
                fields=["signed_sha256"],
                name="result_signed_sha256",
                condition=~models.Q(signed_sha256=""),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def awaiting_signature(self) -> bool:
        """Awaiting the agency's signing job."""
        return self.signature == SignatureStatus.AWAITING

    @property
    def awaiting_leader(self) -> bool:
        """Awaiting the personal signature of the leader holding ``personal_step``."""
        return self.signature == SignatureStatus.AWAITING_LEADER

    @property
    def published_file(self) -> Any:
        """The file to hand out: the signed copy once there is one; nothing while a signature
        is awaited (an unsigned copy of a result that is to be signed never leaves); else the
        upload."""
        if self.signature == SignatureStatus.SIGNED:
            return self.signed_file
        if self.signature in UNSIGNED_YET:
            return None
        return self.file or None
