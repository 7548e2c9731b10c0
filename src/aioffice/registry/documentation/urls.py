from django.urls import path

from aioffice.registry.documentation import views

app_name = "documentation"
urlpatterns = [
    path(
        "documentation/versions/<int:version_id>/",
        views.version_overview,
        name="version_overview",
    ),
    path(
        "documentation/versions/<int:version_id>/<str:doc_type>/edit/",
        views.document_edit,
        name="document_edit",
    ),
    path(
        "documentation/versions/<int:version_id>/annex-xii-request/",
        views.request_create,
        name="request_create",
    ),
    path(
        "documentation/submissions/<int:submission_id>/",
        views.submission_detail,
        name="submission_detail",
    ),
    path(
        "documentation/submissions/<int:submission_id>/submit/",
        views.submission_submit,
        name="submission_submit",
    ),
    path(
        "documentation/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("documentation/requests/", views.request_list, name="request_list"),
    path(
        "registers/training-summaries/",
        views.public_training_summaries,
        name="public_training_summaries",
    ),
    path(
        "registers/training-summaries/<int:version_id>/",
        views.public_training_summary,
        name="public_training_summary",
    ),
    path(
        "registers/training-summaries/files/<int:attachment_id>/",
        views.public_attachment_download,
        name="public_attachment_download",
    ),
    path(
        "documentation/requests/<int:request_id>/",
        views.request_detail,
        name="request_detail",
    ),
]
