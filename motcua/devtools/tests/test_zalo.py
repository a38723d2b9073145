"""``manage.py fake_platform zalo`` by hand: typed lines reach the site's webhook signed,
and every reply the site sends is printed."""

from __future__ import annotations

import re

from motcua.devtools.fakes.zalo import DEV_ACCESS_TOKEN, DEV_APP_ID, DEV_OA_SECRET_KEY
from motcua.devtools.tests.running import ManagePy, Webhook
from motcua.hotline.channels.zalo import (
    SIGNATURE_HEADER,
    ZaloClient,
    parse_webhook,
    verify_signature,
)


def test_the_fake_runs_by_hand_sends_typed_messages_and_prints_replies():
    with Webhook() as webhook, ManagePy("fake_platform", "zalo", "--webhook", webhook.url) as fake:
        url = re.search(r"http://127\.0\.0\.1:\d+", fake.line()).group()
        fake.type("zalo-an: Xin chào")
        assert fake.line_starting("→").endswith("zalo-an: HTTP 200")
        [(headers, body)] = webhook.posts
        signed = verify_signature(
            body, headers[SIGNATURE_HEADER], app_id=DEV_APP_ID, secret=DEV_OA_SECRET_KEY
        )
        assert signed and parse_webhook(body)[0].text == "Xin chào"

        message_id = ZaloClient(base_url=url, access_token=DEV_ACCESS_TOKEN).send_text(
            "zalo-an", "Chào anh An"
        )
        assert fake.line_starting("[") == f"[{message_id}] ← zalo-an: Chào anh An"
