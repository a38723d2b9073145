"""Open311 GeoReport v2 endpoints (docs/rules/api.md "Open311 GeoReport v2";
http://wiki.open311.org/GeoReport_v2).

Every resource answers as ``.json`` or ``.xml``. Errors take the spec's form,
``[{"code": 400, "description": "…"}]`` (``<errors><error>…`` in XML), with Vietnamese
descriptions: 400 bad input, 403 missing or wrong ``api_key`` (when
``OPEN311_REQUIRE_API_KEY``), 404 unknown resource or ``jurisdiction_id``, 405 wrong method,
409 an identical submission still in flight, 429 too many requests from one address.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from motcua.core.clients import client_bucket
from motcua.core.ratelimit import Limit
from motcua.dossiers.tokens import user_for_token
from motcua.hotline.models import Ticket, TicketCategory
from motcua.hotline.open311 import render, serializers
from motcua.hotline.open311.submission import Open311Error, parse, submit
from motcua.hotline.status import OPEN

MAX_REQUESTS = 1000  # GeoReport v2: at most 1000 requests per list
DEFAULT_SPAN = dt.timedelta(days=90)  # …and at most 90 days
# Bumped when the services list or a service definition changes shape (Service Discovery's
# "changeset": clients refresh what they cached).
CHANGESET = "2026-11-25T00:00:00+07:00"
View = Callable[..., HttpResponse]
WRITES = Limit("open311-write", per=lambda: settings.OPEN311_WRITES_PER_HOUR, seconds=3600)
READS = Limit("open311-read", per=lambda: settings.OPEN311_READS_PER_MINUTE, seconds=60)


def endpoint(*methods: str) -> Callable[[View], View]:
    """The checks every resource shares: the format, the method, the rate limit, the
    jurisdiction; ``Open311Error`` and unreadable bodies become the spec's error answer."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            if fmt not in render.FORMATS:
                return render.errors(render.JSON, 404, _("Chỉ hỗ trợ định dạng .json và .xml."))
            if request.method not in allowed:
                response = render.errors(
                    fmt, 405, _("Không hỗ trợ phương thức %(m)s.") % {"m": request.method}
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                form = request.POST if request.method == "POST" else QueryDict()
                _refuse_nul([*kwargs.values(), *_values(request.GET), *_values(form)])
                if _over_limit(request):
                    raise Open311Error(
                        429, _("Gửi quá nhiều yêu cầu trong thời gian ngắn, vui lòng thử lại sau.")
                    )
                jurisdiction = form.get("jurisdiction_id") or request.GET.get("jurisdiction_id")
                if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
                    raise Open311Error(
                        404,
                        _("Không phục vụ địa bàn (jurisdiction_id) «%(id)s».")
                        % {"id": jurisdiction},
                    )
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return render.errors(fmt, exc.status, exc.description)
            except RequestDataTooBig:
                return render.errors(fmt, 413, _("Nội dung gửi lên quá lớn."))
            except (SuspiciousOperation, MultiPartParserError):
                return render.errors(fmt, 400, _("Không đọc được nội dung gửi lên."))

        return run

    return decorate


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = reverse("open311-services", kwargs={"fmt": render.JSON}).removesuffix("services.json")
    data = {
        "changeset": CHANGESET,
        "contact": _("Tổng đài 1022 tỉnh Đồng Tháp: gọi 1022 hoặc viết thư đến %(email)s.")
        % {"email": settings.HOTLINE_EMAIL_ADDRESS},
        "key_service": _(
            "Khóa API (api_key) do quản trị hệ thống cấp cho cơ quan và ứng dụng đối tác; "
            "liên hệ Tổng đài 1022 để được cấp."
        ),
        "endpoints": [
            {
                "specification": serializers.SPECIFICATION,
                "url": request.build_absolute_uri(base),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render.record(fmt, data, root="discovery")


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    items = [serializers.service(c) for c in TicketCategory.objects.filter(active=True)]
    return render.records(fmt, items, root="services", item="service")


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = TicketCategory.objects.filter(code=service_code, active=True).first()
    if category is None:
        raise Open311Error(
            404, _("Không có loại phản ánh có mã «%(code)s».") % {"code": service_code}
        )
    return render.record(fmt, serializers.service_definition(category), root="service_definition")


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    tickets = _matching(request.GET)
    items = [serializers.request(t) for t in tickets[:MAX_REQUESTS]]
    return render.records(fmt, items, root="service_requests", item="request")


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    ticket = _published(request_id)
    return render.records(
        fmt, [serializers.request(ticket)], root="service_requests", item="request"
    )


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    # Requests are created at once, so a token is never needed; the request id serves as one.
    ticket = _published(token)
    item = {"service_request_id": ticket.code, "token": ticket.code}
    return render.records(fmt, [item], root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = request.POST.get("api_key", "").strip()
    actor = user_for_token(api_key) if api_key else None
    if settings.OPEN311_REQUIRE_API_KEY and actor is None:
        raise Open311Error(403, _("Thiếu khóa API (api_key) hoặc khóa không hợp lệ."))
    submission = parse(request.POST)
    outcome = submit(
        submission,
        actor=actor,
        idempotency_key=request.headers.get("Idempotency-Key", "").strip()[:255],
    )
    ticket = outcome.ticket
    notice = _("Đã tiếp nhận phản ánh %(code)s.") % {"code": ticket.code}
    if (due := serializers.service_notice(ticket)) is not None:
        notice = f"{notice} {due}"
    item = {"service_request_id": ticket.code, "service_notice": notice, "account_id": None}
    return render.records(fmt, [item], root="service_requests", item="request")


def _matching(params: QueryDict) -> Any:
    tickets = serializers.published()
    ids = _list(params, "service_request_id")
    if ids:  # the spec: service_request_id overrides every other filter
        return tickets.filter(code__in=ids[:MAX_REQUESTS])
    codes = _list(params, "service_code")
    if codes:
        tickets = tickets.filter(category__code__in=codes)
    statuses = set(_list(params, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("Trạng thái (status) chỉ nhận open, closed."))
    if statuses == {"open"}:
        tickets = tickets.filter(status__in=OPEN)
    elif statuses == {"closed"}:
        tickets = tickets.exclude(status__in=OPEN)
    start, end = _span(params)
    return tickets.filter(received_at__gte=start, received_at__lte=end)


def _span(params: QueryDict) -> tuple[dt.datetime, dt.datetime]:
    start = _moment(params, "start_date")
    end = _moment(params, "end_date")
    try:
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            assert end is not None
            start = end - DEFAULT_SPAN
        if end is None:
            end = start + DEFAULT_SPAN
    except OverflowError:  # 90 days before year 1 or after year 9999
        raise Open311Error(400, _("Ngày tra cứu nằm ngoài khoảng cho phép.")) from None
    if end < start:
        raise Open311Error(400, _("end_date phải sau start_date."))
    if end - start > DEFAULT_SPAN:
        raise Open311Error(400, _("Mỗi lần tra cứu tối đa 90 ngày (start_date đến end_date)."))
    return start, end


def _moment(params: QueryDict, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)) is not None:
            value = dt.datetime.combine(day, dt.time())
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s phải là ngày giờ ISO 8601, ví dụ 2026-11-25T08:00:00+07:00.")
            % {"name": name},
        )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise Open311Error(400, _("Ngày tra cứu nằm ngoài khoảng cho phép.")) from None


def _published(code: str) -> Ticket:
    ticket = serializers.published().filter(code=code).first()
    if ticket is None:
        raise Open311Error(404, _("Không tìm thấy phản ánh %(code)s.") % {"code": code})
    return ticket


def _list(params: QueryDict, name: str) -> list[str]:
    return [
        part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()
    ]


def _values(params: QueryDict) -> Iterable[str]:
    for _name, values in params.lists():
        yield _name
        yield from values


def _refuse_nul(values: Iterable[str]) -> None:
    # PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
    if any("\x00" in v for v in values):
        raise Open311Error(400, _("Dữ liệu gửi lên chứa ký tự không hợp lệ."))


def _over_limit(request: HttpRequest) -> bool:
    """Count the request against its limit (writes per hour, reads per minute, per client
    address); True when it is over."""
    limit = WRITES if request.method == "POST" else READS
    return not limit.hit(client_bucket(request))
