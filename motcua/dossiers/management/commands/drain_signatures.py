"""``manage.py drain_signatures``: run every signing job that is due (retries after the
timestamp authority or the token was away, jobs whose task was lost), once or in a loop
(docs/signatures.md). Several may run at once: every job is claimed first."""

from __future__ import annotations

from motcua.core.commands import PeriodicCommand
from motcua.dossiers.signatures import drain


class Command(PeriodicCommand):
    help = "Ký số các kết quả đang chờ ký số đến hạn (thử lại, tác vụ bị mất)."

    def run_once(self) -> str:
        return " ".join(f"{k}={v}" for k, v in drain().items())
