"""Routes of cooperation, part sandboxes; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_sandboxes as views

urlpatterns = [
    path("cooperation/sandboxes/", views.sandbox_list, name="sandbox_list"),
    path("cooperation/sandboxes.csv", views.sandbox_list_csv, name="sandbox_list_csv"),
    path("cooperation/sandboxes/<int:pk>/", views.sandbox_public, name="sandbox_public"),
    path("cooperation/sandboxes/<int:pk>/apply/", views.sandbox_apply, name="sandbox_apply"),
    path(
        "cooperation/sandboxes/mine/",
        views.sandbox_applications_mine,
        name="sandbox_applications_mine",
    ),
    path(
        "cooperation/sandboxes/applications/<int:pk>/",
        views.sandbox_application,
        name="sandbox_application",
    ),
    path(
        "cooperation/sandboxes/applications/<int:pk>/exit-report/",
        views.sandbox_exit_report,
        name="sandbox_exit_report",
    ),
    path(
        "cooperation/sandboxes/applications/<int:pk>/<slug:action>/",
        views.sandbox_application_action,
        name="sandbox_application_action",
    ),
    path("office/cooperation/sandboxes/", views.sandbox_admin, name="sandbox_admin"),
    path("office/cooperation/sandboxes/new/", views.sandbox_create, name="sandbox_create"),
    path("office/cooperation/sandboxes/<int:pk>/", views.sandbox_detail, name="sandbox_detail"),
    path(
        "office/cooperation/sandboxes/<int:pk>/reports/<int:report_id>/",
        views.sandbox_report_download,
        name="sandbox_report_download",
    ),
]
