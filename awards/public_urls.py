"""The public's pages of the public notice (公示): mounted at /publicity/."""

from django.urls import path

from .views import public

app_name = "publicity"
urlpatterns = [
    path("", public.notice_list, name="list"),
    path("<int:pk>/", public.notice_detail, name="detail"),
    path("<int:pk>/teams/<int:entry_pk>/objection/", public.objection_new, name="object"),
    path("objections/", public.lookup, name="lookup"),
]
