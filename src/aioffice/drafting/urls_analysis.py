"""The analysis pages of drafting (under the `drafting` namespace): the AI tools on a
consultation, for the Office and the project's chairs."""

from django.urls import path

from aioffice.drafting import views_analysis as views

urlpatterns = [
    path(
        "office/drafting/consultations/<int:consultation_id>/analysis/",
        views.analysis,
        name="analysis",
    ),
    path(
        "office/drafting/consultations/<int:consultation_id>/analysis/search/",
        views.analysis_search,
        name="analysis_search",
    ),
    path(
        "office/drafting/consultations/<int:consultation_id>/analysis/summaries/new/",
        views.summary_new,
        name="summary_new",
    ),
    path("office/drafting/analysis/runs/<int:run_id>/", views.analysis_run, name="analysis_run"),
    path(
        "office/drafting/analysis/runs/<int:run_id>.csv",
        views.analysis_run_csv,
        name="analysis_run_csv",
    ),
    path(
        "office/drafting/analysis/groups/<int:group_id>/",
        views.analysis_group,
        name="analysis_group",
    ),
    path(
        "office/drafting/feedback/<int:feedback_id>/similar/",
        views.feedback_similar,
        name="feedback_similar",
    ),
    path(
        "office/drafting/feedback/<int:feedback_id>/accept-section/",
        views.feedback_accept_section,
        name="feedback_accept_section",
    ),
]
