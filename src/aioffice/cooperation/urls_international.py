"""Routes of cooperation, part international; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_international as views
from aioffice.evaluations import converters  # noqa: F401  (registers <record_id:…>)

PUBLIC = "cooperation/international/"
OFFICE = "office/cooperation/international/"

urlpatterns = [
    # everyone
    path(PUBLIC, views.international_public, name="international_public"),
    path(
        PUBLIC + "agreements.csv",
        views.international_agreements_csv,
        name="international_agreements_csv",
    ),
    path(
        PUBLIC + "agreements/<record_id:pk>/",
        views.international_agreement,
        name="international_agreement",
    ),
    path(
        PUBLIC + "agreements/<record_id:pk>/documents/<record_id:document>/",
        views.international_document,
        name="international_document",
    ),
    path(PUBLIC + "partners/", views.international_partners, name="international_partners"),
    path(
        PUBLIC + "partners.csv",
        views.international_partners_csv,
        name="international_partners_csv",
    ),
    path(
        PUBLIC + "partners/<record_id:pk>/",
        views.international_partner,
        name="international_partner",
    ),
    # the Office
    path(OFFICE, views.international_admin, name="international_admin"),
    path(
        OFFICE + "partners/",
        views.international_admin_partners,
        name="international_admin_partners",
    ),
    path(
        OFFICE + "partners/new/",
        views.international_partner_new,
        name="international_partner_new",
    ),
    path(
        OFFICE + "partners/<record_id:pk>/",
        views.international_partner_admin,
        name="international_partner_admin",
    ),
    path(
        OFFICE + "agreements/new/",
        views.international_agreement_new,
        name="international_agreement_new",
    ),
    path(
        OFFICE + "agreements/<record_id:pk>/",
        views.international_agreement_admin,
        name="international_agreement_admin",
    ),
    path(
        OFFICE + "agreements/<record_id:pk>/edit/",
        views.international_agreement_edit,
        name="international_agreement_edit",
    ),
    path(
        OFFICE + "agreements/<record_id:pk>/status/",
        views.international_agreement_status,
        name="international_agreement_status",
    ),
    path(
        OFFICE + "agreements/<record_id:pk>/documents/",
        views.international_document_add,
        name="international_document_add",
    ),
    path(
        OFFICE + "agreements/<record_id:pk>/documents/<record_id:document>/",
        views.international_document_admin,
        name="international_document_admin",
    ),
    path(
        OFFICE + "agreements/<record_id:pk>/rounds/",
        views.international_round_add,
        name="international_round_add",
    ),
]
