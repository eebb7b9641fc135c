from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/criteria/", views.campaign_criteria, name="criteria"),
    path("<int:pk>/quotas/", views.campaign_quotas, name="quotas"),
    path("<int:pk>/attachments/", views.campaign_attachments, name="attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/preview/", views.campaign_preview, name="preview"),
    path("<int:pk>/<slug:action>/", views.campaign_transition, name="transition"),
]
