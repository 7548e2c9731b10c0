"""Routes of the portal's help for the public; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.evaluations import converters  # noqa: F401  (registers <record_id:…>)
from aioffice.portal import views_help as views

urlpatterns = [
    # the public
    path("contact/", views.contact, name="contact"),
    path("contact/question/", views.enquiry_new, name="enquiry_new"),
    path(
        "contact/question/<str:tracking_number>/<str:key>/",
        views.enquiry_status,
        name="enquiry_status",
    ),
    path("ai-literacy/", views.literacy_list, name="literacy_list"),
    path("ai-literacy/share/", views.literacy_share, name="literacy_share"),
    path("ai-literacy/<record_id:pk>/", views.literacy_detail, name="literacy_detail"),
    path("support/", views.support_list, name="support_list"),
    path("report/", views.report, name="report"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # the Office's staff
    path("office/portal/literacy/", views.literacy_admin_list, name="literacy_admin_list"),
    path("office/portal/literacy/new/", views.literacy_admin_new, name="literacy_admin_new"),
    path(
        "office/portal/literacy/<record_id:pk>/",
        views.literacy_admin_edit,
        name="literacy_admin_edit",
    ),
    path(
        "office/portal/literacy/<record_id:pk>/publish/",
        views.literacy_admin_publish,
        name="literacy_admin_publish",
    ),
    path("office/portal/support/", views.support_admin_list, name="support_admin_list"),
    path("office/portal/support/new/", views.support_admin_new, name="support_admin_new"),
    path(
        "office/portal/support/<record_id:pk>/", views.support_admin_edit, name="support_admin_edit"
    ),
    path("office/portal/enquiries/", views.enquiry_admin_list, name="enquiry_admin_list"),
    path(
        "office/portal/enquiries/<record_id:pk>/",
        views.enquiry_admin_detail,
        name="enquiry_admin_detail",
    ),
    path(
        "office/portal/enquiries/<record_id:pk>/answer/",
        views.enquiry_admin_answer,
        name="enquiry_admin_answer",
    ),
    path(
        "office/portal/enquiries/<record_id:pk>/close/",
        views.enquiry_admin_close,
        name="enquiry_admin_close",
    ),
]
