"""Routes of cooperation, part exchange; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_exchange as views

D = "cooperation/exchange/documents/"
R = "cooperation/exchange/requests/"

urlpatterns = [
    path("cooperation/exchange/", views.exchange_home, name="exchange_home"),
    path(f"{D}new/", views.exchange_document_new, name="exchange_document_new"),
    path(f"{D}<int:document_id>/", views.exchange_document, name="exchange_document"),
    path(f"{D}<int:document_id>/file", views.exchange_document_file, name="exchange_document_file"),
    path(
        f"{D}<int:document_id>/share", views.exchange_document_share, name="exchange_document_share"
    ),
    path(
        f"{D}<int:document_id>/shares/<int:share_id>/revoke",
        views.exchange_document_revoke,
        name="exchange_document_revoke",
    ),
    path(f"{R}new/", views.exchange_request_new, name="exchange_request_new"),
    path(f"{R}<int:request_id>/", views.exchange_request, name="exchange_request"),
    path(
        f"{R}<int:request_id>/assign", views.exchange_request_assign, name="exchange_request_assign"
    ),
    path(
        f"{R}<int:request_id>/answer", views.exchange_request_answer, name="exchange_request_answer"
    ),
    path(
        f"{R}<int:request_id>/withdraw",
        views.exchange_request_withdraw,
        name="exchange_request_withdraw",
    ),
    path(
        f"{R}<int:request_id>/reports",
        views.exchange_request_report,
        name="exchange_request_report",
    ),
    path(
        f"{R}<int:request_id>/files/<int:file_id>",
        views.exchange_request_file,
        name="exchange_request_file",
    ),
]
