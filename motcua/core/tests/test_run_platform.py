"""``run_platform`` runs the web server, the worker of the configured backend and the periodic
jobs, with the address served as the public URL and, with DEBUG, SMS on the console."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from motcua.core.management.commands import run_platform as command


def _names(child: command.Child | None) -> list[str]:
    assert child is not None
    return list(child.argv[2:])


def test_the_worker_follows_the_tasks_backend(settings):
    settings.TASKS_BACKEND = "database"
    assert _names(command.worker_child()) == ["db_worker"]
    settings.TASKS_BACKEND = "rq"
    assert _names(command.worker_child())[0] == "rqworker"
    settings.TASKS_BACKEND = "immediate"
    assert command.worker_child() is None


def test_the_web_server_is_runserver_in_debug_and_gunicorn_otherwise(settings):
    settings.DEBUG = True
    assert _names(command.web_child("127.0.0.1:8000")) == ["runserver", "127.0.0.1:8000"]
    settings.DEBUG = False
    assert "gunicorn" in command.web_child("0.0.0.0:80").argv


def test_the_address_served_becomes_the_public_url_unless_configured(settings):
    settings.DEBUG = False
    assert command.address_of("8001") == "127.0.0.1:8001"
    assert command.address_of("0.0.0.0:8002") == "0.0.0.0:8002"
    with pytest.raises(CommandError):
        command.address_of("host:http")
    env = command.child_env({}, "0.0.0.0:8002")
    assert env["MOTCUA_PUBLIC_URL"] == "http://127.0.0.1:8002"
    assert "SMS_ENABLED" not in env
    configured = {"MOTCUA_PUBLIC_URL": "https://motcua.example"}
    assert command.child_env(configured, "127.0.0.1:8000")["MOTCUA_PUBLIC_URL"] == (
        "https://motcua.example"
    )


def test_debug_prints_sms_on_the_console_unless_sms_is_configured(settings):
    settings.DEBUG = True
    env = command.child_env({}, "127.0.0.1:8000")
    assert (env["SMS_ENABLED"], env["SMS_BACKEND"]) == ("1", "console")
    assert "SMS_BACKEND" not in command.child_env({"SMS_ENABLED": "0"}, "127.0.0.1:8000")


def test_the_platform_starts_and_stops_its_children(monkeypatch):
    started = []

    class Recorder:
        def __init__(self, children, *, env):
            started.extend(child.name for child in children)
            self.env = env

        def run(self):
            return 2

    monkeypatch.setattr(command, "Supervisor", Recorder)
    from django.core.management import call_command

    with pytest.raises(SystemExit) as exit_:
        call_command("run_platform", "--no-web")
    assert exit_.value.code == 2
    assert started == ["worker", "periodic"]


def test_the_national_sync_worker_runs_with_its_poll_interval(settings):
    settings.NATIONAL_PORTAL_POLL_SECONDS = 2
    assert _names(command.sync_child()) == ["sync_national", "--every", "2"]
