"""Pages of the portal's help for the public: the AI literacy repository, the directory of
support structures, the contact page, questions to the Office, the "report a concern"
hub and the accessibility statement; and the staff's pages to edit practices and structures
and to answer questions.

They parse, call one service or selector, and render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.forms import add_service_errors as _add_errors
from aioffice.core.forms import form_saved
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import require
from aioffice.core.ratelimit import client_key, hit
from aioffice.portal import selectors_help as selectors
from aioffice.portal import services_help as services
from aioffice.portal.choices import EnquiryStatus, SupportKind
from aioffice.portal.forms_help import (
    EnquiryAnswerForm,
    EnquiryCloseForm,
    EnquiryFilterForm,
    EnquiryForm,
    LiteracyAdminFilterForm,
    LiteracyFilterForm,
    PracticeForm,
    SupportFilterForm,
    SupportStructureForm,
)
from aioffice.portal.permissions import can_answer_enquiries, can_edit_content

PAGE_SIZE = 20
DIRECTORY_PAGE_SIZE = 50
RATE_WINDOW = 3600  # settings.PORTAL_FORM_RATE is per hour
# When the accessibility statement was last prepared: change it with the statement's text
# (portal/help/accessibility.html) after each review of the site.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 26)

View = Callable[..., HttpResponse]


def _query(filters: dict[str, str]) -> str:
    return urlencode(filters)


def _within_rate(request: HttpRequest, scope: str) -> bool:
    return hit(scope, client_key(request), limit=settings.PORTAL_FORM_RATE, window=RATE_WINDOW)


def _too_many(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["too_many"] = True
    return render(request, template, context, status=429)


def not_stored(view: View) -> View:
    """A page that may show a status link: never cached, not indexed. (Its referrer policy
    stays the site's: with no-referrer, Chromium posts the form with `Origin: null`, which
    Django's CSRF check refuses.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def private_page(view: View) -> View:
    """A page that shows someone's own question: never cached, no referrer sent on (its
    address holds the key), not indexed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# --- AI literacy repository ----------------------------------------------------------------


@require_GET
def literacy_list(request: HttpRequest) -> HttpResponse:
    """Published practices: a search and filters, paginated."""
    form = LiteracyFilterForm(request.GET or None)
    filters = form.filters()
    practices = selectors.literacy_practices_published(**filters)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "portal/help/literacy_list.html",
        "results",
        {"form": form, "page": page, "query": _query(filters)},
    )


@require_GET
def literacy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.literacy_practice_published(pk)
    return render(request, "portal/help/literacy_detail.html", {"practice": practice})


@require_http_methods(["GET", "POST"])
def literacy_share(request: HttpRequest) -> HttpResponse:
    """Anyone proposes a practice; it waits, unpublished, for the staff's review."""
    template = "portal/help/literacy_share.html"
    if request.method == "GET":
        return render(request, template, {"form": PracticeForm()})
    form = PracticeForm(request.POST)
    if not _within_rate(request, "portal.literacy_share"):
        return _too_many(request, template, {"form": form})
    if form.is_valid():
        try:
            services.literacy_practice_propose(actor=None, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(request, "portal/help/literacy_shared.html", {})
    return render(request, template, {"form": form}, status=422)


# --- directory of support structures -------------------------------------------------------


@require_GET
def support_list(request: HttpRequest) -> HttpResponse:
    """The structures by Member State, filtered by Member State and kind; an overview of
    the 27 and the sandbox obligation's date from aiact."""
    form = SupportFilterForm(request.GET or None)
    filters = form.filters()
    structures = selectors.support_structures_shown(**filters)
    page = Paginator(structures, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "portal/help/support_list.html",
        "results",
        {
            "form": form,
            "page": page,
            "query": _query(filters),
            "overview": selectors.support_overview(),
            "kinds": SupportKind.choices,
            "sandbox": selectors.sandbox_deadline(timezone.now().date()),
        },
    )


# --- contact, questions, report a concern --------------------------------------------------


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/help/contact.html",
        {"retention_days": settings.PORTAL_ENQUIRY_RETENTION_DAYS},
    )


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Where to report what: each route, who may use it, what happens next."""
    return render(request, "portal/help/report.html", {})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: the standard aimed at, the known gaps, how the site was
    assessed, how to report a problem and what to do if the answer does not satisfy
    (Directive (EU) 2016/2102 Art. 7 asks it of public-sector sites)."""
    return render(
        request,
        "portal/help/accessibility.html",
        {"statement_date": ACCESSIBILITY_STATEMENT_DATE},
    )


@not_stored
@require_http_methods(["GET", "POST"])
def enquiry_new(request: HttpRequest) -> HttpResponse:
    template = "portal/help/enquiry_form.html"
    context: dict[str, Any] = {"retention_days": settings.PORTAL_ENQUIRY_RETENTION_DAYS}
    if request.method == "GET":
        return render(request, template, {**context, "form": EnquiryForm()})
    form = EnquiryForm(request.POST)
    context["form"] = form
    if not _within_rate(request, "portal.enquiry"):
        return _too_many(request, template, context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.enquiry_submit(
                actor=None,  # the public: no identity is tied to a question in the trail
                name=data["name"],
                email=data["email"],
                language=data["language"],
                subject=data["subject"],
                message=data["message"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(
                request,
                "portal/help/enquiry_sent.html",
                {"enquiry": sent.enquiry, "status_url": sent.status_url, **context},
            )
    return render(request, template, context, status=422)


@private_page
@require_GET
def enquiry_status(request: HttpRequest, tracking_number: str, key: str) -> HttpResponse:
    """The sender's page: status and the Office's answer (404 for a wrong key, as for an
    unknown number)."""
    enquiry = selectors.enquiry_by_key(tracking_number, key)
    return render(request, "portal/help/enquiry_status.html", {"enquiry": enquiry})


# --- staff: literacy practices -------------------------------------------------------------


@require(can_edit_content)
@require_GET
def literacy_admin_list(request: HttpRequest) -> HttpResponse:
    form = LiteracyAdminFilterForm(request.GET or None)
    filters = form.filters()
    published = {"published": True, "waiting": False}.get(filters.get("state", ""))
    practices = selectors.literacy_practices_for_staff(
        published=published, **{k: v for k, v in filters.items() if k != "state"}
    )
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/help/admin/literacy_list.html",
        {"form": form, "page": page, "query": _query(filters)},
    )


def _staff_form(
    request: HttpRequest,
    form_class: type[Any],
    save: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    saved: str,
    edit_view: str,
    initial: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A staff page to create or edit an entry: on a valid POST, `save(cleaned_data)` and
    back to the saved entry's edit page with the message `saved`; otherwise the form (422
    with its errors, the service's next to their field)."""
    form = form_class(request.POST) if request.method == "POST" else form_class(initial=initial)
    done = form_saved(
        request, form, save, message=saved, then=lambda entry: redirect(edit_view, entry.pk)
    )
    if done:
        return done
    status = 422 if form.errors else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def literacy_admin_new(request: HttpRequest) -> HttpResponse:
    return _staff_form(
        request,
        PracticeForm,
        lambda data: services.literacy_practice_create(actor=request.user, **data),
        template="portal/help/admin/practice_form.html",
        saved=_("The practice was saved, unpublished."),
        edit_view="portal:literacy_admin_edit",
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def literacy_admin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.literacy_practice_for_staff(pk)
    return _staff_form(
        request,
        PracticeForm,
        lambda data: services.literacy_practice_update(
            actor=request.user, practice=practice, **data
        ),
        template="portal/help/admin/practice_form.html",
        saved=_("The practice was saved."),
        edit_view="portal:literacy_admin_edit",
        initial=model_to_dict(practice, fields=services.PRACTICE_FIELDS),
        context={"practice": practice},
    )


@require(can_edit_content)
@require_POST
def literacy_admin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish (`publish=1`) or take back (`publish=0`) a practice."""
    practice = selectors.literacy_practice_for_staff(pk)
    publish = request.POST.get("publish") == "1"
    services.literacy_practice_publish(actor=request.user, practice=practice, published=publish)
    if publish:
        messages.success(request, _("The practice is published."))
    else:
        messages.success(request, _("The practice is no longer published."))
    return redirect("portal:literacy_admin_edit", practice.pk)


# --- staff: support structures -------------------------------------------------------------


@require(can_edit_content)
@require_GET
def support_admin_list(request: HttpRequest) -> HttpResponse:
    form = SupportFilterForm(request.GET or None)
    filters = form.filters()
    structures = selectors.support_structures_for_staff(**filters)
    page = Paginator(structures, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/help/admin/support_list.html",
        {"form": form, "page": page, "query": _query(filters)},
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def support_admin_new(request: HttpRequest) -> HttpResponse:
    return _staff_form(
        request,
        SupportStructureForm,
        lambda data: services.support_structure_create(actor=request.user, **data),
        template="portal/help/admin/support_form.html",
        saved=_("The support structure was saved."),
        edit_view="portal:support_admin_edit",
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def support_admin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    structure = selectors.support_structure_for_staff(pk)
    return _staff_form(
        request,
        SupportStructureForm,
        lambda data: services.support_structure_update(
            actor=request.user, structure=structure, **data
        ),
        template="portal/help/admin/support_form.html",
        saved=_("The support structure was saved."),
        edit_view="portal:support_admin_edit",
        initial=model_to_dict(structure, fields=services.STRUCTURE_FIELDS),
        context={"structure": structure},
    )


# --- staff: questions to the Office --------------------------------------------------------


@require(can_answer_enquiries)
@require_GET
def enquiry_admin_list(request: HttpRequest) -> HttpResponse:
    form = EnquiryFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.enquiry_queue(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page_or_fragment(
        request,
        "portal/help/admin/enquiry_list.html",
        "results",
        {"form": form, "page": page, "query": _query(filters)},
    )


def _enquiry_page(
    request: HttpRequest, enquiry: Any, bound: dict[str, Any] | None = None
) -> HttpResponse:
    forms: dict[str, Any] = {
        "answer": EnquiryAnswerForm(prefix="answer"),
        "close": EnquiryCloseForm(prefix="close"),
    }
    forms.update(bound or {})
    return render(
        request,
        "portal/help/admin/enquiry_detail.html",
        {
            "enquiry": enquiry,
            "forms": forms,
            "is_open": enquiry.status == EnquiryStatus.RECEIVED,
            "bound": set(bound or {}),
        },
        status=422 if bound else 200,
    )


@require(can_answer_enquiries)
@require_GET
def enquiry_admin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _enquiry_page(request, selectors.enquiry_for_staff(pk))


@require(can_answer_enquiries)
@require_POST
def enquiry_admin_answer(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_for_staff(pk)
    form = EnquiryAnswerForm(request.POST, prefix="answer")
    done = form_saved(
        request,
        form,
        lambda data: services.enquiry_answer(
            actor=request.user, enquiry=enquiry, answer=data["answer"]
        ),
        message=_("The answer was sent."),
        then=lambda _answered: redirect("portal:enquiry_admin_detail", enquiry.pk),
    )
    return done or _enquiry_page(request, enquiry, {"answer": form})


@require(can_answer_enquiries)
@require_POST
def enquiry_admin_close(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_for_staff(pk)
    form = EnquiryCloseForm(request.POST, prefix="close")
    done = form_saved(
        request,
        form,
        lambda data: services.enquiry_close(
            actor=request.user, enquiry=enquiry, reason=data["reason"], notify=data["notify"]
        ),
        message=_("The question was closed without answer."),
        then=lambda _closed: redirect("portal:enquiry_admin_detail", enquiry.pk),
    )
    return done or _enquiry_page(request, enquiry, {"close": form})
