from django.urls import path

from .views import bundles, history, reassessment, revocation, showcase, staff

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
    path("titles/revoke/", revocation.revoke, name="revoke"),
    path("revocations/", revocation.revocation_list, name="revocations"),
    path("revocations/<int:pk>/", revocation.revocation_detail, name="revocation"),
    path("campaigns/<int:pk>/certificates/bundle/", bundles.bundle_new, name="bundle_new"),
    path("campaigns/<int:pk>/certificates/bundle/<int:bundle>/", bundles.bundle_detail, name="bundle"),
    path(
        "campaigns/<int:pk>/certificates/bundle/<int:bundle>/download/",
        bundles.bundle_download,
        name="bundle_download",
    ),
    path("teams/<int:pk>/history/", history.team_history, name="team_history"),
    # Re-assessment (复核).
    path("reassessments/", reassessment.reassessment_list, name="reassessments"),
    path("reassessments/new/", reassessment.reassessment_start, name="reassessment_start"),
    path("reassessments/<int:pk>/", reassessment.reassessment_detail, name="reassessment"),
    path("reassessments/<int:pk>/close/", reassessment.reassessment_close, name="reassessment_close"),
    path("reassessments/queue/", reassessment.queue, name="reassessment_queue"),
    path("reassessments/reports/<int:pk>/", reassessment.report, name="reassessment_report"),
    path("reassessments/reports/<int:pk>/files/<str:sha256>/", reassessment.report_file, name="reassessment_file"),
    path("reassessments/reports/<int:pk>/decide/", reassessment.decide, name="reassessment_decide"),
    path("reassessments/reports/<int:pk>/conclude/", reassessment.item_conclude, name="reassessment_conclude"),
    path("campaigns/<int:pk>/features/", showcase.features, name="features"),
    path("campaigns/<int:pk>/features/titles/<int:title>/", showcase.feature_edit, name="feature_edit"),
    path("campaigns/<int:pk>/features/<int:feature>/withdraw/", showcase.feature_withdraw, name="feature_withdraw"),
]
