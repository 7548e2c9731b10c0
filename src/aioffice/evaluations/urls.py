from django.urls import URLPattern, path

from aioffice.evaluations import report_views, views

app_name = "evaluations"
urlpatterns: list[URLPattern] = [
    path("office/evaluations/catalogue/", views.catalogue, name="catalogue"),
    path("office/evaluations/catalogue.csv", views.catalogue_csv, name="catalogue_csv"),
    path(
        "office/evaluations/versions/<record_id:version_id>/targets/", views.targets, name="targets"
    ),
    path(
        "office/evaluations/targets/<record_id:target_id>/check/",
        views.target_check,
        name="target_check",
    ),
    path(
        "office/evaluations/targets/<record_id:target_id>/key/", views.target_key, name="target_key"
    ),
    path("office/evaluations/runs/", views.run_list, name="run_list"),
    path("office/evaluations/runs.csv", views.run_list_csv, name="run_list_csv"),
    path("office/evaluations/runs/new/", views.run_new, name="run_new"),
    path("office/evaluations/runs/<record_id:run_id>/", views.run_detail, name="run_detail"),
    path("office/evaluations/runs/<record_id:run_id>/cancel/", views.run_cancel, name="run_cancel"),
    path("office/evaluations/runs/<record_id:run_id>/retry/", views.run_retry, name="run_retry"),
    path(
        "office/evaluations/results/<record_id:result_id>/log", views.result_log, name="result_log"
    ),
    path(
        "office/evaluations/runs/<record_id:run_id>/tasks/<str:task>/samples/<path:sample_id>/"
        "<record_id:epoch>/",
        views.sample_transcript,
        name="sample_transcript",
    ),
    *report_views.urlpatterns,
]
