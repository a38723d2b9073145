"""The demo province's hotline: response times and request types always; with
``samples``, a few tickets in every state, published answers and a business dialogue, so
the console, the public Q&A and the statistics have something to show."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.hotline.actions import (
    answer_ticket,
    claim_ticket,
    log_call,
    publish_answer,
    receive_message,
    route_ticket,
)
from motcua.hotline.actions.publication import publication_draft
from motcua.hotline.inbound import InboundMessage
from motcua.hotline.models import DEFAULT_WORKING_HOURS, PublicAnswer, ResponseTime, Ticket
from motcua.hotline.open311.categories import ensure_demo_categories
from motcua.org.models import Agency
from motcua.reform.actions import raise_issue
from motcua.reform.models import DialogueSession


def seed_hotline_settings() -> int:
    """Response times (the defaults, for the province to edit) and request types."""
    for kind, hours in DEFAULT_WORKING_HOURS.items():
        ResponseTime.objects.get_or_create(kind=kind, defaults={"working_hours": hours})
    return len(ensure_demo_categories())


# Answers the 1022 operators give every day, written once for the knowledge base.
KNOWLEDGE = [
    (
        "Giờ làm việc của Trung tâm Phục vụ hành chính công tỉnh",
        "Trung tâm làm việc vào những giờ nào, thứ Bảy có nhận hồ sơ không?",
        "Trung tâm tiếp nhận hồ sơ từ thứ Hai đến thứ Sáu: sáng 7 giờ đến 11 giờ 30, chiều "
        "13 giờ 30 đến 17 giờ (trừ ngày lễ, Tết). Thứ Bảy không tiếp nhận, trừ ngày làm bù "
        "theo thông báo. Ông/bà có thể nộp hồ sơ trực tuyến bất cứ lúc nào trên Cổng dịch vụ công.",
    ),
    (
        "Tra cứu tình trạng hồ sơ",
        "Tôi đã nộp hồ sơ, làm sao biết hồ sơ đang ở đâu?",
        "Ông/bà nhập mã hồ sơ in trên Giấy tiếp nhận và hẹn trả kết quả tại mục Tra cứu hồ sơ "
        "trên Cổng dịch vụ công của tỉnh, hoặc quét mã QR trên giấy hẹn; có thể gọi 1022 để "
        "được hỗ trợ.",
    ),
    (
        "Đăng ký nhận kết quả qua bưu điện",
        "Tôi muốn nhận kết quả tại nhà thì đăng ký thế nào?",
        "Ông/bà đăng ký dịch vụ bưu chính công ích khi nộp hồ sơ tại bộ phận một cửa, khi nộp "
        "trực tuyến, hoặc sau đó qua Tổng đài 1022 hay bất kỳ bưu cục nào; phí chuyển phát theo "
        "bảng giá của Bưu điện, trả khi nhận kết quả.",
    ),
]


@transaction.atomic
def seed_hotline_samples(*, now: dt.datetime | None = None) -> int:
    """A small living queue; does nothing if the province already has tickets."""
    if Ticket.objects.exists():
        return 0
    now = now or timezone.now()
    users = get_user_model().objects.in_bulk(
        ["tongdai", "lanhdao", "chuyenvien"], field_name="username"
    )
    operator = users["tongdai"]
    justice = Agency.objects.get(name="Sở Tư pháp")
    construction = Agency.objects.get(name="Sở Xây dựng")
    for title, question, answer in KNOWLEDGE:
        PublicAnswer.objects.get_or_create(
            title=title,
            defaults={
                "question": question,
                "answer": answer,
                "answered_by": "Tổng đài 1022",
                "published_at": now,
            },
        )

    def chat(channel: str, sender: str, name: str, text: str, hours_ago: int) -> Ticket:
        return receive_message(
            message=InboundMessage(
                channel=channel,
                external_id=f"demo-{channel}-{sender}-{hours_ago}",
                sender_id=sender,
                sender_name=name,
                text=text,
                sent_at=now - dt.timedelta(hours=hours_ago),
            )
        ).ticket

    copy = chat(
        "zalo",
        "demo-zalo-1",
        "Nguyễn Thị Hồng",
        "Cho em hỏi chứng thực bản sao giấy khai sinh ở đâu, lệ phí bao nhiêu ạ?",
        30,
    )
    claim_ticket(ticket=copy, user=operator)
    route_ticket(ticket=copy, user=operator, agency=justice)
    answer_ticket(
        ticket=copy,
        user=users["chuyenvien"],
        body="Chị mang bản chính và bản sao đến UBND xã, phường nơi gần nhất; lệ phí "
        "2.000 đồng/trang, từ trang thứ ba 1.000 đồng/trang.",
    )
    draft = publication_draft(copy)
    publish_answer(
        ticket=copy,
        user=operator,
        title="Chứng thực bản sao giấy khai sinh",
        question=draft["question"],
        answer=draft["answer"],
    )
    route_ticket(
        ticket=chat(
            "facebook",
            "demo-fb-1",
            "Lê Văn Phúc",
            "Đường vào ấp 3 xã Mỹ Hiệp bị sụt lún, xe máy đi rất nguy hiểm, đề nghị sửa.",
            50,
        ),
        user=operator,
        agency=construction,
    )
    chat(
        "web",
        "demo-web-1",
        "Trần Minh Tâm",
        "Hồ sơ cấp giấy phép xây dựng nộp 10 ngày chưa có kết quả.",
        3,
    )
    log_call(
        operator=operator,
        phone="0918 123 456",
        name="Phạm Văn Lộc",
        body="Hỏi giờ làm việc của Trung tâm Phục vụ hành chính công tỉnh.",
        answer=KNOWLEDGE[0][2],
    )
    log_call(
        operator=operator,
        phone="0277 3851 234",
        name="Võ Thị Thu",
        body="Hỏi thủ tục đăng ký kết hôn với người nước ngoài.",
    )
    session, _created = DialogueSession.objects.get_or_create(
        title="Cà phê Doanh nhân – Doanh nghiệp tháng 11",
        defaults={
            "held_on": timezone.localdate(now) - dt.timedelta(days=7),
            "place": "Trung tâm Phục vụ hành chính công tỉnh",
            "leaders": "Chủ tịch UBND tỉnh\nGiám đốc Sở Tài chính\nGiám đốc Sở Xây dựng",
            "businesses": "Công ty TNHH Thủy sản Sa Đéc\nHợp tác xã Xoài Cao Lãnh",
            "created_by": users["lanhdao"],
        },
    )
    raise_issue(
        session=session,
        business="Công ty TNHH Thủy sản Sa Đéc",
        text="Thời gian cấp giấy phép xây dựng nhà xưởng còn dài, đề nghị rút ngắn.",
        agency=construction,
        user=users["lanhdao"],
    )
    return Ticket.objects.count()
