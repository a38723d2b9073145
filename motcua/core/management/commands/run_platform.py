"""``manage.py run_platform [ADDRPORT]``: the whole product in one terminal (``make run``).

It supervises (``core/supervisor.py``) the web server (``runserver`` with DEBUG, gunicorn
otherwise), the task worker of the configured backend (``db_worker`` for the database,
``rqworker`` for RQ; none for ``immediate``), the periodic jobs (``run_periodic``) and, with
``NATIONAL_PORTAL_ENABLED``, the national portal's sync worker (``sync_national --every``). Output
is prefixed with each process's name; Ctrl-C stops them all, and so does any one exiting.

Where not configured otherwise, the children get ``MOTCUA_PUBLIC_URL`` from the address served
(the links on printed forms and QR codes then work), and with DEBUG the SMS console
(``SMS_BACKEND=console``, ``SMS_ENABLED=1``) so a verification code can be read in the
worker's output, as can an email's (the console email backend without ``EMAIL_HOST``).
Production runs the same pieces as separate services (docs/deployment.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.supervisor import Child, Supervisor

DEFAULT_ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Chạy cả hệ thống: máy chủ web, tiến trình tác vụ nền và các tác vụ định kỳ."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS)
        parser.add_argument("--no-web", action="store_true", help="Không chạy máy chủ web.")
        parser.add_argument("--no-worker", action="store_true", help="Không chạy tác vụ nền.")
        parser.add_argument(
            "--no-periodic", action="store_true", help="Không chạy các tác vụ định kỳ."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = address_of(options["addrport"])
        children = []
        if not options["no_web"]:
            children.append(web_child(address))
        if not options["no_worker"] and (worker := worker_child()):
            children.append(worker)
        if not options["no_periodic"]:
            children.append(Child("periodic", [*manage(), "run_periodic"]))
        if not options["no_worker"] and settings.NATIONAL_PORTAL_ENABLED:
            children.append(sync_child())
        if not children:
            raise CommandError("nothing to run")
        code = Supervisor(children, env=child_env(os.environ, address)).run()
        if code:
            raise SystemExit(code)


def address_of(addrport: str) -> str:
    host, sep, port = addrport.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", addrport
    if not port.isdigit():
        raise CommandError(f"{addrport!r} is not HOST:PORT or PORT")
    return f"{host or '127.0.0.1'}:{port}"


def public_url_for(address: str) -> str:
    host, _, port = address.rpartition(":")
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (naming the wildcard, not binding it)
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def child_env(environ: Mapping[str, str], address: str) -> dict[str, str]:
    env = dict(environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("MOTCUA_PUBLIC_URL", public_url_for(address))
    if settings.DEBUG and "SMS_ENABLED" not in env:
        env["SMS_ENABLED"] = "1"
        env.setdefault("SMS_BACKEND", "console")
    return env


def manage() -> list[str]:
    script = Path(settings.BASE_DIR) / "manage.py"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "django"]


def web_child(address: str) -> Child:
    if settings.DEBUG:
        return Child("web", [*manage(), "runserver", address])
    return Child(
        "web",
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", address, "--timeout", "60"],
    )


def sync_child() -> Child:
    """The national portal's sync worker (``manage.py sync_national --every``)."""
    every = str(settings.NATIONAL_PORTAL_POLL_SECONDS)
    return Child("sync", [*manage(), "sync_national", "--every", every])


def worker_child() -> Child | None:
    backend = settings.TASKS_BACKEND
    if backend == "database":
        return Child("worker", [*manage(), "db_worker"])
    if backend == "rq":
        argv = [*manage(), "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
        return Child("worker", argv)
    return None  # "immediate": tasks run inside the request
