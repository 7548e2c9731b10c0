"""Routes of cooperation, part database; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_database as views

urlpatterns = [
    path("eu-database/", views.database_search, name="database_search"),
    path("eu-database/registrations.json", views.database_json, name="database_json"),
    path("eu-database/registrations.csv", views.database_csv, name="database_csv"),
    path("eu-database/mine/", views.database_mine, name="database_mine"),
    path(
        "eu-database/mine/register/<str:section>/",
        views.database_register,
        name="database_register",
    ),
    path("eu-database/mine/<str:number>/", views.database_manage, name="database_manage"),
    path("eu-database/<str:number>/", views.database_detail, name="database_detail"),
    path(
        "eu-database/<str:number>/files/<int:file_id>/",
        views.database_file,
        name="database_file",
    ),
    path("office/cooperation/eu-database/", views.database_admin, name="database_admin"),
    path(
        "office/cooperation/eu-database/<str:number>/",
        views.database_admin_detail,
        name="database_admin_detail",
    ),
]
