"""The projects pages of drafting (under the `drafting` namespace)."""

from django.urls import URLPattern, path

from aioffice.drafting import views_projects as views

C = "codes/<slug:slug>/"
O = "office/drafting/<slug:slug>/"  # noqa: E741

urlpatterns: list[URLPattern] = [
    path("office/drafting/new/", views.project_new, name="project_new"),
    path(f"{O}edit/", views.project_edit, name="project_edit"),
    path(f"{O}status/", views.project_status, name="project_status"),
    path(f"{O}roles/new/", views.role_new, name="role_new"),
    path(f"{O}roles/<int:pk>/end/", views.role_end, name="role_end"),
    path(f"{O}groups/new/", views.group_new, name="group_new"),
    path(f"{O}groups/<int:number>/members/new/", views.member_new, name="member_new"),
    path(f"{O}members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path(f"{O}declarations/<int:pk>/", views.declaration_review, name="declaration_review"),
    path(f"{O}meetings/new/", views.meeting_new, name="meeting_new"),
    path(f"{O}meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path(f"{O}meetings/<int:pk>/publish/", views.meeting_publish, name="meeting_publish"),
    path(
        f"{O}meetings/<int:pk>/documents/new/",
        views.meeting_document_new,
        name="meeting_document_new",
    ),
    path(C, views.project, name="project"),
    path(f"{C}groups/<int:number>/", views.group, name="group"),
    path(f"{C}meetings/<int:pk>/", views.meeting, name="meeting"),
    path(
        f"{C}meetings/<int:pk>/documents/<int:document_pk>",
        views.meeting_document,
        name="meeting_document",
    ),
    path(
        f"{C}declarations/<str:of>/<int:pk>/new/",
        views.declaration_new,
        name="declaration_new",
    ),
    path(f"{C}declarations/<int:pk>/file", views.declaration_file, name="declaration_file"),
]
