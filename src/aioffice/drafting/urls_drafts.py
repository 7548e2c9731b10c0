"""The drafts pages of drafting (under the `drafting` namespace)."""

from django.urls import URLPattern, path

from aioffice.drafting import views_drafts as views

D = "codes/<slug:slug>/drafts/"
N = f"{D}<int:number>/"

urlpatterns: list[URLPattern] = [
    path(D, views.drafts, name="drafts"),
    path(f"{D}new/", views.draft_new, name="draft_new"),
    path(N, views.draft, name="draft"),
    path(f"{N}edit/", views.draft_edit, name="draft_edit"),
    path(f"{N}publish/", views.draft_publish, name="draft_publish"),
    path(f"{N}export/", views.draft_export, name="draft_export"),
    path(f"{N}compare/<int:other>/", views.draft_compare, name="draft_compare"),
    path(f"{N}sections/new/", views.section_new, name="section_new"),
    path(f"{N}sections/<slug:key>/", views.section_edit, name="section_edit"),
    path(f"{N}sections/<slug:key>/remove/", views.section_remove, name="section_remove"),
]
