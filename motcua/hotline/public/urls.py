"""Included at the site's root by config/urls.py: the web form and the public Q&A."""

from django.urls import URLPattern, URLResolver, path

from motcua.hotline.public import views

app_name = "hotline_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("phan-anh/", views.web_form, name="form"),
    path("phan-anh/<str:code>/", views.follow_up, name="follow_up"),
    path("hoi-dap/", views.answers, name="answers"),
    path("hoi-dap/<int:pk>/", views.answer_page, name="answer"),
]
