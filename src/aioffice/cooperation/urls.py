"""The cooperation pages, one module per part; all under the `cooperation` namespace."""

from django.urls import path

from aioffice.cooperation import (
    urls_authorities,
    urls_bodies,
    urls_database,
    urls_exchange,
    urls_international,
    urls_rwt,
    urls_sandboxes,
    views_hub,
)

app_name = "cooperation"
urlpatterns = [
    path("cooperation/", views_hub.public_home, name="public_home"),
    path("office/cooperation/", views_hub.staff_home, name="staff_home"),
    path("authority/", views_hub.authority_home, name="authority_home"),
    *urls_authorities.urlpatterns,
    *urls_bodies.urlpatterns,
    *urls_exchange.urlpatterns,
    *urls_sandboxes.urlpatterns,
    *urls_rwt.urlpatterns,
    *urls_database.urlpatterns,
    *urls_international.urlpatterns,
]
