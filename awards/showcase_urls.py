"""The public showcase of typical examples (典型选树): mounted at /showcase/."""

from django.urls import path

from .views import showcase

app_name = "showcase"
urlpatterns = [
    path("", showcase.showcase_list, name="list"),
    path("<int:pk>/", showcase.showcase_detail, name="detail"),
    path("<int:pk>/photos/<int:photo>/", showcase.showcase_photo, name="photo"),
]
