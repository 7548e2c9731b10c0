"""Pages of international cooperation: the public pages (published partners and
agreements, their public documents; an authority's staff also see the agreements that
involve their Member State) with their CSV twins, and the Office's pages (all staff read,
policy officers, heads of unit and administrators edit).

They parse, call one service or selector, and render."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.cooperation import selectors_international as selectors
from aioffice.cooperation import services_international as services
from aioffice.cooperation.forms_international import (
    AgreementFilterForm,
    AgreementForm,
    AgreementNewForm,
    DocumentForm,
    PartnerFilterForm,
    PartnerForm,
    RoundForm,
    StatusChangeForm,
)
from aioffice.cooperation.models_international import Agreement
from aioffice.cooperation.permissions_international import (
    can_edit_international,
    can_read_international,
)
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.forms import form_saved
from aioffice.core.permissions import require

PAGE_SIZE = 25
T = "cooperation/international/"

PARTNER_CSV = ("id", "name", "country", "kind", "status", "website", "description")
AGREEMENT_CSV = (
    "id",
    "title",
    "kind",
    "status",
    "partners",
    "partner_countries",
    "member_states",
    "signed_on",
    "in_force_from",
    "ends_on",
    "summary",
)


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, which is then invalid), None for a GET."""
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


def _agreement_row(a: Agreement) -> list[Any]:
    partners = list(a.partners.all())
    return [
        a.pk,
        a.title,
        a.kind,
        a.status,
        "; ".join(p.name for p in partners),
        " ".join(sorted({p.country for p in partners})),
        " ".join(m.member_state for m in a.member_states.all()),
        a.signed_on,
        a.in_force_from,
        a.ends_on,
        a.summary,
    ]


def _chunked(queryset: Any) -> Iterator[Any]:
    """Rows a page at a time (prefetches need `chunk_size` with `.iterator()`)."""
    return iter(queryset.iterator(chunk_size=500))


# --- the public ----------------------------------------------------------------------------


@require_GET
def international_public(request: HttpRequest) -> HttpResponse:
    """Agreements and dialogues: published ones (and, for an authority's staff, those
    involving their Member State), filtered by kind, status, country, Member State."""
    form = AgreementFilterForm(request.GET or None)
    filters = form.filters()
    agreements = selectors.agreements_visible_to(_user(request), **filters)
    return render(
        request,
        T + "public_list.html",
        {"form": form, "page": _page(request, agreements), "query": urlencode(filters)},
    )


@require_GET
def international_agreements_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = AgreementFilterForm(request.GET or None)
    agreements = selectors.agreements_visible_to(_user(request), **form.filters())
    rows = (_agreement_row(a) for a in _chunked(agreements))
    return csv_response("international-agreements.csv", AGREEMENT_CSV, rows)


@require_GET
def international_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_visible_to(_user(request), pk)
    return render(
        request,
        T + "public_agreement.html",
        {
            "agreement": agreement,
            "documents": selectors.public_documents(agreement),
            "rounds": selectors.public_rounds(agreement),
            "history": selectors.history(agreement),
        },
    )


@require_GET
def international_document(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    found = selectors.public_document(_user(request), pk, document)
    response: Any = download_row(found)
    return response  # type: ignore[no-any-return]


@require_GET
def international_partners(request: HttpRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET or None)
    filters = form.filters()
    partners = selectors.partners_published(**filters)
    return render(
        request,
        T + "public_partners.html",
        {"form": form, "page": _page(request, partners), "query": urlencode(filters)},
    )


@require_GET
def international_partners_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = PartnerFilterForm(request.GET or None)
    partners = selectors.partners_published(**form.filters())
    rows = ([getattr(p, name) for name in PARTNER_CSV] for p in partners.iterator())
    return csv_response("international-partners.csv", PARTNER_CSV, rows)


@require_GET
def international_partner(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_published(pk)
    agreements = selectors.agreements_visible_to(_user(request), partner=partner.pk)
    return render(
        request, T + "public_partner.html", {"partner": partner, "agreements": agreements}
    )


# --- the Office ----------------------------------------------------------------------------


@require(can_read_international)
@require_GET
def international_admin(request: HttpRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None)
    filters = form.filters()
    return render(
        request,
        T + "admin_list.html",
        {
            "form": form,
            "page": _page(request, selectors.agreements_for_staff(**filters)),
            "query": urlencode(filters),
            "can_edit": can_edit_international(request),
        },
    )


@require(can_read_international)
@require_GET
def international_admin_partners(request: HttpRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET or None)
    filters = form.filters()
    return render(
        request,
        T + "admin_partners.html",
        {
            "form": form,
            "page": _page(request, selectors.partners_for_staff(**filters)),
            "query": urlencode(filters),
            "can_edit": can_edit_international(request),
        },
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    saved: str,
    then: Callable[[Any], HttpResponse],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    done = form_saved(request, form, save, message=saved, then=then)
    if done:
        return done
    status = 422 if form.errors else 200
    return render(request, T + template, {"form": form, **(context or {})}, status=status)


@require(can_edit_international)
@require_http_methods(["GET", "POST"])
def international_partner_new(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(_posted(request))
    return _form_page(
        request,
        form,
        lambda data: services.partner_create(actor=request.user, **data),
        template="admin_partner.html",
        saved=_("The partner was saved."),
        then=lambda p: redirect("cooperation:international_partner_admin", p.pk),
    )


@require(can_read_international)
@require_http_methods(["GET", "POST"])
def international_partner_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner for staff (contact point included); editors change it here."""
    partner = selectors.partner_for_staff(pk)
    can_edit = can_edit_international(request)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    initial = model_to_dict(partner, fields=list(services.PARTNER_FIELDS))
    form = PartnerForm(_posted(request), initial=initial) if can_edit else None
    context = {
        "partner": partner,
        "can_edit": can_edit,
        "agreements": selectors.agreements_for_staff(partner=partner.pk),
    }
    if form is None:
        return render(request, T + "admin_partner.html", context)
    return _form_page(
        request,
        form,
        lambda data: services.partner_update(actor=request.user, partner=partner, **data),
        template="admin_partner.html",
        saved=_("The partner was saved."),
        then=lambda p: redirect("cooperation:international_partner_admin", p.pk),
        context=context,
    )


@require(can_edit_international)
@require_http_methods(["GET", "POST"])
def international_agreement_new(request: HttpRequest) -> HttpResponse:
    form = AgreementNewForm(_posted(request))

    def save(data: dict[str, Any]) -> Agreement:
        values = form.service_values()
        return services.agreement_create(actor=request.user, **values)

    return _form_page(
        request,
        form,
        save,
        template="admin_agreement_form.html",
        saved=_("The agreement was saved."),
        then=lambda a: redirect("cooperation:international_agreement_admin", a.pk),
    )


@require(can_edit_international)
@require_http_methods(["GET", "POST"])
def international_agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for_staff(pk)
    initial: dict[str, Any] = model_to_dict(agreement, fields=list(services.AGREEMENT_FIELDS))
    initial["partners"] = [p.pk for p in agreement.partners.all()]
    initial["member_states"] = [m.member_state for m in agreement.member_states.all()]
    form = AgreementForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.agreement_update(
            actor=request.user, agreement=agreement, **form.service_values()
        ),
        template="admin_agreement_form.html",
        saved=_("The agreement was saved."),
        then=lambda a: redirect("cooperation:international_agreement_admin", a.pk),
        context={"agreement": agreement},
    )


def _agreement_page(
    request: HttpRequest, agreement: Agreement, bound: dict[str, Any] | None = None
) -> HttpResponse:
    can_edit = can_edit_international(request)
    forms: dict[str, Any] = {}
    if can_edit:
        forms = {
            "status_form": StatusChangeForm(prefix="status"),
            "document_form": DocumentForm(prefix="document"),
            "round_form": RoundForm(prefix="round"),
        }
        forms.update(bound or {})
    return render(
        request,
        T + "admin_agreement.html",
        {
            "agreement": agreement,
            "can_edit": can_edit,
            "documents": selectors.all_documents(agreement),
            "rounds": selectors.all_rounds(agreement),
            "history": selectors.history(agreement).select_related("recorded_by"),
            **forms,
        },
        status=422 if bound else 200,
    )


@require(can_read_international)
@require_GET
def international_agreement_admin(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, selectors.agreement_for_staff(pk))


def _step(
    request: HttpRequest,
    pk: int,
    name: str,
    form: Any,
    save: Callable[[Agreement, dict[str, Any]], Any],
    saved: str,
) -> HttpResponse:
    agreement = selectors.agreement_for_staff(pk)
    done = form_saved(
        request,
        form,
        lambda data: save(agreement, data),
        message=saved,
        then=lambda _r: redirect("cooperation:international_agreement_admin", agreement.pk),
    )
    return done or _agreement_page(request, agreement, {name: form})


@require(can_edit_international)
@require_POST
def international_agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "status_form",
        StatusChangeForm(request.POST, prefix="status"),
        lambda a, data: services.agreement_status_change(actor=request.user, agreement=a, **data),
        _("The status was changed."),
    )


@require(can_edit_international)
@require_POST
def international_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "document_form",
        DocumentForm(request.POST, request.FILES, prefix="document"),
        lambda a, data: services.agreement_document_add(
            actor=request.user,
            agreement=a,
            upload=data["file"],
            title=data["title"],
            public=data["public"],
        ),
        _("The document was stored."),
    )


@require(can_edit_international)
@require_POST
def international_round_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "round_form",
        RoundForm(request.POST, prefix="round"),
        lambda a, data: services.dialogue_round_add(actor=request.user, agreement=a, **data),
        _("The round was recorded."),
    )


@require(can_read_international)
@require_GET
def international_document_admin(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    found = selectors.staff_document(pk, document)
    response: Any = download_row(found)
    return response  # type: ignore[no-any-return]
