"""Routes of the portal's content; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_content as views

urlpatterns = [
    path("", views.home, name="home"),
    path("guidance/", views.guidance_list, name="guidance_list"),
    path("guidance/<slug:slug>/", views.guidance_detail, name="guidance_detail"),
    path("news/", views.news_list, name="news_list"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("office/portal/", views.staff_home, name="staff_home"),
]
