"""Routes of cooperation, part authorities; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_authorities as views

urlpatterns = [
    path("cooperation/authorities/", views.authority_directory, name="authority_directory"),
    path(
        "cooperation/authorities/<str:member_state>/",
        views.authority_member_state,
        name="authority_member_state",
    ),
    path(
        "cooperation/authorities/<str:member_state>/<int:pk>/",
        views.authority_detail,
        name="authority_detail",
    ),
    path(
        "cooperation/authorities/<str:member_state>/resource-reports/new/",
        views.resource_report_new,
        name="resource_report_new",
    ),
    path(
        "cooperation/authorities/<str:member_state>/resource-reports/<int:pk>/file",
        views.resource_report_file,
        name="resource_report_file",
    ),
    path("office/cooperation/authorities/", views.authority_admin, name="authority_admin"),
    path(
        "office/cooperation/authorities/new/",
        views.authority_admin_new,
        name="authority_admin_new",
    ),
    path(
        "office/cooperation/authorities/<int:pk>/",
        views.authority_admin_edit,
        name="authority_admin_edit",
    ),
    path(
        "office/cooperation/authorities/<int:pk>/end/",
        views.authority_admin_end,
        name="authority_admin_end",
    ),
    path(
        "office/cooperation/authorities/<int:pk>/single-point-of-contact/",
        views.authority_admin_spoc,
        name="authority_admin_spoc",
    ),
]
