"""Routes of cooperation, part bodies; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_bodies as views

urlpatterns = [
    path("cooperation/bodies/", views.bodies_public, name="bodies_public"),
    path("office/cooperation/bodies/", views.bodies_admin, name="bodies_admin"),
]
