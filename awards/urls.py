from django.urls import path

from .views import bundles, showcase, staff

app_name = "awards"
urlpatterns = [
    path("campaigns/<int:pk>/notice/", staff.publish, name="publish"),
    path("campaigns/<int:pk>/units/<int:unit>/notice/", staff.unit_publish, name="unit_publish"),
    path("campaigns/<int:pk>/objections/", staff.objections, name="objections"),
    path("notices/<int:pk>/", staff.notice, name="notice"),
    path("campaigns/<int:pk>/objections/<int:objection>/decide/", staff.objection_decide, name="objection_decide"),
    path("objections/<int:pk>/attachment/", staff.objection_attachment, name="objection_attachment"),
    path("campaigns/<int:pk>/naming/", staff.naming, name="naming"),
    path("titles/<int:pk>/certificate.pdf", staff.certificate, name="certificate"),
    path("campaigns/<int:pk>/certificates/bundle/", bundles.bundle_new, name="bundle_new"),
    path("campaigns/<int:pk>/certificates/bundle/<int:bundle>/", bundles.bundle_detail, name="bundle"),
    path(
        "campaigns/<int:pk>/certificates/bundle/<int:bundle>/download/",
        bundles.bundle_download,
        name="bundle_download",
    ),
    path("campaigns/<int:pk>/features/", showcase.features, name="features"),
    path("campaigns/<int:pk>/features/titles/<int:title>/", showcase.feature_edit, name="feature_edit"),
    path("campaigns/<int:pk>/features/<int:feature>/withdraw/", showcase.feature_withdraw, name="feature_withdraw"),
]
