"""Staff pages of home visits (docs/appointments.md): publishing availability, booking for a
caller (1022) or at the desk, the officer's printable day list and their iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.appointments import feeds
from motcua.appointments.access import signed_in as _me
from motcua.appointments.booking import FindForm, HomeVisitForm, book_from, free_slots
from motcua.appointments.models import BookingChannel
from motcua.appointments.publishing import (
    CAPACITY,
    MAX_DAYS,
    SLOT_MINUTES,
    TEAM_MAX,
    TRAVEL_MINUTES,
    VISITING_ROLES,
    Plan,
    publish_availability,
)
from motcua.appointments.reminders import manage_url
from motcua.core.actions import ActionError
from motcua.core.inputs import parse_day, parse_id, validate_day
from motcua.dossiers.access import caller_dossiers
from motcua.org.access import officer_required
from motcua.org.models import AdministrativeUnit, Agency, Membership, Role, UnitLevel

WEEKDAYS = [
    (0, _lazy("Thứ Hai")),
    (1, _lazy("Thứ Ba")),
    (2, _lazy("Thứ Tư")),
    (3, _lazy("Thứ Năm")),
    (4, _lazy("Thứ Sáu")),
    (5, _lazy("Thứ Bảy")),
    (6, _lazy("Chủ nhật")),
]
# Who books for somebody else: the 1022 operator from a call, the desk clerk.
BOOKING_ROLES = {
    Role.HOTLINE_OPERATOR: BookingChannel.HOTLINE,
    Role.RECEPTIONIST: BookingChannel.DESK,
}


def _roles(user: Any) -> list[Membership]:
    return list(Membership.objects.active().filter(user_id=user.pk).select_related("agency"))


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "appointments/denied.html", {"message": message}, status=403)


class PublishForm(forms.Form):
    agency = forms.ModelChoiceField(label=_lazy("Cơ quan"), queryset=Agency.objects.none())
    who = forms.ChoiceField(label=_lazy("Ai đến nhà"))
    team = forms.CharField(
        label=_lazy("Tên tổ công tác (nếu là tổ)"), max_length=TEAM_MAX, required=False
    )
    first_day = forms.DateField(
        label=_lazy("Từ ngày"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day],
    )
    last_day = forms.DateField(
        label=_lazy("Đến ngày"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_lazy("Tối đa %(n)s ngày mỗi lần.") % {"n": MAX_DAYS},
        validators=[validate_day],
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_lazy("Các ngày trong tuần"),
        choices=WEEKDAYS,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    day_start = forms.TimeField(label=_lazy("Từ giờ"), initial=dt.time(8, 0))
    day_end = forms.TimeField(label=_lazy("Đến giờ"), initial=dt.time(11, 30))
    slot_minutes = forms.IntegerField(
        label=_lazy("Độ dài mỗi lượt (phút)"),
        min_value=SLOT_MINUTES[0],
        max_value=SLOT_MINUTES[1],
        initial=45,
    )
    travel_minutes = forms.IntegerField(
        label=_lazy("Di chuyển giữa hai lượt (phút)"),
        min_value=TRAVEL_MINUTES[0],
        max_value=TRAVEL_MINUTES[1],
        initial=15,
    )
    capacity = forms.IntegerField(
        label=_lazy("Số chỗ mỗi lượt"), min_value=CAPACITY[0], max_value=CAPACITY[1], initial=1
    )
    units = forms.ModelMultipleChoiceField(
        label=_lazy("Địa bàn phục vụ (xã, phường)"), queryset=AdministrativeUnit.objects.none()
    )

    def __init__(self, *args: Any, user: Any, memberships: list[Membership], **kwargs: Any):
        super().__init__(*args, **kwargs)
        agencies = {m.agency_id for m in memberships}
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agencies)  # type: ignore[attr-defined]
        choices: list[tuple[str, str]] = [("me", _("Tôi"))]
        led = {m.agency_id for m in memberships if m.role == Role.LEADER}
        if led:
            choices.append(("team", _("Một tổ công tác")))
            for member in (
                Membership.objects.active()
                .filter(agency_id__in=led, role__in=VISITING_ROLES)
                .exclude(user_id=user.pk)
                .select_related("user")
                .order_by("user__last_name", "user__username")[:200]
            ):
                name = member.user.get_full_name() or member.user.get_username()
                choices.append((f"user:{member.user_id}", name))
        self.fields["who"].choices = list(dict.fromkeys(choices))  # type: ignore[attr-defined]
        communes = AdministrativeUnit.objects.valid_on(timezone.localdate()).filter(
            level=UnitLevel.COMMUNE
        )
        self.fields["units"].queryset = communes.order_by("name")  # type: ignore[attr-defined]


@officer_required
def publish(request: HttpRequest) -> HttpResponse:
    """Publish slots for a date range (``publish_availability``)."""
    memberships = _roles(request.user)
    if not any(m.role in VISITING_ROLES for m in memberships):
        return _denied(request, _("Chỉ cán bộ tiếp nhận, chuyên viên hoặc lãnh đạo công bố lịch."))
    form = PublishForm(request.POST or None, user=request.user, memberships=memberships)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        who = data["who"]
        officer = _me(request) if who == "me" else None
        if who.startswith("user:"):
            member = (
                Membership.objects.active()
                .filter(
                    user_id=parse_id(who[5:]) or 0, agency=data["agency"], role__in=VISITING_ROLES
                )
                .select_related("user")
                .first()
            )
            officer = member.user if member else None
            if officer is None:
                form.add_error("who", _("Cán bộ này không thuộc cơ quan đã chọn."))
        if not form.errors:
            try:
                created = publish_availability(
                    plan=Plan(
                        agency=data["agency"],
                        first_day=data["first_day"],
                        last_day=data["last_day"],
                        weekdays=frozenset(data["weekdays"]),
                        day_start=data["day_start"],
                        day_end=data["day_end"],
                        slot_minutes=data["slot_minutes"],
                        travel_minutes=data["travel_minutes"],
                        capacity=data["capacity"],
                        units=list(data["units"]),
                        officer=officer,
                        team=data["team"] if who == "team" else "",
                    ),
                    actor=_me(request),
                )
            except ActionError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(
        request, "appointments/publish.html", {"form": form, "created": created}, status=status
    )


@officer_required
def book(request: HttpRequest) -> HttpResponse:
    """A 1022 operator (from a call) or a desk clerk books a home visit for a citizen."""
    roles = {m.role for m in _roles(request.user)}
    channel = next((c for role, c in BOOKING_ROLES.items() if role in roles), None)
    if channel is None:
        return _denied(request, _("Chỉ điện thoại viên 1022 và cán bộ một cửa đặt lịch hộ."))
    return booking_page(
        request,
        channel=channel,
        template="appointments/book.html",
        dossiers=caller_dossiers(request.user),
        actor=_me(request),
    )


def booking_page(
    request: HttpRequest,
    *,
    channel: str,
    template: str,
    dossiers: Any,
    actor: Any,
    citizen_dossiers: Any = None,
    initial: dict[str, str] | None = None,
) -> HttpResponse:
    """The three steps on one page: commune and date (GET), then a slot and the rest (POST).
    ``citizen_dossiers``: a citizen chooses among theirs; staff type a dossier's code."""
    find = FindForm(request.GET or None)
    unit = day = None
    if find.is_bound and find.is_valid():
        unit, day = find.cleaned_data["unit"], find.cleaned_data["date"]
    form = HomeVisitForm(
        request.POST or None,
        dossiers=citizen_dossiers,
        initial={
            **(initial or {}),
            **({"unit": unit.pk} if unit else {}),
            "procedure": request.GET.get("thu_tuc", "")[:40],
        },
    )
    booking = None
    if request.method == "POST" and form.is_valid():
        booking = book_from(form, actor=actor, channel=channel, dossiers=dossiers)
        if booking is not None:
            return render(
                request,
                template,
                {
                    "booking": booking,
                    "appointment": booking.appointment,
                    "link": manage_url(booking.cancel_token),
                },
                status=201,
            )
        unit = unit or form.cleaned_data.get("unit")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        template,
        {"find": find, "form": form, "unit": unit, "day": day, "slots": free_slots(unit, day)},
        status=status,
    )


@officer_required
def day(request: HttpRequest) -> HttpResponse:
    """The officer's visits of a day, printable, with the full addresses (theirs only)."""
    # A day outside 2000–2099 shows today with the error: ``?ngay=9999-12-31`` has no next day.
    raw = request.GET.get("ngay", "")
    chosen = parse_day(raw)
    error = (
        _("Ngày không hợp lệ; chọn một ngày trong khoảng năm 2000 đến 2099.")
        if raw and not chosen
        else ""
    )
    chosen = chosen or timezone.localdate()
    start, end = feeds.day_bounds(chosen)
    visits = [(a, feeds.full_address(a)) for a in feeds.visits_of(_me(request), start, end)]
    return render(
        request,
        "appointments/day.html",
        {
            "day": chosen,
            "visits": visits,
            "previous": chosen - dt.timedelta(days=1),
            "next": chosen + dt.timedelta(days=1),
            "error": error,
        },
        status=400 if error else 200,
    )


@officer_required
def feed(request: HttpRequest) -> HttpResponse:
    """The officer's secret iCalendar address: make one (shown once), or revoke it. Only the
    explicit "create" button makes one (it revokes the old); a POST without a known action
    changes nothing. A double click on "create" makes two in turn and the browser shows the
    second answer, which is the live one."""
    url = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            feeds.revoke_feed(officer=_me(request))
            messages.success(request, _("Đã thu hồi địa chỉ lịch iCalendar."))
            return redirect("appointments:feed")
        if action == "create":
            url = feeds.feed_url(feeds.create_feed(officer=_me(request)))
        else:
            messages.error(request, _("Hãy bấm «Tạo địa chỉ mới» hoặc «Thu hồi»."))
            status = 400
    live = feeds.live_feed(_me(request))
    response = render(request, "appointments/feed.html", {"url": url, "live": live}, status=status)
    response["Cache-Control"] = "no-store"
    return response
