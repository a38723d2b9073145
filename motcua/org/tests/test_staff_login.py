"""Staff sign in, see their roles; only administrators reach the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_lands_on_the_staff_page_with_the_roles():
    client = Client()
    response = client.post(
        "/dang-nhap/", {"username": "tiepnhan", "password": DEMO_PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/lam-viec/"
    assert "Cán bộ tiếp nhận" in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp" in page


def test_wrong_password_says_so_in_vietnamese():
    response = Client().post("/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_the_staff_page_needs_a_login():
    response = Client().get("/lam-viec/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_a_clerk_cannot_open_the_admin(clerk_binh):
    client = Client()
    client.force_login(clerk_binh)
    assert client.get("/admin/").status_code == 302


def test_the_admin_speaks_vietnamese(admin_anh):
    client = Client()
    client.force_login(admin_anh)
    page = client.get("/admin/catalog/procedure/").content.decode()
    assert "thủ tục hành chính" in page.lower()
    assert "Chọn" in page


def test_english_is_available():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page


def test_an_english_browser_still_gets_vietnamese(admin_anh):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(admin_anh)
    page = client.get("/admin/catalog/procedure/").content.decode()
    assert "Chọn thủ tục hành chính để thay đổi" in page


def test_lang_parameter_switches_for_one_request():
    page = Client().get("/", {"lang": "en"}).content.decode()
    assert '<html lang="en">' in page
