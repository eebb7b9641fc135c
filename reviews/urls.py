from django.urls import path

from .views import chain, experts

app_name = "reviews"
urlpatterns = [
    # The recommendation chain.
    path("", chain.queue, name="queue"),
    path("<int:pk>/decide/", chain.decide, name="decide"),
    path("campaigns/<int:pk>/progress/", chain.progress, name="progress"),
    path("campaigns/<int:pk>/progress.xlsx", chain.progress_export, name="progress_export"),
    path("campaigns/<int:pk>/extend/", chain.extend, name="extend"),
    # The expert review: the expert's pages.
    path("reviews/", experts.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", experts.score, name="score"),
    path("reviews/<int:pk>/autosave/", experts.score_autosave, name="score_autosave"),
    path("reviews/<int:pk>/decline/", experts.decline, name="decline"),
    path("reviews/<int:pk>/files/<str:sha256>/", experts.review_file, name="review_file"),
    # The organiser's pages.
    path("campaigns/<int:pk>/panel/", experts.panel, name="panel"),
    path("campaigns/<int:pk>/panel/<int:member>/remove/", experts.panel_remove, name="panel_remove"),
    path("campaigns/<int:pk>/assignments/", experts.assignments, name="assignments"),
    path("campaigns/<int:pk>/assignments/<int:result>/", experts.assign, name="assign"),
    path("campaigns/<int:pk>/reviews/<int:assignment>/reopen/", experts.reopen, name="reopen"),
    path("campaigns/<int:pk>/ranking/", experts.ranking, name="ranking"),
    path("campaigns/<int:pk>/ranking.xlsx", experts.ranking_export, name="ranking_export"),
    path("campaigns/<int:pk>/shortlist/", experts.shortlist, name="shortlist"),
]
