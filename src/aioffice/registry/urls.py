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
