"""The Code of Practice's pages.

The public register of signatories per chapter (a page, JSON and CSV): public by design,
with dates and withdrawals but not the withdrawal reasons or staff notes. Staff record
signatures and withdrawals. A provider (or its current representative) submits its
Framework and Model Reports; staff and the provider see the deadlines and submissions,
each only what `provider_scope` grants. Documents are served only through a view that
checks access. Views parse, call one service or selector, and render.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aioffice.core.exports import csv_response
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.registry import selectors as registry_selectors
from aioffice.registry.codeofpractice import selectors, services
from aioffice.registry.codeofpractice.forms import (
    FrameworkForm,
    ModelReportForm,
    SignatureForm,
    WithdrawForm,
)
from aioffice.registry.codeofpractice.models import Chapter, Signature

_CHAPTERS = dict(Chapter.choices)
PUBLIC_COLUMNS = ("provider", "chapter", "signed_on", "withdrawn_on", "source")
PUBLIC_PAGE_SIZE = 100


def _add_service_errors(form: Any, exc: ValidationError) -> None:
    """The service's errors next to their field; others on top of the form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def _chapter(request: HttpRequest) -> str | None:
    chapter = request.GET.get("chapter")
    return chapter if chapter in _CHAPTERS else None


# --- the public register --------------------------------------------------------------------------


@require_GET
def signatories(request: HttpRequest) -> HttpResponse:
    """The signatories of the GPAI Code of Practice, grouped by chapter; one query a page
    and one to count."""
    chapter = _chapter(request)
    page = Paginator(selectors.public_signatures(chapter), PUBLIC_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    groups: dict[str, list[Signature]] = {}
    for signature in page.object_list:
        groups.setdefault(signature.chapter, []).append(signature)
    chapters = [(key, _CHAPTERS[key], groups[key]) for key in Chapter.values if key in groups]
    return render_page_or_fragment(
        request,
        "codeofpractice/signatories.html",
        "results",
        {
            "page": page,
            "chapters": chapters,
            "chapter": chapter,
            "chapter_choices": Chapter.choices,
            "query": f"chapter={chapter}" if chapter else "",
        },
    )


@require_GET
def signatories_json(request: HttpRequest) -> JsonResponse:
    """The register as JSON, a page at a time (`?page=`, as the page's pages): the count,
    the page, the number of pages and the page's items. One query to count, one a page."""
    paginator = Paginator(selectors.public_signatures(_chapter(request)), PUBLIC_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "items": [selectors.public_signature(s) for s in page.object_list],
        },
        encoder=DjangoJSONEncoder,
    )


@require_GET
def signatories_csv(request: HttpRequest) -> HttpResponse:
    rows = (
        [selectors.public_signature(s)[c] for c in PUBLIC_COLUMNS]
        for s in selectors.public_signatures(_chapter(request)).iterator()
    )
    return csv_response("code-of-practice-signatories.csv", PUBLIC_COLUMNS, rows)  # type: ignore[return-value]


# --- staff: signatures ----------------------------------------------------------------------------


@require(is_office_staff)
@require_http_methods(["GET", "POST"])
def signatures(request: HttpRequest) -> HttpResponse:
    """AI Office staff: every signature with reasons and notes, and the form to record one."""
    providers = registry_selectors.providers_visible_to(request)
    form = SignatureForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signature_add(
                actor=request.user,
                provider=data["provider"],
                chapter=data["chapter"],
                signed_on=data["signed_on"],
                source=data["source"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The signature was recorded."))
            return redirect("codeofpractice:signatures")
    page = Paginator(selectors.signatures_visible_to(request), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "codeofpractice/signatures.html",
        {"form": form, "page": page, "query": ""},
    )


@require(is_office_staff)
@require_http_methods(["GET", "POST"])
def signature_withdraw(request: HttpRequest, signature_id: int) -> HttpResponse:
    signature = get_object_or_404(selectors.signatures_visible_to(request), pk=signature_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_withdraw(
                actor=request.user,
                signature=signature,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The withdrawal was recorded."))
            return redirect("codeofpractice:signatures")
    return render(request, "codeofpractice/withdraw.html", {"form": form, "signature": signature})


# --- deadlines and submissions (staff and the provider) -------------------------------------------


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.now().date()


@login_required
@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    """Where each visible version with systemic risk stands with its Framework and Model
    Report on a day (today by default): staff see all, a provider its own."""
    day = _day(request)
    rows = selectors.DeadlineRows(selectors.sr_versions_visible_to(request), day)
    paginator: Paginator[dict[str, Any]] = Paginator(rows, 25)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "codeofpractice/deadlines.html",
        "results",
        {
            "page": page,
            "on": day,
            "query": f"on={day.isoformat()}",
            "is_staff": is_office_staff(request),
        },
    )


@login_required
@require_GET
def submissions(request: HttpRequest) -> HttpResponse:
    frameworks = Paginator(selectors.frameworks_visible_to(request), 25).get_page(
        request.GET.get("page")
    )
    reports = Paginator(selectors.reports_visible_to(request), 25).get_page(
        request.GET.get("reports_page")
    )
    return render(
        request,
        "codeofpractice/submissions.html",
        {"frameworks": frameworks, "reports": reports, "is_staff": is_office_staff(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_submit(request: HttpRequest) -> HttpResponse:
    """The provider (or its current representative) submits its confirmed Framework."""
    if is_office_staff(request):
        raise PermissionDenied
    providers = registry_selectors.providers_visible_to(request)
    if not providers.exists():
        raise PermissionDenied
    form = FrameworkForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        providers=providers,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.framework_submit(
                actor=request.user,
                provider=data["provider"],
                document=data["document"],
                framework_version=data["framework_version"],
                confirmed_on=data["confirmed_on"],
                placing_on=data["placing_on"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your Framework was received."))
            return redirect("codeofpractice:submissions")
    return render(request, "codeofpractice/framework_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def model_report_submit(request: HttpRequest, version_id: int) -> HttpResponse:
    """The provider (or its current representative) submits a version's Model Report."""
    version = get_object_or_404(registry_selectors.versions_visible_to(request), pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied
    form = ModelReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.model_report_submit(
                actor=request.user,
                version=version,
                document=data["document"],
                kind=data["kind"],
                most_capable=data["most_capable"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your report was received."))
            return redirect("codeofpractice:submissions")
    return render(
        request, "codeofpractice/model_report_form.html", {"form": form, "version": version}
    )


def _serve(document: Any, content_type: str) -> HttpResponse:
    try:
        handle = document.open("rb")
    except FileNotFoundError:  # the record outlived its file (a restore, a storage fault)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=Path(document.name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams


@login_required
@require_GET
def framework_document(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = get_object_or_404(selectors.frameworks_visible_to(request), pk=submission_id)
    return _serve(submission.document, submission.content_type)


@login_required
@require_GET
def model_report_document(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = get_object_or_404(selectors.reports_visible_to(request), pk=submission_id)
    return _serve(submission.document, submission.content_type)
