"""``manage.py fake_platform carrier`` by hand: the banner says how to point the site at it,
an order created through the real client is advanced by a typed line, and its step reaches
the webhook signed (motcua/devtools/carrier_platform.py)."""

from __future__ import annotations

import json
import re
import time

from motcua.devtools.fakes.carrier import DEV_CUSTOMER_CODE, DEV_KEY, DEV_SECRET, DEV_WEBHOOK_SECRET
from motcua.devtools.tests.running import ManagePy, Webhook
from motcua.integrations.carrier import CarrierClient, CarrierConfig, Party, verify

PERSON = Party("Nguyễn Văn An", "12 Lý Thường Kiệt", "Tỉnh Đồng Tháp", "", "0912345678")
DESK = Party("Bộ phận một cửa", "Số 12 đường 30 tháng 4", "Tỉnh Đồng Tháp", "", "02773851234")


def test_the_carrier_runs_by_hand_and_posts_signed_webhooks():
    with (
        Webhook() as site,
        ManagePy("fake_platform", "carrier", "--webhook", site.url, "--step", "0") as fake,
    ):
        url = re.search(r"http://127\.0\.0\.1:\d+", fake.line_starting("Bưu điện giả lập"))
        assert url is not None
        settings_line = fake.line()
        assert f"CARRIER_BASE_URL={url.group(0)}" in settings_line
        assert f"CARRIER_WEBHOOK_SECRET={DEV_WEBHOOK_SECRET}" in settings_line
        client = CarrierClient(
            CarrierConfig(url.group(0), DEV_CUSTOMER_CODE, DEV_KEY, DEV_SECRET, timeout=5)
        )
        created = client.create_order(
            order_number="X-P-1", cod_amount=0, sender=PERSON, receiver=DESK, description="Hồ sơ"
        )
        fake.line_starting("Đơn mới: X-P-1")
        fake.type("X-P-1")
        fake.line_starting("webhook")
        deadline = time.monotonic() + 10
        while not site.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        headers, body = site.posts[0]
        event = json.loads(body)
        assert (event["orderNumber"], event["itemCode"], event["statusCode"]) == (
            "X-P-1",
            created.tracking_number,
            "2",
        )
        stamp, signed = headers["X-Carrier-Timestamp"], headers["X-Carrier-Signature"]
        assert verify(DEV_WEBHOOK_SECRET, stamp, signed, body, now=time.time(), window=60) == ""
