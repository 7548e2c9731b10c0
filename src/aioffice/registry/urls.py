from django.urls import path

from aioffice.registry import views

app_name = "registry"
urlpatterns = [
    path(
        "registers/systemic-risk-models/",
        views.systemic_risk_models,
        name="systemic_risk_models",
    ),
    path(
        "registers/systemic-risk-models.json",
        views.systemic_risk_models_json,
        name="systemic_risk_models_json",
    ),
    path(
        "registers/systemic-risk-models.csv",
        views.systemic_risk_models_csv,
        name="systemic_risk_models_csv",
    ),
]
urlpatterns += [
    path(
        "registry/versions/<int:version_id>/notify/",
        views.notification_submit,
        name="notification_submit",
    ),
    path("registry/notifications/", views.notification_queue, name="notification_queue"),
    path(
        "registry/notifications/<str:tracking_number>/",
        views.notification_detail,
        name="notification_detail",
    ),
]
urlpatterns += [
    path("registry/notifications.csv", views.notification_queue_csv, name="notification_queue_csv"),
    path(
        "registry/notifications/<str:tracking_number>/assign/",
        views.notification_assign,
        name="notification_assign",
    ),
    path(
        "registry/notifications/<str:tracking_number>/information-requests/",
        views.notification_request_information,
        name="notification_request_information",
    ),
    path(
        "registry/notifications/<str:tracking_number>/information-requests/<int:request_id>/answer/",
        views.information_request_answer,
        name="information_request_answer",
    ),
    path(
        "registry/notifications/<str:tracking_number>/hearing/",
        views.notification_hearing,
        name="notification_hearing",
    ),
    path(
        "registry/notifications/<str:tracking_number>/decision/",
        views.notification_decide,
        name="notification_decide",
    ),
    path(
        "registry/notifications/<str:tracking_number>/withdraw/",
        views.notification_withdraw,
        name="notification_withdraw",
    ),
    path(
        "registry/notifications/<str:tracking_number>/documents/",
        views.notification_add_documents,
        name="notification_add_documents",
    ),
    path("registry/deadlines/", views.deadlines, name="deadlines"),
    path("registry/models/", views.model_list, name="model_list"),
    path("registry/models.csv", views.model_list_csv, name="model_list_csv"),
    path("registry/models/<int:model_id>/", views.model_detail, name="model_detail"),
    path("registry/versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path(
        "registry/versions/<int:version_id>/designate/",
        views.version_designate,
        name="version_designate",
    ),
    path(
        "registry/versions/<int:version_id>/reassessment-requests/",
        views.reassessment_request,
        name="reassessment_request",
    ),
    path(
        "registry/reassessment-requests/<int:request_id>/decision/",
        views.reassessment_decide,
        name="reassessment_decide",
    ),
]
urlpatterns += [
    path("registry/models/new/", views.model_register, name="model_register"),
    path("registry/models/<int:model_id>/versions/new/", views.version_add, name="version_add"),
    path("registry/versions/<int:version_id>/edit/", views.version_edit, name="version_edit"),
    path("registry/providers/", views.provider_list, name="provider_list"),
    path("registry/providers.csv", views.provider_list_csv, name="provider_list_csv"),
    path("registry/providers/<int:provider_id>/", views.provider_detail, name="provider_detail"),
    path(
        "registry/providers/<int:provider_id>/mandates/new/",
        views.mandate_add,
        name="mandate_add",
    ),
    path(
        "registry/mandates/<int:mandate_id>/terminate/",
        views.mandate_terminate,
        name="mandate_terminate",
    ),
    path(
        "registry/notifications/<str:tracking_number>/documents/<int:document_id>/",
        views.notification_document,
        name="notification_document",
    ),
    path(
        "registry/mandates/<int:mandate_id>/document/",
        views.mandate_document,
        name="mandate_document",
    ),
]
