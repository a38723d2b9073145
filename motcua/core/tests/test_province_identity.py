"""The province's identity is configuration, shown in every public page's header and footer
(``core/identity.py``; README "Configuration")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from motcua.core.tests.test_env import ROOT, _start

PUBLIC_PAGES = (
    "/",
    "/thu-tuc/?q=khai+sinh",
    "/tra-cuu/",
    "/thong-ke/",
    "/phan-anh/",
    "/hoi-dap/",
    "/tai-khoan/dang-nhap/",
    "/tai-khoan/dang-ky/",
    "/dang-nhap/",
)
SHOW_IDENTITY = (
    "import django; django.setup(); from motcua.core.identity import province_identity; "
    "p = province_identity(); print(p.name, p.hotline, p.emblem_url, sep='|', end='')"
)
ELSEWHERE = {
    "MOTCUA_PROVINCE_NAME": "Tỉnh Hòa Bình Xanh",
    "MOTCUA_PROVINCE_EMBLEM": "/media/bieu-trung.png",
    "MOTCUA_PROVINCE_ADDRESS": "1 Đường Mẫu, phường Trung Tâm",
    "MOTCUA_PROVINCE_HOTLINE": "0218 1022",
    "MOTCUA_PROVINCE_EMAIL": "motcua@hoabinhxanh.example",
    "MOTCUA_PROVINCE_FOOTER": "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Hòa Bình Xanh.",
}


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_default_is_dong_thap_with_the_shipped_emblem(db):
    html = page("/")
    assert "<title>" in html and "· Tỉnh Đồng Tháp</title>" in html
    assert 'src="/static/motcua/emblem.svg"' in html
    assert "Số 12 đường 30 tháng 4, phường Cao Lãnh, tỉnh Đồng Tháp" in html
    assert 'href="tel:1022"' in html
    emblem = finders.find("motcua/emblem.svg")
    assert emblem and Path(emblem).read_text(encoding="utf-8").lstrip().startswith("<svg")


@override_settings(**ELSEWHERE)
def test_every_public_page_shows_the_configured_identity(db):
    for url in PUBLIC_PAGES:
        html = page(url)
        assert "Tỉnh Hòa Bình Xanh" in html, url
        assert 'src="/media/bieu-trung.png"' in html, url
        assert "1 Đường Mẫu, phường Trung Tâm" in html, url
        assert 'href="tel:02181022">0218 1022</a>' in html, url
        assert 'href="mailto:motcua@hoabinhxanh.example"' in html, url
        assert "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Hòa Bình Xanh." in html, url


@override_settings(**ELSEWHERE)
def test_a_missing_page_carries_the_identity_too(db):
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Tỉnh Hòa Bình Xanh" in response.content.decode()


def test_the_environment_sets_it():
    configured = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", SHOW_IDENTITY],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MOTCUA_PROVINCE_NAME": "Tỉnh Mẫu",
            "MOTCUA_PROVINCE_HOTLINE": "0999 1022",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert configured.stdout.split("|") == ["Tỉnh Mẫu", "0999 1022", "/static/motcua/emblem.svg"]


def test_an_emblem_from_another_site_is_refused_at_start():
    started = _start(MOTCUA_PROVINCE_EMBLEM="https://example.com/emblem.png")
    assert started.returncode != 0
    assert "MOTCUA_PROVINCE_EMBLEM" in started.stderr
