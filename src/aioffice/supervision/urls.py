"""Pages of supervision: intake and triage, case files, the deadline dashboards."""

from django.urls import URLPattern

from aioffice.supervision import urls_cases, urls_clock, urls_intake

app_name = "supervision"
urlpatterns: list[URLPattern] = [
    *urls_intake.urlpatterns,
    *urls_cases.urlpatterns,
    *urls_clock.urlpatterns,
]
