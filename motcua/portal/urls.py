"""The citizen portal: ``path("", include("motcua.portal.urls"))`` in config/urls.py, with
``path("", motcua.portal.views.home, name="home")`` as the home page."""

from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("thu-tuc/", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure_page, name="procedure"),
    path("thu-tuc/<str:code>/nop/", views.apply, name="apply"),
    path("ho-so-cua-toi/", views.my_dossiers, name="mine"),
    path("hen-tai-nha/", views.home_visit, name="home-visit"),
    path("kho-giay-to/", views.document_store, name="store"),
    path("kho-giay-to/dong-y/", views.store_consent, name="store-consent"),
    path("kho-giay-to/<int:item_id>/tai-ve/", views.stored_download, name="store-file"),
    path("kho-giay-to/<int:item_id>/xoa/", views.stored_delete, name="store-delete"),
    path("ho-so-cua-toi/<str:code>/", views.dossier_page, name="dossier"),
    path("ho-so-cua-toi/<str:code>/da-nop/", views.submitted, name="submitted"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.rate, name="rate"),
    path("ho-so-cua-toi/<str:code>/buu-chinh/", views.postal, name="postal"),
    path(
        "ho-so-cua-toi/<str:code>/buu-chinh/huy/<int:order_id>/",
        views.cancel_postal,
        name="postal-cancel",
    ),
    path(
        "ho-so-cua-toi/<str:code>/giay-to/<int:document_id>/",
        views.document_file,
        name="document",
    ),
    path(
        "ho-so-cua-toi/<str:code>/ket-qua/<int:result_id>/",
        views.result_file,
        name="result",
    ),
]
