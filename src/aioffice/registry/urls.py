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
