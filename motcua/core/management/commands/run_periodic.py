"""``manage.py run_periodic``: the periodic sweeps in one loop, each on its interval
(``PERIODIC_JOBS``; ``core/scheduler.py``). One instance per site is enough, and a second does
no harm: every sweep is safe to run twice at once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from motcua.core.env import ConfigurationError, with_seconds
from motcua.core.scheduler import Scheduler


class Command(BaseCommand):
    help = "Chạy các tác vụ định kỳ (PERIODIC_JOBS), mỗi tác vụ theo chu kỳ của nó."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job",
            action="append",
            default=[],
            metavar="NAME=SECONDS",
            help="Đổi chu kỳ của một tác vụ (0: bỏ tác vụ); dùng nhiều lần được.",
        )

    def handle(self, *args: Any, job: list[str], **options: Any) -> None:
        jobs = jobs_with(settings.PERIODIC_JOBS, job)
        if not jobs:
            raise CommandError("PERIODIC_JOBS is empty: nothing to run")
        listed = ", ".join(f"{name} every {seconds} s" for name, seconds in jobs.items())
        self.stdout.write(f"periodic jobs: {listed}")
        Scheduler(jobs, self.run_job).loop()

    def run_job(self, name: str) -> None:
        # A long-lived process: drop connections past CONN_MAX_AGE or broken (a database
        # restart), as Django does around each request.
        close_old_connections()
        call_command(name, stdout=self.stdout, stderr=self.stderr)


def jobs_with(jobs: dict[str, int], overrides: list[str]) -> dict[str, int]:
    """``jobs`` with ``NAME=SECONDS`` overrides, read like the ``PERIODIC_JOBS`` variable."""
    try:
        return with_seconds(jobs, overrides, source="--job")
    except ConfigurationError as exc:
        raise CommandError(str(exc)) from exc
