from django.urls import URLPattern

from aioffice.evaluations import report_views

app_name = "evaluations"
urlpatterns: list[URLPattern] = [
    # the pages of views.py come here
    *report_views.urlpatterns,
]
