"""The adoption pages of drafting (under the `drafting` namespace)."""

from django.urls import URLPattern, path

from aioffice.drafting import views_adoption as views

OFFICE = "office/drafting/codes/<slug:slug>/"  # the Office's pages of one code
urlpatterns: list[URLPattern] = [
    # public
    path("codes/<slug:slug>/adoption/", views.adoption, name="adoption"),
    path(
        "codes/<slug:slug>/adoption/signatories.csv",
        views.signatories_csv,
        name="signatories_csv",
    ),
    path(
        "codes/<slug:slug>/assessments/<int:assessment_id>/",
        views.assessment,
        name="assessment",
    ),
    # the Office
    path(OFFICE + "adopt/", views.adopt, name="adopt"),
    path(
        OFFICE + "signature-opening/new/", views.signature_opening_new, name="signature_opening_new"
    ),
    path(OFFICE + "signatures/record/", views.signature_record, name="signature_record"),
    path(OFFICE + "assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        OFFICE + "assessments/<int:assessment_id>/publish/",
        views.assessment_publish,
        name="assessment_publish",
    ),
    path(OFFICE + "library/", views.publish_library, name="publish_library"),
    path(OFFICE + "reports/", views.reports, name="reports"),
    path(OFFICE + "reports.csv", views.reports_csv, name="reports_csv"),
    # signatories
    path("drafting/codes/<slug:slug>/sign/", views.sign, name="sign"),
    path(
        "drafting/codes/<slug:slug>/signatures/<int:signature_id>/withdraw/",
        views.signature_withdraw,
        name="signature_withdraw",
    ),
    path("drafting/codes/<slug:slug>/reports/new/", views.report_new, name="report_new"),
    path("drafting/codes/<slug:slug>/reports/<int:report_id>/", views.report, name="report"),
    path(
        "drafting/codes/<slug:slug>/reports/<int:report_id>/file/",
        views.report_file,
        name="report_file",
    ),
]
