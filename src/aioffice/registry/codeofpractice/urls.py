from django.urls import path

import aioffice.registry.codeofpractice.views as views

app_name = "codeofpractice"
urlpatterns = [
    path(
        "registers/code-of-practice-signatories/",
        views.signatories,
        name="signatories",
    ),
    path(
        "registers/code-of-practice-signatories.json",
        views.signatories_json,
        name="signatories_json",
    ),
    path(
        "registers/code-of-practice-signatories.csv",
        views.signatories_csv,
        name="signatories_csv",
    ),
    path("code-of-practice/signatures/", views.signatures, name="signatures"),
    path(
        "code-of-practice/signatures/<int:signature_id>/withdraw/",
        views.signature_withdraw,
        name="signature_withdraw",
    ),
    path("code-of-practice/deadlines/", views.deadlines, name="deadlines"),
    path("code-of-practice/submissions/", views.submissions, name="submissions"),
    path("code-of-practice/frameworks/submit/", views.framework_submit, name="framework_submit"),
    path(
        "code-of-practice/versions/<int:version_id>/model-reports/submit/",
        views.model_report_submit,
        name="model_report_submit",
    ),
    path(
        "code-of-practice/frameworks/<int:submission_id>/document",
        views.framework_document,
        name="framework_document",
    ),
    path(
        "code-of-practice/model-reports/<int:submission_id>/document",
        views.model_report_document,
        name="model_report_document",
    ),
]
