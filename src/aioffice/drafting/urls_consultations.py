"""The consultations pages of drafting (under the `drafting` namespace)."""

from django.urls import URLPattern, path

from aioffice.drafting import views_consultations as views

C = "consultations/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path(
        "codes/<slug:slug>/drafts/<int:number>/consult/",
        views.consultation_new,
        name="consultation_new",
    ),
    path(C, views.consultation, name="consultation"),
    path(f"{C}feedback/", views.consultation_feedback, name="consultation_feedback"),
    path(f"{C}export", views.consultation_export, name="consultation_export"),
    path(f"{C}import/", views.consultation_import, name="consultation_import"),
    path(f"{C}close", views.consultation_close, name="consultation_close"),
    path(f"{C}publish", views.consultation_publish, name="consultation_publish"),
    path(f"{C}responses/", views.consultation_responses, name="consultation_responses"),
    path(f"{C}responses.csv", views.consultation_responses_csv, name="consultation_responses_csv"),
    path("consultations/confirm/<str:token>/", views.response_confirm, name="response_confirm"),
]
