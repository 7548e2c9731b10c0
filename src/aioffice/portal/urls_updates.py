"""Routes of the portal's updates; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_updates as views

urlpatterns = [
    path("updates/", views.updates_signup, name="updates_signup"),
    path("updates/sent/", views.updates_sent, name="updates_sent"),
    path("updates/confirm/<str:token>/", views.updates_confirm, name="updates_confirm"),
    path("updates/unsubscribe/<str:token>/", views.updates_unsubscribe, name="updates_unsubscribe"),
    path("updates/topics/<str:token>/", views.updates_topics, name="updates_topics"),
    path("office/portal/updates/", views.bulletin_list, name="bulletin_list"),
    path("office/portal/updates/new/", views.bulletin_new, name="bulletin_new"),
    path("office/portal/updates/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("office/portal/updates/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("office/portal/updates/<int:pk>/send/", views.bulletin_send, name="bulletin_send"),
]
