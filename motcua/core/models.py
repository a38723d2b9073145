"""The models ``core`` owns itself (the outbox's are abstract, in ``core/outbox/``)."""

from __future__ import annotations

from django.db import models


class ReferenceStamp(models.Model):
    """One row whose token changes with any cached reference data (``core/reference.py``)."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
