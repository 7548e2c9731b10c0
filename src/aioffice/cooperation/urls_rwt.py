"""Routes of cooperation, part real-world testing; `aioffice.cooperation.urls` joins the
parts."""

from django.urls import path

from aioffice.cooperation import views_rwt as views

urlpatterns = [
    path("real-world-testing/", views.rwt_list, name="rwt_list"),
]
