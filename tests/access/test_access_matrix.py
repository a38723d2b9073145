"""Who gets what, for every address of the product (docs/security.md "Nobody sees or changes
what is not theirs").

Every URL pattern is enumerated from the URL resolver; each must be classified here, so a new
view fails this test until someone writes down who may reach it. Each route is tried by
every persona of ``world.py`` against a dossier and a ticket of agency A, and the answer is
compared with the expected one, written as data below:

- ``200``: the page (or file, or JSON); ``302``: a redirect (after an action, to a page);
- ``"login"``: sent to a sign-in page; ``404``: missing and forbidden alike;
- ``403``: the page says the user's role does not allow it (an officer on a citizen's page,
  a citizen on an officer's); ``405``/``409``/``422``/``400``/``401``: as the API says.

Each cell runs in its own savepoint, so an action one persona takes does not change what the
next persona finds. Run with ``MATRIX_PRINT=1`` to print the matrix as it is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.dossiers.national.payload import file_url
from motcua.org.models import Agency, Desk
from tests.access.world import PERSONAS, World, build

pytestmark = pytest.mark.django_db

OFFICERS = (
    "desk_1",
    "desk_2",
    "specialist_a",
    "leader_a",
    "specialist_b",
    "operator",
    "inspector",
    "administrator",
    "deactivated",
    "postman",
)
CITIZENS = ("citizen_a", "citizen_b")


def cells(default: Any, **overrides: Any) -> dict[str, Any]:
    """Every persona's expected answer: ``default``, except the ones named."""
    expected = dict.fromkeys(PERSONAS, default)
    for persona, answer in overrides.items():
        assert persona in expected, persona
        expected[persona] = answer
    return expected


def everyone(answer: Any) -> dict[str, Any]:
    return cells(answer)


def officers_only(officer: Any = 200, **overrides: Any) -> dict[str, Any]:
    """A back-office page: the public is sent to sign in, citizens are refused."""
    base = cells(403, anonymous="login", **dict.fromkeys(OFFICERS, officer))
    base.update(overrides)
    return base


def citizens_only(citizen: Any = 200, **overrides: Any) -> dict[str, Any]:
    """A citizen's page: the public is sent to sign in, officers are refused."""
    base = cells(403, anonymous="login", **dict.fromkeys(CITIZENS, citizen))
    base.update(overrides)
    return base


@dataclass(frozen=True)
class Route:
    """One way to call a URL pattern: its name, the method, how to fill its arguments, and
    what each persona gets."""

    name: str
    expect: dict[str, Any]
    path: Callable[[World], str]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False


def _in(world: World) -> str:
    return world.in_progress.code


def _back(world: World) -> str:
    return world.returned.code


def _police() -> int:
    """Agency B (the police) of the world."""
    return Agency.objects.get(name="Công an tỉnh Đồng Tháp").pk


def _commune_unit() -> int:
    """Desk 2's commune (a unit with its own page among the units; the province has none)."""
    return Desk.objects.get(name="Trung tâm Phục vụ hành chính công phường Cao Lãnh").unit_id


# Who sees the in-progress dossier (at agency A's specialist, received at desk 1): its desk,
# agency A, those who read across the province; not desk 2, not agency B, not the 1022
# operator, nobody whose membership was switched off.
SEES_DOSSIER = dict.fromkeys(
    ("desk_1", "specialist_a", "leader_a", "inspector", "administrator"), 200
)


def dossier_page(**sees: Any) -> dict[str, Any]:
    """A page about the in-progress dossier: 404 (missing and forbidden alike) for everyone
    but those named, and the public is sent to sign in."""
    return cells(404, anonymous="login", **sees)


def ticket_page(**sees: Any) -> dict[str, Any]:
    """A console page about the ticket: closed (403) to citizens and to a switched-off
    member, the ticket itself missing (404) for officers who may not see it."""
    return cells(404, anonymous="login", citizen_a=403, citizen_b=403, deactivated=403, **sees)


STAFF_ONLY = cells(200, anonymous="login", citizen_a=404, citizen_b=404, deactivated=404)

# Who sees the ticket routed to agency A: the 1022 operator, agency A, inspectors, admin.
SEES_TICKET = dict.fromkeys(
    ("operator", "specialist_a", "leader_a", "inspector", "administrator"), 200
)

# Simplification reviews: who takes part, and who sees agency A's cycle and proposal.
REVIEWERS = cells(
    404,
    anonymous="login",
    **dict.fromkeys(
        ("specialist_a", "leader_a", "specialist_b", "inspector", "administrator"), 200
    ),
)
SEES_REVIEW = {**REVIEWERS, "specialist_b": 404}

# A desk's queue: its clerks; other officers find no such desk; citizens are refused.
QUEUE_CLERKS = officers_only(404, desk_1=200, deactivated=403)

ROUTES: tuple[Route, ...] = (
    # ---- the portal: public pages, then the citizen's own ---------------------------------
    Route("home", everyone(200), lambda w: "/"),
    Route("portal:search", everyone(200), lambda w: "/thu-tuc/?q=khai+sinh"),
    Route("portal:procedure", everyone(200), lambda w: "/thu-tuc/1.000426/"),
    Route("portal:apply", citizens_only(), lambda w: "/thu-tuc/1.000426/nop/"),
    Route("portal:mine", citizens_only(), lambda w: "/ho-so-cua-toi/"),
    Route(
        "portal:dossier",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_in(w)}/",
    ),
    Route(
        "portal:submitted",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_in(w)}/da-nop/",
    ),
    Route(
        "portal:supplement",
        citizens_only(citizen_a=409, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_in(w)}/bo-sung/",
        method="POST",
    ),
    Route(
        "portal:rate",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_back(w)}/danh-gia/",
    ),
    Route(
        "portal:document",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_in(w)}/giay-to/{w.document.pk}/",
    ),
    Route(
        "portal:result",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_back(w)}/ket-qua/{w.returned.results.get().pk}/",
    ),
    Route(
        "portal:postal",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/ho-so-cua-toi/{_in(w)}/buu-chinh/",
    ),
    # No order of that number on the citizen's own dossier: the same 404 as another's.
    Route(
        "portal:postal-cancel",
        citizens_only(404),
        lambda w: f"/ho-so-cua-toi/{_in(w)}/buu-chinh/huy/999999/",
        method="POST",
    ),
    # ---- the citizen's document store (docs/document-store.md) ----------------------------
    Route("portal:store", citizens_only(), lambda w: "/kho-giay-to/"),
    Route(
        "portal:store-file",
        citizens_only(citizen_a=200, citizen_b=404),
        lambda w: f"/kho-giay-to/{w.stored.pk}/tai-ve/",
    ),
    Route(
        "portal:store-delete",
        citizens_only(citizen_a=302, citizen_b=404),
        lambda w: f"/kho-giay-to/{w.stored.pk}/xoa/",
        method="POST",
    ),
    Route(
        "portal:store-consent",
        citizens_only(302),
        lambda w: "/kho-giay-to/dong-y/",
        method="POST",
        data={"action": "grant"},
    ),
    # ---- the postal service's officer pages: any desk's receptionist and the 1022 operator
    # register for any dossier of the province; other officers are told the page is not theirs.
    Route(
        "postal_register:find",
        officers_only(403, desk_1=200, desk_2=200, operator=200, postman=200),
        lambda w: "/buu-chinh/",
    ),
    Route(
        "postal_register:orders",
        officers_only(403, desk_1=200, desk_2=200, operator=200, postman=200),
        lambda w: f"/buu-chinh/ho-so/{_in(w)}/",
    ),
    Route(
        "postal_register:cancel",
        officers_only(403, desk_1=404, desk_2=404, operator=404, postman=404),
        lambda w: f"/buu-chinh/ho-so/{_in(w)}/huy/999999/",
        method="POST",
    ),
    # ---- signing in and out ----------------------------------------------------------------
    Route("login", everyone(200), lambda w: "/dang-nhap/"),
    Route("logout", everyone(302), lambda w: "/dang-xuat/", method="POST"),
    Route("staff-home", officers_only(deactivated=403), lambda w: "/lam-viec/"),
    Route("accounts:signup", everyone(200), lambda w: "/tai-khoan/dang-ky/"),
    Route("accounts:signin", everyone(200), lambda w: "/tai-khoan/dang-nhap/"),
    Route("accounts:signout", everyone(302), lambda w: "/tai-khoan/dang-xuat/", method="POST"),
    # Without a sign-up waiting for its code there is nothing to verify: back to a page.
    Route("accounts:verify", cells(302, anonymous="login"), lambda w: "/tai-khoan/xac-minh/"),
    Route("accounts:profile", citizens_only(), lambda w: "/tai-khoan/ho-so/"),
    # VNeID sign-in is off in this deployment: its addresses do not exist.
    Route("accounts:oidc-start", everyone(404), lambda w: "/tai-khoan/oidc/bat-dau/", "POST"),
    Route("accounts:oidc-callback", everyone(404), lambda w: "/tai-khoan/oidc/callback/"),
    Route("set_language", everyone(302), lambda w: "/i18n/setlang/", "POST", {"language": "en"}),
    # ---- the public lookup and statistics --------------------------------------------------
    Route("public-lookup-form", everyone(200), lambda w: "/tra-cuu/"),
    Route("public-lookup", everyone(200), lambda w: f"/tra-cuu/{_in(w)}/"),
    # The verification of results: public, the address on every signed result's stamp.
    Route("verify", everyone(200), lambda w: f"/xac-thuc/?ma={_back(w)}"),
    Route("public-statistics", everyone(200), lambda w: "/thong-ke/"),
    # The load balancer's probe: that the process is up, nothing else.
    Route("healthz", everyone(200), lambda w: "/healthz"),
    # ---- the back office -------------------------------------------------------------------
    Route("dossiers:worklist", officers_only(deactivated=403), lambda w: "/ho-so/"),
    Route(
        "dossiers:reception",
        officers_only(403, desk_1=200, desk_2=200, postman=200),
        lambda w: "/ho-so/tiep-nhan/",
    ),
    Route(
        "dossiers:reception-procedures",
        officers_only(403, desk_1=200, desk_2=200, postman=200),
        lambda w: "/ho-so/tiep-nhan/thu-tuc/?q=khai+sinh",
    ),
    Route(
        "dossiers:reception-applicant",
        officers_only(403, desk_1=204, desk_2=204, postman=204),
        lambda w: "/ho-so/tiep-nhan/chu-ho-so/",
        method="POST",
        data={"applicant_id_number": "087090001234"},
    ),
    Route("dossiers:search", officers_only(deactivated=403), lambda w: "/ho-so/tim/"),
    Route(
        "dossiers:detail",
        dossier_page(**SEES_DOSSIER),
        lambda w: f"/ho-so/{_in(w)}/",
    ),
    Route(
        "dossiers:application",
        dossier_page(**SEES_DOSSIER),
        lambda w: f"/ho-so/{_in(w)}/don/",
    ),
    Route(
        "dossiers:document-file",
        dossier_page(**SEES_DOSSIER),
        lambda w: f"/ho-so/{_in(w)}/giay-to/{w.document.pk}/",
    ),
    Route(
        "dossiers:result-file",
        dossier_page(**SEES_DOSSIER),
        lambda w: f"/ho-so/{_back(w)}/ket-qua/{w.returned.results.get().pk}/",
    ),
    # Forwarding belongs to the specialist who holds the step: the others who see the dossier
    # are refused (403), those who don't get the same 404 as for a missing dossier.
    Route(
        "dossiers:action",
        dossier_page(desk_1=403, specialist_a=302, leader_a=403, inspector=403, administrator=403),
        lambda w: f"/ho-so/{_in(w)}/thao-tac/forward/",
        method="POST",
    ),
    Route(
        "dossier_forms:form",
        dossier_page(**SEES_DOSSIER),
        lambda w: f"/ho-so/{_in(w)}/mau-01/",
    ),
    Route(
        "dossier_forms:form-pdf",
        dossier_page(**SEES_DOSSIER),
        lambda w: f"/ho-so/{_in(w)}/mau-01.pdf",
    ),
    Route(
        "dossier_forms:register",
        dossier_page(desk_1=200, inspector=200, administrator=200),
        lambda w: f"/ho-so/so-theo-doi/?desk={w.in_progress.desk_id}&tu=01/11/2026&den=30/12/2026",
    ),
    Route(
        "dossier_forms:font", everyone(200), lambda w: "/ho-so/mau/phong-chu/NotoSerif-Regular.ttf"
    ),
    # ---- reports ---------------------------------------------------------------------------
    Route(
        "report-on-time",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/dung-han/",
    ),
    Route(
        "report-postal",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/buu-chinh/",
    ),
    # Where the time goes: leaders (their agency's rows), inspectors, administrators.
    Route(
        "time_reports:page",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/thoi-gian/",
    ),
    Route(
        "time_reports:xlsx",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/thoi-gian/xlsx",
    ),
    Route(
        "time_reports:procedure",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: f"/bao-cao/thoi-gian/thu-tuc/{w.in_progress.procedure_id}/",
    ),
    Route(
        "time_reports:procedure-xlsx",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: f"/bao-cao/thoi-gian/thu-tuc/{w.in_progress.procedure_id}/xlsx",
    ),
    Route(
        "hotline_reports:stats",
        cells(404, anonymous="login", operator=200, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/tong-dai/",
    ),
    Route(
        "hotline_reports:xlsx",
        cells(404, anonymous="login", operator=200, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/tong-dai/xlsx",
    ),
    # Decision 766 (docs/indicators.md): the leaders' dashboard and the late dossiers behind
    # its lost points are for leaders, inspectors and administrators; agency A's leader leads
    # a province-level department, so reads the province. The public pages need no sign-in.
    Route(
        "indicators:dashboard",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/chi-so/?ky=2026-11",
    ),
    Route(
        "indicators:dashboard",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: "/bao-cao/chi-so/?ky=2026-11&dinh-dang=xlsx",
    ),
    Route(
        "indicators:late",
        officers_only(403, leader_a=200, inspector=200, administrator=200),
        lambda w: (
            f"/bao-cao/chi-so/tre-han/?ky=2026-11&pham-vi=procedure&id={w.in_progress.procedure_id}"
        ),
    ),
    # A scope that does not exist: the same 404 for every reader.
    Route(
        "indicators:late",
        officers_only(403, leader_a=404, inspector=404, administrator=404),
        lambda w: "/bao-cao/chi-so/tre-han/?pham-vi=agency&id=999999",
    ),
    # Agency B's dashboard: not agency A's leader's (the same 404 as a missing scope), the
    # province readers'.
    Route(
        "indicators:dashboard",
        officers_only(403, leader_a=404, inspector=200, administrator=200),
        lambda w: f"/bao-cao/chi-so/?ky=2026-11&pham-vi=agency&id={_police()}",
    ),
    Route(
        "time_reports:procedure",
        officers_only(403, leader_a=404, inspector=404, administrator=404),
        lambda w: "/bao-cao/thoi-gian/thu-tuc/999999999/",
    ),
    Route(
        "public_indicators:unit",
        everyone(404),
        lambda w: "/chi-so/don-vi/999999999/?ky=2026-11",
    ),
    Route("public_indicators:province", everyone(200), lambda w: "/chi-so/?ky=2026-11"),
    Route("public_indicators:province", everyone(400), lambda w: "/chi-so/?ky=2026-13"),
    Route(
        "public_indicators:unit",
        everyone(200),
        lambda w: f"/chi-so/don-vi/{_commune_unit()}/?ky=2026-11",
    ),
    Route("public_indicators:json", everyone(200), lambda w: "/chi-so/du-lieu.json?ky=2026-11"),
    Route("public_indicators:csv", everyone(200), lambda w: "/chi-so/du-lieu.csv?ky=2026-11"),
    # ---- the sync with the national portal --------------------------------------------------
    # The operator's screen and its "Gửi lại": administrators only.
    Route(
        "national-sync",
        officers_only(403, administrator=200),
        lambda w: "/dong-bo/cong-dvc-quoc-gia/",
    ),
    Route(
        "national-sync-resend",
        officers_only(403, administrator=302),
        lambda w: "/dong-bo/cong-dvc-quoc-gia/gui-lai/",
        method="POST",
        data={"tat_ca": "1"},
    ),
    # A public signed link: the portal's servers fetch the file without a session; the token
    # names that one file (a forged or altered token is a 404: test_national_files.py).
    Route(
        "national-portal-file",
        everyone(200),
        lambda w: urlsplit(file_url("document", w.document.pk)).path,
    ),
    # ---- the 1022 console ------------------------------------------------------------------
    # Every agency answers its own queue; the console is closed to a switched-off member.
    Route(
        "hotline_console:queue", officers_only(deactivated=403, postman=403), lambda w: "/tong-dai/"
    ),
    Route(
        "hotline_console:call",
        officers_only(403, operator=200),
        lambda w: "/tong-dai/goi-dien/",
    ),
    Route(
        "hotline_console:caller",
        officers_only(403, operator=200),
        lambda w: "/tong-dai/goi-dien/nguoi-goi/",
        method="POST",
        data={"phone": "0912345678"},
    ),
    Route(
        "hotline_console:suggestions",
        officers_only(403, operator=200),
        lambda w: "/tong-dai/goi-dien/goi-y/",
        method="POST",
        data={"text": "hỏi về khai sinh"},
    ),
    Route(
        "hotline_console:ticket",
        ticket_page(**SEES_TICKET, postman=403),
        lambda w: f"/tong-dai/{w.ticket.code}/",
    ),
    Route(
        "hotline_console:knowledge",
        ticket_page(**SEES_TICKET, postman=403),
        lambda w: f"/tong-dai/{w.ticket.code}/tri-thuc/",
        method="POST",
        data={"tri_thuc": "khai sinh"},
    ),
    Route(
        "hotline_console:attachment",
        ticket_page(**SEES_TICKET, postman=403),
        lambda w: f"/tong-dai/{w.ticket.code}/tep/{w.ticket_attachment_pk}/",
    ),
    Route(
        "hotline_console:action",
        ticket_page(
            operator=302,
            specialist_a=302,
            leader_a=302,
            inspector=403,
            administrator=403,
            postman=403,
        ),
        lambda w: f"/tong-dai/{w.ticket.code}/thao-tac/note/",
        method="POST",
        data={"note-body": "Đã gọi lại cho công dân."},
    ),
    # ---- business dialogues ----------------------------------------------------------------
    # Staff pages that answer 404 to anyone without an active role (docs/decisions/hotline.md).
    Route("reform:sessions", STAFF_ONLY, lambda w: "/doi-thoai/"),
    Route(
        "reform:create",
        {
            **STAFF_ONLY,
            **dict.fromkeys(("desk_1", "desk_2", "specialist_a", "specialist_b"), 403),
            "postman": 403,
        }
        | {"inspector": 403},
        lambda w: "/doi-thoai/moi/",
    ),
    Route("reform:session", STAFF_ONLY, lambda w: f"/doi-thoai/{w.session_pk}/"),
    Route("reform:report", STAFF_ONLY, lambda w: f"/doi-thoai/{w.session_pk}/bao-cao/"),
    Route("reform:report-xlsx", STAFF_ONLY, lambda w: f"/doi-thoai/{w.session_pk}/bao-cao.xlsx"),
    # ---- simplification reviews (docs/reform.md) -------------------------------------------
    # Staff who take part in reviews: the reform office (here the administrator), the
    # province's readers (the inspector) and the drafting agencies' specialists and leaders;
    # everyone else finds no such page (404), the public is sent to sign in. Agency B's
    # specialist lists no cycle of agency A's and finds none of its pages.
    Route("review:cycles", REVIEWERS, lambda w: "/ra-soat/"),
    Route(
        "review:create",
        {**REVIEWERS, **dict.fromkeys(("specialist_a", "leader_a", "specialist_b"), 403)}
        | {"inspector": 403},
        lambda w: "/ra-soat/moi/",
    ),
    Route("review:cycle", SEES_REVIEW, lambda w: f"/ra-soat/{w.cycle_pk}/"),
    # Adding a procedure is the office's: an empty form is refused with its reasons.
    Route(
        "review:cycle",
        {
            **SEES_REVIEW,
            "specialist_a": 403,
            "leader_a": 403,
            "inspector": 403,
            "administrator": 422,
        },
        lambda w: f"/ra-soat/{w.cycle_pk}/",
        "POST",
    ),
    Route("review:report", SEES_REVIEW, lambda w: f"/ra-soat/{w.cycle_pk}/bao-cao/"),
    Route("review:report-pdf", SEES_REVIEW, lambda w: f"/ra-soat/{w.cycle_pk}/bao-cao.pdf"),
    Route("review:report-xlsx", SEES_REVIEW, lambda w: f"/ra-soat/{w.cycle_pk}/bao-cao.xlsx"),
    Route("review:proposal", SEES_REVIEW, lambda w: f"/ra-soat/phuong-an/{w.proposal_pk}/"),
    # Drafting is agency A's specialist's and leader's; the readers see it but may not.
    Route(
        "review:edit",
        {**SEES_REVIEW, "inspector": 403, "administrator": 403},
        lambda w: f"/ra-soat/phuong-an/{w.proposal_pk}/sua/",
    ),
    Route(
        "review:preview",
        {**SEES_REVIEW, "inspector": 403, "administrator": 403},
        lambda w: f"/ra-soat/phuong-an/{w.proposal_pk}/xem-truoc/",
        "POST",
    ),
    # Sending is agency A's leader's; the office approves only what was sent (409 here).
    Route(
        "review:action",
        {
            **SEES_REVIEW,
            "specialist_a": 403,
            "leader_a": 302,
            "inspector": 403,
            "administrator": 403,
        },
        lambda w: f"/ra-soat/phuong-an/{w.proposal_pk}/thao-tac/submit/",
        "POST",
    ),
    Route(
        "review:action",
        {
            **SEES_REVIEW,
            "specialist_a": 403,
            "leader_a": 403,
            "inspector": 403,
            "administrator": 409,
        },
        lambda w: f"/ra-soat/phuong-an/{w.proposal_pk}/thao-tac/approve/",
        "POST",
    ),
    # An unknown proposal: the same 404 for everyone who could see one.
    Route("review:proposal", cells(404, anonymous="login"), lambda w: "/ra-soat/phuong-an/999999/"),
    # ---- the what-if of a proposal (docs/simulate.md "What-if of a reform") ----------------
    # Whoever reads the proposal asks and reads its what-ifs; a run goes through its
    # proposal's door; one asked by the operator's command has no page.
    Route("whatif:start", SEES_REVIEW, lambda w: f"/bao-cao/gia-dinh/phuong-an/{w.proposal_pk}/"),
    Route(
        "whatif:start",
        {**SEES_REVIEW, **{p: 302 for p, a in SEES_REVIEW.items() if a == 200}},
        lambda w: f"/bao-cao/gia-dinh/phuong-an/{w.proposal_pk}/",
        "POST",
        {"online_percent": "60"},
    ),
    Route("whatif:run", SEES_REVIEW, lambda w: f"/bao-cao/gia-dinh/{w.whatif_pk}/"),
    Route(
        "whatif:run",
        cells(404, anonymous="login"),
        lambda w: f"/bao-cao/gia-dinh/{w.command_whatif_pk}/",
    ),
    # ---- the hotline's public pages --------------------------------------------------------
    Route("hotline_public:form", everyone(200), lambda w: "/phan-anh/"),
    # Without the private link's token, a ticket is missing for everyone.
    Route("hotline_public:follow_up", everyone(404), lambda w: f"/phan-anh/{w.ticket.code}/"),
    Route("hotline_public:answers", everyone(200), lambda w: "/hoi-dap/"),
    Route("hotline_public:answer", everyone(404), lambda w: "/hoi-dap/999999/"),
    # ---- platforms' webhooks: signed by the platform, not by a session ---------------------
    Route("hotline-channels:zalo-webhook", everyone(404), lambda w: "/kenh/zalo/webhook/", "POST"),
    Route(
        "hotline-channels:facebook-webhook",
        everyone(404),
        lambda w: "/kenh/facebook/webhook/",
        "POST",
    ),
    # ---- Open311 (public by the standard) ----------------------------------------------------
    Route("open311-discovery", everyone(200), lambda w: "/open311/v2/discovery.json"),
    Route("open311-services", everyone(200), lambda w: "/open311/v2/services.json"),
    Route("open311-service", everyone(404), lambda w: "/open311/v2/services/khong-co.json"),
    Route("open311-requests", everyone(200), lambda w: "/open311/v2/requests.json"),
    # A ticket that came by email is not an Open311 service request: nobody finds it there.
    Route(
        "open311-request",
        everyone(404),
        lambda w: f"/open311/v2/requests/{w.ticket.code}.json",
    ),
    Route("open311-token", everyone(404), lambda w: "/open311/v2/tokens/khong-co.json"),
    # ---- payments --------------------------------------------------------------------------
    # The gateway's calls: answered by their signature, whoever sends them (unsigned: refused).
    Route("payments:ipn", everyone(200), lambda w: "/thanh-toan/vnpay/ipn/"),
    Route("payments:return", everyone(400), lambda w: "/thanh-toan/vnpay/ket-qua/"),
    # Paying needs the signed link the applicant was sent; staff who see the dossier open it.
    Route("payments:start", cells(404, **SEES_DOSSIER), lambda w: f"/thanh-toan/{_in(w)}/bat-dau/"),
    # ---- the API (bearer tokens; a browser session is not a token) --------------------------
    Route("api-v1:openapi-json", everyone(200), lambda w: "/api/v1/openapi.json"),
    Route("api-v1:openapi-view", everyone(200), lambda w: "/api/v1/docs"),
    Route("api-v1:api-root", everyone(404), lambda w: "/api/v1/"),
    Route("api-v1:list_procedures", everyone(200), lambda w: "/api/v1/procedures"),
    Route("api-v1:get_procedure", everyone(200), lambda w: "/api/v1/procedures/1.000426"),
    Route("api-v1:list_desks", everyone(200), lambda w: "/api/v1/desks"),
    # The province's score is public; agency A's is its leader's and the province readers'
    # (the same 404 as an unknown scope for anyone else).
    Route("api-v1:indicators", everyone(200), lambda w: "/api/v1/indicators"),
    Route(
        "api-v1:indicators",
        cells(404, leader_a=200, inspector=200, administrator=200),
        lambda w: f"/api/v1/indicators?scope=agency&id={w.in_progress.competent_agency_id}",
    ),
    Route(
        "api-v1:compliance_cost_endpoint",
        everyone(401),
        lambda w: "/api/v1/reform/compliance-cost",
        "POST",
        json=True,
    ),
    Route("api-v1:cycle_endpoint", everyone(401), lambda w: f"/api/v1/reform/cycles/{w.cycle_pk}"),
    Route("api-v1:create_dossier", everyone(401), lambda w: "/api/v1/dossiers", "POST", json=True),
    Route("api-v1:get_dossier", everyone(401), lambda w: f"/api/v1/dossiers/{_in(w)}"),
    Route(
        "api-v1:act",
        everyone(401),
        lambda w: f"/api/v1/dossiers/{_in(w)}/actions/forward",
        "POST",
        json=True,
    ),
    # The postal service: the applicant, staff who see the dossier, and whoever registers it
    # across boundaries (any desk's receptionist, the 1022 operator); reading across the
    # province (inspector, administrator) registers nothing.
    Route(
        "api-v1:register_postal",
        cells(
            201,
            anonymous=401,
            citizen_b=404,
            specialist_b=404,
            deactivated=404,
            inspector=403,
            administrator=403,
        ),
        lambda w: f"/api/v1/dossiers/{_in(w)}/postal",
        "POST",
        data={
            "service": "delivery",
            "address": {"line": "12 Lý Thường Kiệt", "unit_code": "29869"},
            "contact": {"name": "Nguyễn Văn An", "phone": "0912345678"},
        },
        json=True,
    ),
    Route(
        "api-v1:list_postal",
        cells(200, anonymous=401, citizen_b=404, specialist_b=404, deactivated=404),
        lambda w: f"/api/v1/dossiers/{_in(w)}/postal",
    ),
    # The carrier's tracking webhook: signed by the carrier, not by a session; missing for
    # everyone while CARRIER_WEBHOOK_SECRET is unset (as here), unsigned calls 401 otherwise.
    Route(
        "api-v1:carrier_events",
        everyone(404),
        lambda w: "/api/v1/postal/carrier-events",
        "POST",
        json=True,
    ),
    Route("api-v1:lookup", everyone(200), lambda w: f"/api/v1/lookup/{_in(w)}"),
    Route(
        "api-v1:verify",
        everyone(200),
        lambda w: f"/api/v1/verify?code={_back(w)}&sha256={'0' * 64}",
    ),
    # The dossier's results: staff who see the dossier and its applicant, by session here
    # (a bearer token acts as its officer); anyone else the 404 of a missing dossier.
    Route(
        "api-v1:dossier_results",
        cells(404, anonymous=401, citizen_a=200, **SEES_DOSSIER),
        lambda w: f"/api/v1/dossiers/{_back(w)}/results",
    ),
    Route("api-v1:suggest", everyone(401), lambda w: "/api/v1/hotline/suggest", "POST", json=True),
    # Appointments: the slots are public; anyone may book (an empty body is refused before
    # anything else); a cancel needs the token in the body, so without it every one is 404.
    Route("api-v1:list_slots", everyone(200), lambda w: "/api/v1/appointments/slots"),
    Route("api-v1:book", everyone(422), lambda w: "/api/v1/appointments", "POST", json=True),
    Route(
        "api-v1:cancel",
        everyone(404),
        lambda w: "/api/v1/appointments/999999/cancel",
        "POST",
        json=True,
    ),
    # ---- home visits (docs/appointments.md) -----------------------------------------------
    # The citizen books on the portal; staff who visit homes publish; the 1022 operator and
    # desk clerks book for others; every officer has a day list and a feed page.
    Route("portal:home-visit", citizens_only(), lambda w: "/hen-tai-nha/"),
    Route(
        "appointments:publish",
        officers_only(
            403, desk_1=200, desk_2=200, specialist_a=200, leader_a=200, specialist_b=200
        ),
        lambda w: "/lich-hen/cong-bo/",
    ),
    Route(
        "appointments:book",
        officers_only(403, desk_1=200, desk_2=200, operator=200),
        lambda w: "/lich-hen/dat-hen/",
    ),
    Route("appointments:day", officers_only(deactivated=403), lambda w: "/lich-hen/trong-ngay/"),
    Route("appointments:feed", officers_only(deactivated=403), lambda w: "/lich-hen/lich-ical/"),
    # Reached by a secret link only: without the right token, 404 for everyone.
    Route("appointments:ical", everyone(404), lambda w: "/lich-hen/ical/khong-co.ics"),
    Route("appointments:manage", everyone(404), lambda w: "/lich-hen/doi-huy/khong-co/"),
    # A visit is its officer's (desk 1 makes citizen A's) and the administrator's, no one
    # else's; a posted step without its fields (or before the visit's day) is refused.
    Route(
        "appointments:visit",
        officers_only(404, deactivated=403, desk_1=200, administrator=200),
        lambda w: f"/lich-hen/{w.visit_pk}/",
    ),
    Route(
        "appointments:outcome",
        officers_only(404, deactivated=403, desk_1=422, administrator=422),
        lambda w: f"/lich-hen/{w.visit_pk}/ket-qua/",
        "POST",
    ),
    Route(
        "appointments:receive",
        officers_only(404, deactivated=403, desk_1=422, administrator=422),
        lambda w: f"/lich-hen/{w.visit_pk}/tiep-nhan/",
        "POST",
    ),
    Route(
        "appointments:return",
        officers_only(404, deactivated=403, desk_1=422, administrator=422),
        lambda w: f"/lich-hen/{w.visit_pk}/tra-ket-qua/",
        "POST",
    ),
    Route(None, everyone(302), lambda w: "/api/docs"),  # type: ignore[arg-type]
    # ---- the desk queue: the citizen's numbers, the desk's clerks, the waiting room --------
    Route("queue:take", citizens_only(), lambda w: "/lay-so/"),
    # Nobody's number 999999: missing and someone else's alike.
    Route("queue:cancel", citizens_only(404), lambda w: "/lay-so/999999/huy/", "POST"),
    # The clerks at a desk (its receptionists) list their desks; other officers are refused.
    Route(
        "queue:desks",
        officers_only(403, desk_1=200, desk_2=200, postman=200),
        lambda w: "/hang-doi/",
    ),
    # A desk's queue is for the clerks who receive at that desk (desk 1 at the centre).
    Route("queue:desk", QUEUE_CLERKS, lambda w: f"/hang-doi/{w.in_progress.desk_id}/"),
    Route(
        "queue:call",
        {**QUEUE_CLERKS, "desk_1": 302},
        lambda w: f"/hang-doi/{w.in_progress.desk_id}/goi/",
        "POST",
        {"counter": "1"},
    ),
    # An empty walk-in form: neither phone nor ID number (or outside the desk's hours).
    Route(
        "queue:walk-in",
        {**QUEUE_CLERKS, "desk_1": 422},
        lambda w: f"/hang-doi/{w.in_progress.desk_id}/boc-so/",
        "POST",
    ),
    Route(
        "queue:act",
        {**QUEUE_CLERKS, "desk_1": 404},
        lambda w: f"/hang-doi/{w.in_progress.desk_id}/so/999999/",
        "POST",
        {"step": "served"},
    ),
    # The waiting room's screen: numbers and counters only, for everyone.
    Route("queue:screen", everyone(200), lambda w: f"/hang-doi/{w.in_progress.desk_id}/man-hinh/"),
    Route(
        "queue:screen-data",
        everyone(200),
        lambda w: f"/hang-doi/{w.in_progress.desk_id}/man-hinh.json",
    ),
    # ---- the post office (docs/postal.md) ----------------------------------------------
    # Its pickup pages are the post office's officer's (403 for every other officer, before
    # any order is looked up); the hand-overs are also the receiving desk's: the postman who
    # drew it up sees and prints it, desk 1 sees and receives it, anyone else finds nothing
    # (404).
    Route("postal:orders", officers_only(403, postman=200), lambda w: "/buu-dien/"),
    Route(
        "postal:order", officers_only(403, postman=200), lambda w: f"/buu-dien/don/{w.pickup_pk}/"
    ),
    # A check posted without its slip: refused with the reason, nothing written.
    Route(
        "postal:order",
        officers_only(403, postman=422),
        lambda w: f"/buu-dien/don/{w.pickup_pk}/",
        "POST",
        {"complete": "1"},
    ),
    Route(
        "postal:slip",
        officers_only(403, postman=200),
        lambda w: f"/buu-dien/don/{w.pickup_pk}/phieu/{w.pickup_check_pk}/",
    ),
    Route(
        "postal:handovers",
        officers_only(403, desk_1=200, desk_2=200, postman=200),
        lambda w: "/buu-dien/ban-giao/",
    ),
    Route(
        "postal:handover-create",
        officers_only(403, postman=302),
        lambda w: "/buu-dien/ban-giao/lap/",
        "POST",
        {"don": "1"},
    ),
    Route(
        "postal:handover",
        dossier_page(desk_1=200, postman=200),
        lambda w: f"/buu-dien/ban-giao/{w.handover_pk}/",
    ),
    Route(
        "postal:handover-receive",
        dossier_page(desk_1=302, postman=403),
        lambda w: f"/buu-dien/ban-giao/{w.handover_pk}/nhan/",
        "POST",
    ),
    Route(
        "postal:handover-print",
        dossier_page(desk_1=200, postman=200),
        lambda w: f"/buu-dien/ban-giao/{w.handover_pk}/in/",
    ),
    Route(
        "postal:handover-pdf",
        dossier_page(desk_1=200, postman=200),
        lambda w: f"/buu-dien/ban-giao/{w.handover_pk}.pdf",
    ),
)


# The admin site: Django's own, staff only; its many patterns are one class.
ADMIN = cells("login", administrator=200)


def enumerate_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern outside the admin site, and of the admin site's."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                found.append((prefix + str(pattern.pattern), name or ""))

    walk(get_resolver().url_patterns, "", "")
    return found


def outcome(response: Any) -> Any:
    location = response.get("Location", "")
    if response.status_code == 302 and re.search(r"/(dang-nhap|login)/", location):
        return "login"
    return response.status_code


class _RollbackError(Exception):
    pass


def call(world: World, persona: str, route: Route) -> Any:
    cache.clear()
    client = world.client(persona)
    path = route.path(world)
    try:
        with transaction.atomic():
            if route.method == "GET":
                response = client.get(path)
            elif route.json:
                body = json.dumps(route.data) if route.data else "{}"
                response = client.post(path, body, content_type="application/json")
            else:
                response = client.post(path, route.data)
            raise _RollbackError(response)
    except _RollbackError as done:
        return outcome(done.args[0])


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build()


def test_every_url_pattern_is_classified():
    named = {route.name for route in ROUTES}
    unclassified = [
        (path, name)
        for path, name in enumerate_patterns()
        if not path.startswith("admin/") and name not in named and path != "api/docs"
    ]
    assert unclassified == [], "classify these in ROUTES (who gets what)"


def test_the_matrix(world):
    wrong = []
    rows = []
    for route in ROUTES:
        row = {persona: call(world, persona, route) for persona in PERSONAS}
        rows.append((route.name, row))
        for persona, expected in route.expect.items():
            if row[persona] != expected:
                wrong.append(f"{route.name} {persona}: expected {expected}, got {row[persona]}")
    if os.environ.get("MATRIX_PRINT"):
        print()
        for name, row in rows:
            print(f"{name or '-':40}", " ".join(f"{row[p]!s:>5}" for p in PERSONAS))
    assert wrong == [], "\n".join(wrong)


def test_the_admin_site_is_for_staff_only(world):
    """The admin's index and every model's list: the administrator only."""
    names = [name for _path, name in enumerate_patterns() if name.startswith("admin:")]
    paths = ["/admin/"] + [reverse(name) for name in names if name.endswith("_changelist")]
    wrong = []
    for path in paths:
        route = Route("admin", ADMIN, lambda w, p=path: p)
        for persona in PERSONAS:
            got = call(world, persona, route)
            if got != ADMIN[persona]:
                wrong.append(f"{path} {persona}: expected {ADMIN[persona]}, got {got}")
    assert wrong == [], "\n".join(wrong)
