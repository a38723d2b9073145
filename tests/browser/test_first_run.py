"""A newcomer's first run, as ``make run`` starts it: one command, then everything in the
browser and the terminal.

The product starts exactly as ``make run`` starts it (``manage.py run_demo``: migrate,
seed_demo, run_platform) as a subprocess on a fresh SQLite database with the demo settings
(DEBUG, so SMS are printed in the terminal). Then a citizen signs up with a phone number,
reads the verification code in the terminal, applies online for a birth registration at the
Cao Lãnh commune centre, the commune's receptionist (a demo login) receives it, and the
receipt SMS appears in the terminal while the citizen's page shows the dossier received. No
second command is run. Migrating and seeding the national catalogue take most of a minute:
the test is marked slow.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from motcua.core.tests import samples
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.status import DossierStatus

ROOT = Path(__file__).resolve().parents[2]
PROCEDURE = "1.001193"  # Thủ tục đăng ký khai sinh: a commune procedure, online
DESK = "Trung tâm Phục vụ hành chính công phường Cao Lãnh"
PHONE = "0912345678"
MSISDN = "84912345678"
PASSWORD = "Khai-sinh-2026!"
START_SECONDS = 300  # migrate + the national catalogue on a busy 2-core machine
# The environment of a newcomer's shell: nothing that points the product elsewhere.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "EMAIL_HOST", "MEDIA_ROOT")


class Terminal:
    """The lines the product prints, read as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match[str]:
        """The first line (from the start) that matches ``pattern``."""
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if found := wanted.search(line):
                        return found
                left = deadline - time.monotonic()
                if left <= 0:
                    tail = "\n".join(self.lines[-40:])
                    raise AssertionError(f"no line matches {pattern!r}; last lines:\n{tail}")
                self._changed.wait(min(left, 1.0))


@dataclass
class Running:
    url: str
    terminal: Terminal


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_served(url: str, process: subprocess.Popen[str], terminal: Terminal) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("the product stopped:\n" + "\n".join(terminal.lines[-40:]))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError("the product never answered:\n" + "\n".join(terminal.lines[-40:]))


@pytest.fixture
def product(tmp_path: Path) -> Iterator[Running]:
    """``manage.py run_demo 127.0.0.1:PORT`` on an empty SQLite database, until the test ends;
    then stopped as Ctrl-C would stop it, its whole process group killed if it lingers."""
    address = f"127.0.0.1:{free_port()}"
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED and "SMS" not in k}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(  # noqa: S603 - this interpreter, the project's manage.py
        # A short history (the steps make run takes, fewer simulated days) keeps the test quick.
        [sys.executable, "manage.py", "run_demo", address, "--history-days", "5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    terminal = Terminal(process)
    try:
        wait_until_served(f"http://{address}/", process, terminal)
        yield Running(f"http://{address}", terminal)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_make_run_is_the_command_this_test_runs():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py run_demo $(HOST)" in recipe


@pytest.mark.slow
def test_a_new_citizen_signs_up_applies_and_is_told_of_the_receipt(
    product: Running, browser: Any, browser_page: Any, screenshot: Any
) -> None:
    base, terminal, page = product.url, product.terminal, browser_page
    terminal.wait_for(r"Tài khoản mẫu", timeout=5)  # seed_demo printed the logins

    # 1. Sign up with a phone number; the code is in the terminal (the console SMS).
    page.goto(f"{base}/tai-khoan/dang-ky/")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(PHONE)
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_label("Mã xác minh (6 chữ số)").wait_for()
    code = terminal.wait_for(rf"SMS to {MSISDN} \[[^\]]*\]: .*?\b(\d{{6}})\b").group(1)
    page.get_by_label("Mã xác minh (6 chữ số)").fill(code)
    page.get_by_role("button", name="Xác minh").click()
    page.get_by_role("link", name="Hồ sơ của tôi").first.wait_for()
    screenshot(page, "first-run-01-signed-up")

    # 2. Apply online for a birth registration at the Cao Lãnh commune centre.
    page.goto(f"{base}/thu-tuc/{PROCEDURE}/")
    page.get_by_role("link", name="Nộp trực tuyến").first.click()
    page.wait_for_url(f"**/thu-tuc/{PROCEDURE}/nop/")
    page.get_by_label("Số định danh cá nhân").fill("087190001234")
    page.get_by_label("Địa chỉ thường trú").fill("12 Lý Thường Kiệt, phường Cao Lãnh")
    page.get_by_role("radio", name=re.compile(f"^{DESK}")).check()
    uploads = page.locator("form.apply input[type=file]")
    for index in range(uploads.count()):
        uploads.nth(index).set_input_files(
            {
                "name": f"giay-to-{index + 1}.pdf",
                "mimeType": "application/pdf",
                "buffer": samples.PDF,
            }
        )
    page.get_by_role("radio", name="Nhận trực tuyến").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[^/]+/da-nop/$"))
    dossier = page.url.rstrip("/").split("/")[-2]
    screenshot(page, "first-run-02-submitted")

    # 3. The commune centre's receptionist (a demo login) receives it from the desk queue.
    clerk = browser.new_context(locale="vi-VN").new_page()
    clerk.goto(f"{base}/dang-nhap/?next=/ho-so/")
    clerk.get_by_label("Tên đăng nhập").fill("tiepnhan.caolanh")
    clerk.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    clerk.get_by_role("button", name="Đăng nhập").click()
    clerk.get_by_role("link", name=re.compile("Hàng chờ tại quầy")).click()
    clerk.get_by_role("link", name=dossier).click()
    clerk.wait_for_url(f"**/ho-so/{dossier}/")
    action = clerk.locator("aside.actions")
    action.get_by_role("button", name="Tiếp nhận hồ sơ nộp trực tuyến").click()
    clerk.get_by_role("status").filter(has_text="Đã tiếp nhận hồ sơ").wait_for()

    # 4. The receipt goes out: the SMS in the terminal, the status on the citizen's page.
    receipt = terminal.wait_for(rf"SMS to {MSISDN} \[[^\]]*\]: .*{re.escape(dossier)}.*")
    assert "tiep nhan" in receipt.group(0)
    page.goto(f"{base}/ho-so-cua-toi/{dossier}/")
    page.get_by_text(str(DossierStatus.RECEIVED.label)).first.wait_for()
    screenshot(page, "first-run-03-received")
