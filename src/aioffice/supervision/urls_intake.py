"""Pages of supervision: intake (included by `aioffice.supervision.urls`)."""

from django.urls import URLPattern, path

from aioffice.evaluations import converters  # noqa: F401  (registers <record_id:…>)
from aioffice.supervision import views_intake as views

urlpatterns: list[URLPattern] = [
    # senders: downstream providers, the scientific panel, providers reporting incidents
    path("supervision/reports/", views.intake_mine, name="intake_mine"),
    path("supervision/reports/complaint/", views.complaint_new, name="complaint_new"),
    path("supervision/reports/alert/", views.alert_new, name="alert_new"),
    path("supervision/reports/incident/", views.incident_new, name="incident_new"),
    path(
        "supervision/reports/documents/<record_id:document_id>/",
        views.intake_document,
        name="intake_document",
    ),
    path(
        "supervision/reports/<str:tracking_number>/",
        views.intake_status,
        name="intake_status",
    ),
    path(
        "supervision/reports/<str:tracking_number>/incident-report/",
        views.incident_report_new,
        name="incident_report_new",
    ),
    # whistleblowers: anyone, without signing in; the key travels in a POST body only
    path("whistleblower/", views.whistleblower_new, name="whistleblower_new"),
    path("whistleblower/inbox/", views.whistleblower_inbox, name="whistleblower_inbox"),
    # Office staff: the triage queue
    path("office/supervision/intake/", views.intake_queue, name="intake_queue"),
    path("office/supervision/intake.csv", views.intake_queue_csv, name="intake_queue_csv"),
    path(
        "office/supervision/intake/<record_id:intake_id>/",
        views.intake_detail,
        name="intake_detail",
    ),
    path(
        "office/supervision/intake/<record_id:intake_id>/<slug:action>/",
        views.intake_action,
        name="intake_action",
    ),
]
