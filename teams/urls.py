from django.urls import path

from .views import ledger as ledger_views
from .views import team as views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("export.xlsx", views.team_export, name="export"),
    path("mine/", views.my_teams, name="mine"),
    path("register/", views.team_register, name="register"),
    path("new/", views.team_create, name="create"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/edit/", views.team_edit, name="edit"),
    path("<int:pk>/review/", views.team_review, name="review"),
    path("<int:pk>/resubmit/", views.team_resubmit, name="resubmit"),
    path("<int:pk>/move/", views.team_move, name="move"),
    path("<int:pk>/members/new/", views.member_edit, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("<int:pk>/pairs/new/", views.pair_add, name="pair_add"),
    path("<int:pk>/ledger/", ledger_views.ledger_list, name="ledger"),
    path("<int:pk>/ledger/new/", ledger_views.ledger_edit, name="ledger_add"),
    path("<int:pk>/ledger/<int:entry_pk>/", ledger_views.ledger_edit, name="ledger_edit"),
    path("<int:pk>/ledger/<int:entry_pk>/delete/", ledger_views.ledger_delete, name="ledger_delete"),
    path("<int:pk>/ledger/files/<int:file_pk>/", ledger_views.ledger_file, name="ledger_file"),
    path("<int:pk>/ledger/files/<int:file_pk>/remove/", ledger_views.ledger_file_remove, name="ledger_file_remove"),
]
