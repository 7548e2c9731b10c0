"""Routes of the portal's help for the public; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_help as views

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/question/", views.enquiry_new, name="enquiry_new"),
    path("ai-literacy/", views.literacy_list, name="literacy_list"),
    path("support/", views.support_list, name="support_list"),
    path("report/", views.report, name="report"),
]
