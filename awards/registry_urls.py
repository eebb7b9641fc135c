"""The public registry of named teams (命名班组名录): mounted at /registry/."""

from django.urls import path

from .views import registry

app_name = "registry"
urlpatterns = [
    path("", registry.registry_list, name="list"),
    path("export.xlsx", registry.registry_export_xlsx, name="export_xlsx"),
    path("export.csv", registry.registry_export_csv, name="export_csv"),
    path("teams/<int:pk>/", registry.registry_team, name="team"),
    path("decisions/<int:pk>/", registry.registry_decision, name="decision"),
]
