"""Routes of cooperation, part international; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_international as views

urlpatterns = [
    path("cooperation/international/", views.international_public, name="international_public"),
    path(
        "office/cooperation/international/", views.international_admin, name="international_admin"
    ),
]
