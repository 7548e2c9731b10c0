"""Routes of the portal's content; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_content as views

STAFF = "office/portal/content/"

urlpatterns = [
    path("", views.home, name="home"),
    path("guidance/", views.guidance_list, name="guidance_list"),
    path("guidance/<slug:slug>/", views.guidance_detail, name="guidance_detail"),
    path("guidance/<slug:slug>/similar/", views.guidance_similar, name="guidance_similar"),
    path(
        "guidance/<slug:slug>/<str:number>/<str:language>/",
        views.guidance_file,
        name="guidance_file",
    ),
    path("news/", views.news_list, name="news_list"),
    path("news/feed/", views.news_feed, name="news_feed"),  # before the items: "feed" is taken
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("office/portal/", views.staff_home, name="staff_home"),
    path(STAFF + "guidance/", views.guidance_admin_list, name="guidance_admin_list"),
    path(STAFF + "guidance/new/", views.guidance_create, name="guidance_create"),
    path(STAFF + "guidance/<int:pk>/", views.guidance_admin, name="guidance_admin"),
    path(STAFF + "guidance/<int:pk>/edit/", views.guidance_edit, name="guidance_edit"),
    path(
        STAFF + "guidance/<int:pk>/versions/new/",
        views.guidance_version_add,
        name="guidance_version_add",
    ),
    path(
        STAFF + "guidance/<int:pk>/versions/<int:version_pk>/files/new/",
        views.guidance_file_add,
        name="guidance_file_add",
    ),
    path(STAFF + "guidance/<int:pk>/publish/", views.guidance_publish, name="guidance_publish"),
    path(
        STAFF + "guidance/<int:pk>/unpublish/",
        views.guidance_unpublish,
        name="guidance_unpublish",
    ),
    path(STAFF + "files/<int:pk>/", views.guidance_file_admin, name="guidance_file_admin"),
    path(STAFF + "news/", views.news_admin_list, name="news_admin_list"),
    path(STAFF + "news/new/", views.news_create, name="news_create"),
    path(STAFF + "news/<int:pk>/", views.news_edit, name="news_edit"),
    path(STAFF + "news/<int:pk>/publish/", views.news_publish, name="news_publish"),
    path(STAFF + "news/<int:pk>/unpublish/", views.news_unpublish, name="news_unpublish"),
]
