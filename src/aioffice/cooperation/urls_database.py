"""Routes of cooperation, part database; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_database as views

urlpatterns = [
    path("eu-database/", views.database_search, name="database_search"),
    path("eu-database/mine/", views.database_mine, name="database_mine"),
    path("office/cooperation/eu-database/", views.database_admin, name="database_admin"),
]
