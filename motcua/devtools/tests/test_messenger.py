"""``manage.py fake_platform messenger`` by hand: Meta's subscription request, typed lines
reach the site's webhook signed, and every reply the site sends is printed."""

from __future__ import annotations

import re

from motcua.devtools.fakes.messenger import (
    DEV_APP_SECRET,
    DEV_PAGE_ACCESS_TOKEN,
    DEV_VERIFY_TOKEN,
)
from motcua.devtools.tests.running import ManagePy, Webhook
from motcua.hotline.channels.facebook import (
    SIGNATURE_HEADER,
    MessengerClient,
    parse_webhook,
    verify_signature,
)

PSID = "6543210987654321"


def test_the_fake_runs_by_hand_subscribes_sends_typed_messages_and_prints_replies():
    with (
        Webhook() as webhook,
        ManagePy("fake_platform", "messenger", "--webhook", webhook.url) as fake,
    ):
        url = re.search(r"http://127\.0\.0\.1:\d+", fake.line()).group()
        assert fake.line_starting("Đăng ký webhook") == "Đăng ký webhook: được chấp nhận"
        assert webhook.gets[0]["hub.verify_token"] == DEV_VERIFY_TOKEN
        fake.type(f"{PSID}: Xin chào")
        assert fake.line_starting("→").endswith(f"{PSID}: HTTP 200")
        [(headers, body)] = webhook.posts
        assert verify_signature(body, headers[SIGNATURE_HEADER], app_secret=DEV_APP_SECRET)
        assert parse_webhook(body)[0].text == "Xin chào"

        client = MessengerClient(graph_url=url, page_access_token=DEV_PAGE_ACCESS_TOKEN)
        message_id = client.send_text(PSID, "Chào chị")
        assert fake.line_starting("[") == f"[{message_id}] ← {PSID}: Chào chị"
