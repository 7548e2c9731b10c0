"""Routes of the portal's calls; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_calls as views

urlpatterns = [
    # the public
    path("jobs/", views.call_list, name="call_list"),
    path("jobs/<str:reference>/", views.call_detail, name="call_detail"),
    path("jobs/<str:reference>/apply/", views.call_apply, name="call_apply"),
    path(
        "jobs/<str:reference>/applied/<str:tracking_number>/",
        views.call_applied,
        name="call_applied",
    ),
    # heads of unit and administrators
    path("office/portal/calls/", views.call_admin_list, name="call_admin_list"),
    path("office/portal/calls/new/", views.call_new, name="call_new"),
    path("office/portal/calls/<str:reference>/", views.call_admin_detail, name="call_admin_detail"),
    path("office/portal/calls/<str:reference>/edit/", views.call_edit, name="call_edit"),
    path(
        "office/portal/calls/<str:reference>/applications/",
        views.application_list,
        name="application_list",
    ),
    path(
        "office/portal/calls/<str:reference>/applications.csv",
        views.application_list_csv,
        name="application_list_csv",
    ),
    path(
        "office/portal/calls/<str:reference>/<slug:action>/",
        views.call_action,
        name="call_action",
    ),
    path(
        "office/portal/applications/<str:tracking_number>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "office/portal/applications/<str:tracking_number>/status/",
        views.application_status,
        name="application_status",
    ),
    path(
        "office/portal/applications/<str:tracking_number>/cv/",
        views.application_cv,
        name="application_cv",
    ),
]
