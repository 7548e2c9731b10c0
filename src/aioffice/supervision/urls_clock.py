"""Pages of supervision: clock (included by `aioffice.supervision.urls`)."""

from django.urls import URLPattern, path

from aioffice.supervision import views_clock

urlpatterns: list[URLPattern] = [
    path("office/supervision/deadlines/", views_clock.dashboard, name="dashboard"),
    path("office/supervision/deadlines.csv", views_clock.dashboard_csv, name="dashboard_csv"),
    path("supervision/my-deadlines/", views_clock.provider_deadlines, name="my_deadlines"),
]
