"""Routes of cooperation, part authorities; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_authorities as views

urlpatterns = [
    path("cooperation/authorities/", views.authority_directory, name="authority_directory"),
    path("office/cooperation/authorities/", views.authority_admin, name="authority_admin"),
]
