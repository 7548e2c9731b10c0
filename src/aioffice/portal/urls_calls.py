"""Routes of the portal's calls; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_calls as views

urlpatterns = [
    path("jobs/", views.call_list, name="call_list"),
    path("jobs/<str:reference>/", views.call_detail, name="call_detail"),
    path("office/portal/calls/", views.call_admin_list, name="call_admin_list"),
]
