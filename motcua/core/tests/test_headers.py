"""Every page carries a Content-Security-Policy that allows scripts from our own static files
only; the API's documentation loads Swagger UI from there, not from a CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_script_policy():
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_has_inline_script_handlers():
    html = Client().get("/ho-so/mau/phong-chu/NotoSerif-Regular.ttf")
    assert html.status_code == 200
    for path in ("/", "/tra-cuu/", "/dang-nhap/", "/phan-anh/"):
        page = Client().get(path).content.decode()
        assert not re.search(r"\son[a-z]+=", page), path
        assert "<script>" not in page, path


def test_the_api_documentation_is_served_from_our_static_files():
    page = Client().get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources


def test_forms_may_lead_to_the_payment_gateway_and_the_identity_provider(settings):
    settings.PAYMENTS_ENABLED = True
    settings.VNPAY_PAYMENT_URL = "https://pay.vnpay.vn/vpcpay.html"
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = "https://sso.vneid.gov.vn/realms/cong-dan"
    policy = Client().get("/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    assert form_action.split()[1:] == [
        "'self'",
        "https://pay.vnpay.vn",
        "https://sso.vneid.gov.vn",
    ]
