from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("campaigns/<int:pk>/progress/", views.progress, name="progress"),
    path("campaigns/<int:pk>/progress.xlsx", views.progress_export, name="progress_export"),
    path("campaigns/<int:pk>/extend/", views.extend, name="extend"),
]
