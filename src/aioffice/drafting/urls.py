"""The drafting pages, one module per part; all under the `drafting` namespace."""

from django.urls import path

from aioffice.drafting import (
    urls_adoption,
    urls_analysis,
    urls_consultations,
    urls_drafts,
    urls_projects,
    views_hub,
)

app_name = "drafting"
urlpatterns = [
    path("codes/", views_hub.public_home, name="public_home"),
    path("office/drafting/", views_hub.staff_home, name="staff_home"),
    path("drafting/", views_hub.my_home, name="my_home"),
    *urls_projects.urlpatterns,
    *urls_drafts.urlpatterns,
    *urls_consultations.urlpatterns,
    *urls_analysis.urlpatterns,
    *urls_adoption.urlpatterns,
]
