from django.urls import path

from aioffice.registry.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path(
        "registry/versions/<int:version_id>/compliance/",
        views.version_compliance,
        name="version_compliance",
    ),
    path("registry/compliance/", views.provider_compliance, name="provider_compliance"),
    path("registry/compliance.csv", views.provider_compliance_csv, name="provider_compliance_csv"),
    path("office/compliance/", views.office_compliance, name="office_compliance"),
    path("office/compliance.csv", views.office_compliance_csv, name="office_compliance_csv"),
]
