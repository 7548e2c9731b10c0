"""Routes of cooperation, part bodies; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_bodies as views

urlpatterns = [
    path("cooperation/bodies/", views.bodies_public, name="bodies_public"),
    path("cooperation/bodies/<int:pk>/", views.body_public, name="body_public"),
    path("cooperation/bodies/meetings/<int:pk>/", views.meeting_public, name="meeting_public"),
    path(
        "cooperation/bodies/documents/<int:pk>/",
        views.document_download,
        name="body_document_download",
    ),
    path(
        "cooperation/bodies/my-declaration/",
        views.my_declaration,
        name="bodies_my_declaration",
    ),
    path("office/cooperation/bodies/", views.bodies_admin, name="bodies_admin"),
    path("office/cooperation/bodies/<int:pk>/", views.body_admin, name="body_admin"),
    path(
        "office/cooperation/bodies/members/<int:pk>/",
        views.member_action,
        name="body_member_action",
    ),
    path(
        "office/cooperation/bodies/meetings/<int:pk>/",
        views.meeting_admin,
        name="meeting_admin",
    ),
    path(
        "office/cooperation/bodies/opinions/<int:pk>/publish/",
        views.opinion_publish,
        name="body_opinion_publish",
    ),
    path(
        "office/cooperation/bodies/documents/<int:pk>/publish/",
        views.document_publish,
        name="body_document_publish",
    ),
]
