"""Back-office pages for dossiers (server-rendered, htmx), under ``/ho-so/``."""

from django.urls import path

from motcua.dossiers.views import application_print, dossier, files, reception, search, worklists

app_name = "dossiers"
urlpatterns = [
    path("", worklists.worklist, name="worklist"),
    path("tiep-nhan/", reception.reception, name="reception"),
    path("tiep-nhan/thu-tuc/", reception.procedure_results, name="reception-procedures"),
    path("tiep-nhan/chu-ho-so/", reception.applicant_lookup, name="reception-applicant"),
    path("tim/", search.search, name="search"),
    path("<str:code>/", dossier.detail, name="detail"),
    path("<str:code>/don/", application_print.application_page, name="application"),
    path("<str:code>/giay-to/<int:document_id>/", files.document_file, name="document-file"),
    path("<str:code>/ket-qua/<int:result_id>/", files.result_file, name="result-file"),
    path("<str:code>/thao-tac/<slug:action>/", dossier.act, name="action"),
]
