"""Pages of supervision: cases (included by `aioffice.supervision.urls`)."""

from django.urls import URLPattern, path

from aioffice.evaluations import converters  # noqa: F401  (registers <record_id:…>)
from aioffice.supervision import views_cases as views

urlpatterns: list[URLPattern] = [
    # Office staff: the register and the case files
    path("office/supervision/cases/", views.case_list, name="case_list"),
    path("office/supervision/cases.csv", views.case_list_csv, name="case_list_csv"),
    path("office/supervision/cases/new/", views.case_new, name="case_new"),
    path("office/supervision/cases/<record_id:case_id>/", views.case_detail, name="case_detail"),
    path(
        "office/supervision/cases/<record_id:case_id>/steps/<slug:step>/",
        views.case_step,
        name="case_step",
    ),
    path(
        "office/supervision/documents/<record_id:document_id>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "office/supervision/decisions/<record_id:decision_id>.pdf",
        views.decision_pdf,
        name="decision_pdf",
    ),
    # national authorities: the cases shared with them (read-only case files)
    path("supervision/shared-cases/", views.shared_cases, name="shared_cases"),
    # the provider's side
    path("supervision/my-cases/", views.my_cases, name="my_cases"),
    path("supervision/my-cases/<record_id:case_id>/", views.my_case, name="my_case"),
    path(
        "supervision/my-cases/requests/<record_id:request_id>/answer/",
        views.my_rfi_answer,
        name="my_rfi_answer",
    ),
    path(
        "supervision/my-cases/findings/<record_id:findings_id>/observations/",
        views.my_findings_observe,
        name="my_findings_observe",
    ),
    path(
        "supervision/my-cases/documents/<record_id:document_id>/",
        views.document_download,
        name="my_document_download",
    ),
    path(
        "supervision/my-cases/decisions/<record_id:decision_id>.pdf",
        views.decision_pdf,
        name="my_decision_pdf",
    ),
]
