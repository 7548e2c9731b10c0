"""Pages of the information exchange, for Office staff and members of designated
authorities (selectors_exchange decides who sees what; the services decide who does what).

* `exchange_home`: the register (staff) or what concerns the authority: shared cases
  (linking to supervision's case page, which checks the share), shared documents,
  requests; one section at a time (`?section=`), paginated.
* documents: upload (staff), page (audited), file (audited), share, revoke.
* requests: new (an authority's three kinds, or the Office's two), page, assign, answer,
  withdraw, progress reports, answer files.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.cooperation import permissions
from aioffice.cooperation import selectors_exchange as selectors
from aioffice.cooperation import services_exchange as services
from aioffice.cooperation.forms_exchange import (
    AnswerForm,
    AssignForm,
    DocumentForm,
    ReportForm,
    RequestForm,
    ShareForm,
)
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_exchange import ExchangeRequest, RequestKind, SharedDocument
from aioffice.core.files import download_row
from aioffice.core.forms import add_service_errors, form_saved
from aioffice.core.permissions import require
from aioffice.supervision.models import Case

PER_PAGE = 25
SECTIONS = ("requests", "documents", "cases")


def _detail(row: ExchangeRequest) -> HttpResponse:
    return redirect("cooperation:exchange_request", row.pk)


def _case(reference: str) -> Case | None:
    reference = (reference or "").strip()
    if not reference:
        return None
    found = Case.objects.filter(reference=reference).first()
    if found is None:
        raise ValidationError({"case": "No case has this reference."})
    return found


@require(selectors.may_use_exchange)
@require_GET
def exchange_home(request: HttpRequest) -> HttpResponse:
    section = request.GET.get("section", "requests")
    if section not in SECTIONS:
        section = "requests"
    if section == "cases":
        rows: Any = selectors.case_shares_visible_to(request)
    elif section == "documents":
        rows = selectors.documents_visible_to(request)
    else:
        rows = selectors.requests_visible_to(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    user: Any = request.user
    return render(
        request,
        "cooperation/exchange/home.html",
        {
            "section": section,
            "page": page,
            "staff": selectors.is_staff(request),
            "may_act": selectors.may_act(request),
            "authorities": [] if selectors.is_staff(request) else permissions.authorities_of(user),
        },
    )


# --- documents ---------------------------------------------------------------------------------


@require(selectors.may_act)
@require_http_methods(["GET", "POST"])
def exchange_document_new(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> SharedDocument:
        return services.document_upload(
            actor=request.user,
            upload=data["file"],
            title=data["title"],
            description=data["description"],
            confidentiality=data["confidentiality"],
            case=_case(data["case"]),
        )

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The document is stored; share it with the authorities concerned.")),
        then=lambda d: redirect("cooperation:exchange_document", d.pk),
    )
    return done or render(request, "cooperation/exchange/document_new.html", {"form": form})


@require(selectors.may_use_exchange)
@require_GET
def exchange_document(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_for(request, document_id)
    services.document_opened(actor=request.user, document=document, download=False)
    return _document_page(request, document, ShareForm())


def _document_page(request: HttpRequest, document: SharedDocument, form: ShareForm) -> HttpResponse:
    staff = selectors.is_staff(request)
    return render(
        request,
        "cooperation/exchange/document.html",
        {
            "document": document,
            "shares": list(document.shares.all()) if staff else [],
            "staff": staff,
            "may_act": selectors.may_act(request),
            "form": form,
        },
        status=200 if not form.errors else 422,
    )


@require(selectors.may_use_exchange)
@require_GET
def exchange_document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_for(request, document_id)
    # the decorators take views answering an HttpResponse; a file is a streamed one
    response = cast(
        HttpResponse,
        download_row(document),
    )
    services.document_opened(actor=request.user, document=document, download=True)
    return response


@require(selectors.may_act)
@require_POST
def exchange_document_share(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_for(request, document_id)
    form = ShareForm(request.POST)
    done = form_saved(
        request,
        form,
        lambda data: services.document_share(
            actor=request.user,
            document=document,
            authority=data["authority"],
            reason=data["reason"],
        ),
        message=str(_("The document is shared.")),
        then=lambda s: redirect("cooperation:exchange_document", document.pk),
    )
    return done or _document_page(request, document, form)


@require(selectors.may_act)
@require_POST
def exchange_document_revoke(request: HttpRequest, document_id: int, share_id: int) -> HttpResponse:
    document = selectors.document_for(request, document_id)
    share = selectors.share_for(document, share_id)
    try:
        services.document_revoke(actor=request.user, share=share)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(_("The share is revoked.")))
    return redirect("cooperation:exchange_document", document.pk)


# --- requests ----------------------------------------------------------------------------------


def _request_form(request: HttpRequest) -> RequestForm:
    user: Any = request.user
    office = selectors.is_staff(request)
    authorities = (
        Authority.objects.filter(active=True, organisation__isnull=False)
        if office
        else permissions.authorities_of(user).filter(kind="market_surveillance")
    )
    return RequestForm(
        request.POST or None,
        authorities=authorities.order_by("member_state", "name"),
        office=office,
    )


@require(selectors.may_use_exchange)
@require_http_methods(["GET", "POST"])
def exchange_request_new(request: HttpRequest) -> HttpResponse:
    if selectors.is_staff(request) and not selectors.may_act(request):
        raise PermissionDenied
    form = _request_form(request)

    def save(data: dict[str, Any]) -> ExchangeRequest:
        try:
            return services.request_submit(
                actor=request.user,
                kind=data["kind"],
                subject=data["subject"],
                facts=data["facts"],
                authority=data.get("authority"),
                institution=data.get("institution") or "",
                operator_named=data.get("operator_named") or "",
                case=_case(data.get("case") or ""),
                due_on=data.get("due_on"),
            )
        except PermissionDenied as exc:
            raise ValidationError({"authority": str(exc)}) from exc

    done = form_saved(request, form, save, message=str(_("The request is recorded.")), then=_detail)
    return done or render(request, "cooperation/exchange/request_new.html", {"form": form})


def _request_page(
    request: HttpRequest, row: ExchangeRequest, forms: dict[str, Any] | None = None
) -> HttpResponse:
    forms = forms or {}
    may_act = selectors.may_act(request)
    own = row.authority_id in selectors.authority_ids(request)
    context = {
        "row": row,
        "may_act": may_act,
        "may_answer": row.is_open
        and (may_act or (own and row.kind == RequestKind.OFFICE_ASSISTANCE)),
        "may_withdraw": row.is_open
        and ((own and not row.from_office) or (may_act and row.from_office)),
        "may_report": may_act and row.kind == RequestKind.MSA_ASSESSMENT and row.acts is True,
        "assign_form": forms.get("assign") or AssignForm(),
        "answer_form": forms.get("answer") or AnswerForm(),
        "report_form": forms.get("report") or ReportForm(),
        "assessment": row.kind == RequestKind.MSA_ASSESSMENT,
    }
    status = 422 if any(f.errors for f in forms.values()) else 200
    return render(request, "cooperation/exchange/request.html", context, status=status)


@require(selectors.may_use_exchange)
@require_GET
def exchange_request(request: HttpRequest, request_id: int) -> HttpResponse:
    return _request_page(request, selectors.request_for(request, request_id))


@require(selectors.may_act)
@require_POST
def exchange_request_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    row = selectors.request_for(request, request_id)
    form = AssignForm(request.POST)
    done = form_saved(
        request,
        form,
        lambda data: services.request_assign(
            actor=request.user, request=row, officer=data["officer"]
        ),
        message=str(_("The request is assigned.")),
        then=_detail,
    )
    return done or _request_page(request, row, {"assign": form})


@require(selectors.may_use_exchange)
@require_POST
def exchange_request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    row = selectors.request_for(request, request_id)
    form = AnswerForm(request.POST, request.FILES)

    def save(data: dict[str, Any]) -> ExchangeRequest:
        return services.request_answer(
            actor=request.user,
            request=row,
            answer=data["answer"],
            acts=form.acts_value(),
            files=[data["file"]] if data.get("file") else [],
            answered_on=data.get("answered_on"),
        )

    done = form_saved(request, form, save, message=str(_("The answer is recorded.")), then=_detail)
    return done or _request_page(request, row, {"answer": form})


@require(selectors.may_use_exchange)
@require_POST
def exchange_request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    row = selectors.request_for(request, request_id)
    try:
        services.request_withdraw(actor=request.user, request=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(_("The request is withdrawn.")))
    return _detail(row)


@require(selectors.may_act)
@require_POST
def exchange_request_report(request: HttpRequest, request_id: int) -> HttpResponse:
    row = selectors.request_for(request, request_id)
    form = ReportForm(request.POST)

    def save(data: dict[str, Any]) -> Any:
        return services.request_report(
            actor=request.user,
            request=row,
            text=data["text"],
            no_confidential_information=bool(data.get("no_confidential_information")),
            outcome=bool(data.get("outcome")),
        )

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The progress report is recorded.")),
        then=lambda r: _detail(row),
        add_errors=lambda f, exc: add_service_errors(f, exc, {"request": "text"}),
    )
    return done or _request_page(request, row, {"report": form})


@require(selectors.may_use_exchange)
@require_GET
def exchange_request_file(request: HttpRequest, request_id: int, file_id: int) -> HttpResponse:
    row = selectors.request_for(request, request_id)
    found = selectors.request_file_for(row, file_id)
    response = cast(
        HttpResponse,
        download_row(found),
    )
    services.request_file_opened(actor=request.user, row=found)
    return response
