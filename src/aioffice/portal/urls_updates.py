"""Routes of the portal's updates; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_updates as views

urlpatterns = [
    path("updates/", views.updates_signup, name="updates_signup"),
    path("office/portal/updates/", views.bulletin_list, name="bulletin_list"),
]
