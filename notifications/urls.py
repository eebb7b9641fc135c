from django.urls import path

from . import reminder_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("campaigns/<int:pk>/reminders/", reminder_views.campaign_reminders, name="campaign_reminders"),
]
