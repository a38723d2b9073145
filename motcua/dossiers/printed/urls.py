"""Addresses of the printed forms, included under /ho-so/ (Circular 03/2025/TT-VPCP forms).

/ho-so/<code>/mau-01/ … /mau-06/ (HTML), the same with .pdf (/ho-so/<code>/mau-01.pdf), and
/ho-so/so-theo-doi/?desk=<id>&tu=dd/mm/yyyy&den=dd/mm/yyyy[&dinh-dang=pdf|xlsx] (Form 07).
"""

from django.urls import path, re_path

from motcua.dossiers.printed import views

app_name = "dossier_forms"

urlpatterns = [
    path("so-theo-doi/", views.register_page, name="register"),
    path("mau/phong-chu/<str:name>", views.font_file, name="font"),
    re_path(r"^(?P<code>[^/]+)/mau-(?P<number>0[1-6])/$", views.form_page, name="form"),
    re_path(r"^(?P<code>[^/]+)/mau-(?P<number>0[1-6])\.pdf$", views.form_pdf, name="form-pdf"),
]
