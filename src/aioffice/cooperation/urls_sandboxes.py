"""Routes of cooperation, part sandboxes; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_sandboxes as views

urlpatterns = [
    path("cooperation/sandboxes/", views.sandbox_list, name="sandbox_list"),
    path("office/cooperation/sandboxes/", views.sandbox_admin, name="sandbox_admin"),
]
