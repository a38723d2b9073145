from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from config.api import api
from motcua.core.health import healthz
from motcua.dossiers.views import national_files, national_sync
from motcua.dossiers.views.public_lookup import lookup_page
from motcua.dossiers.views.verification import verify_page
from motcua.org.views import staff_home
from motcua.portal.views import home as portal_home
from motcua.reports.public_views import public_statistics
from motcua.reports.views import on_time, postal

admin.site.site_header = _("motcua · Quản trị hệ thống một cửa")
admin.site.site_title = "motcua"
admin.site.index_title = _("Quản trị")

urlpatterns = [
    path("", portal_home, name="home"),
    path("", include("motcua.portal.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("lam-viec/", staff_home, name="staff-home"),
    path("tra-cuu/", lookup_page, name="public-lookup-form"),
    path("tra-cuu/<str:code>/", lookup_page, name="public-lookup"),
    # Whether a result is genuine: the address printed on every signed result's stamp
    # (docs/signatures.md "Verification and revocation").
    path("xac-thuc/", verify_page, name="verify"),
    # The printed forms first: the back office's "<code>/" route would take "so-theo-doi/".
    path("ho-so/", include("motcua.dossiers.printed.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    # The post office's pickups and the hand-overs to the desks (docs/postal.md).
    path("buu-dien/", include("motcua.postal.urls")),
    path("bao-cao/dung-han/", on_time, name="report-on-time"),
    path("bao-cao/buu-chinh/", postal, name="report-postal"),
    path("dong-bo/cong-dvc-quoc-gia/", national_sync.screen, name="national-sync"),
    path("dong-bo/cong-dvc-quoc-gia/gui-lai/", national_sync.resend, name="national-sync-resend"),
    # The national portal fetches a dossier's files by the signed links it was sent.
    path(
        "cong-dvc-quoc-gia/tep/<str:token>/",
        national_files.portal_file,
        name="national-portal-file",
    ),
    path("thong-ke/", public_statistics, name="public-statistics"),
    path("bao-cao/tong-dai/", include("motcua.reports.hotline_urls")),
    path("bao-cao/thoi-gian/", include("motcua.reports.time_urls")),
    path("bao-cao/gia-dinh/", include("motcua.reports.whatif_urls")),
    # Decision 766 indicators: the leaders' dashboard and the public page (docs/indicators.md).
    path("bao-cao/chi-so/", include("motcua.reports.indicator_urls")),
    path("chi-so/", include("motcua.reports.indicator_public_urls")),
    path("tong-dai/", include("motcua.hotline.console.urls")),
    path("doi-thoai/", include("motcua.reform.urls")),
    # Simplification reviews: cycles, proposals, the cycle's report (docs/reform.md).
    path("ra-soat/", include("motcua.reform.review_urls")),
    # Citizens: the web form (/phan-anh/) and the public Q&A (/hoi-dap/).
    path("", include("motcua.hotline.public.urls")),
    # Platforms' webhooks (Zalo, Messenger): signed by the platform, no session, no CSRF.
    path("kenh/", include("motcua.hotline.channels.urls")),
    path("open311/v2/", include("motcua.hotline.open311.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("buu-chinh/", include("motcua.postal.registration_urls")),
    # The desk queue: the citizen's numbers, the clerk's page, the waiting room's screen.
    path("", include("motcua.appointments.queue_urls")),
    path("lich-hen/", include("motcua.appointments.urls")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("healthz", healthz, name="healthz"),
]
