"""The project's URLs: each app's pages under its own prefix."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from . import views

admin.site.site_header = _("Mengtao-style Team Campaigns · Administration")
admin.site.site_title = _("Mengtao-style Team Campaigns")
admin.site.index_title = _("Data administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("notices/", include("campaigns.public_urls")),
    path("publicity/", include("awards.public_urls")),
    path("registry/", include("awards.registry_urls")),
    path("showcase/", include("awards.showcase_urls")),
    path("teams/", include("teams.urls")),
    path("applications/", include("teams.application_urls")),
    path("recommendations/", include("reviews.urls")),
    path("awards/", include("awards.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "mengtao.views.bad_request"
handler403 = "mengtao.views.permission_denied"
handler404 = "mengtao.views.page_not_found"
handler500 = "mengtao.views.server_error"
