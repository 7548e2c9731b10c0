from django.urls import path

from aioffice.registry.watchlist import views

app_name = "watchlist"
urlpatterns = [
    path("office/watchlist/", views.entry_list, name="entry_list"),
    path("office/watchlist.csv", views.entry_list_csv, name="entry_list_csv"),
    path("office/watchlist/imports/", views.import_list, name="import_list"),
    path("office/watchlist/imports/new/", views.import_upload, name="import_upload"),
    path("office/watchlist/imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("office/watchlist/imports/<int:import_id>/file", views.import_file, name="import_file"),
    path("office/watchlist/imports/<int:import_id>/match/", views.row_match, name="row_match"),
    path(
        "office/watchlist/matches/<int:match_id>/<str:decision>/",
        views.match_decide,
        name="match_decide",
    ),
]
