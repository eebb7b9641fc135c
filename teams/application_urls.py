from django.urls import path

from .views import application as views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("export.xlsx", views.application_export, name="export"),
    path("start/", views.application_start, name="start"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/autosave/", views.application_autosave, name="autosave"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/versions/", views.application_versions, name="versions"),
    path("<int:pk>/print/", views.application_print, name="print"),
    path("<int:pk>/form.pdf", views.application_pdf, name="pdf"),
    path("<int:pk>/files/<str:sha256>/", views.application_file, name="file"),
]
