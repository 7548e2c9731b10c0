"""Pages of the authorities directory (Art. 70; GOV-01).

Public: the directory with the 27 Member States (gaps shown), a Member State's page with
its resource reports (that one was received and when), an authority's page. Staff: the
list with ended designations, creating and editing a designation, ending it, naming the
single point of contact. Resource reports are recorded by the directory's editors and by
the Member State's own authorities, who with Office staff also read the files.

They parse, call one service or selector, and render."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.cooperation import permissions
from aioffice.cooperation import selectors_authorities as selectors
from aioffice.cooperation import services_authorities as services
from aioffice.cooperation.forms_authorities import (
    AuthorityForm,
    DirectoryFilterForm,
    ResourceReportForm,
    StaffFilterForm,
)
from aioffice.core.files import download_row
from aioffice.core.forms import form_saved
from aioffice.core.permissions import (
    is_office_staff,
    login_required,
    require,
    second_factor_satisfied,
)
from aioffice.registry.choices import MEMBER_STATE_NAMES

PAGE_SIZE = 50


def _user(request: HttpRequest) -> Any:
    """The person, once fully signed in (Office staff after their second factor); None
    otherwise, so that the predicates grant nothing."""
    if not second_factor_satisfied(request):
        return None
    return request.user


def _may_edit(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return permissions.may_edit_directory(request.user)


def _api_query(filters: dict[str, str]) -> str:
    return urlencode(filters)


# --- public --------------------------------------------------------------------------------


@require_GET
def authority_directory(request: HttpRequest) -> HttpResponse:
    """The 27 Member States (their designations, single point of contact and gaps) and the
    designated authorities, filtered and paginated, with their CSV and JSON twins."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.directory(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = _api_query(filters)
    return render(
        request,
        "cooperation/authorities/directory.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "overview": selectors.overview(timezone.now().date()),
            "csv_url": "/api/v1/cooperation/authorities/directory.csv"
            + (f"?{query}" if query else ""),
            "json_url": "/api/v1/cooperation/authorities" + (f"?{query}" if query else ""),
        },
    )


def _member_state_context(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _user(request)
    today = timezone.now().date()
    return {
        "code": code,
        "name": MEMBER_STATE_NAMES[code],
        "row": selectors.overview(today, [code])[0],
        "authorities": list(selectors.authorities_of_member_state(code)),
        "reports": list(selectors.resource_reports(code)),
        "files": permissions.may_see_resource_report_files(user, code),
        "may_record": permissions.may_record_resource_report(user, code),
        "acting": {a.pk for a in permissions.authorities_of(user)},
        "today": today,
    }


@require_GET
def authority_member_state(request: HttpRequest, member_state: str) -> HttpResponse:
    if member_state.upper() != member_state and member_state.upper() in MEMBER_STATE_NAMES:
        return redirect("cooperation:authority_member_state", member_state.upper())
    code = selectors.member_state(member_state)
    return render(
        request, "cooperation/authorities/member_state.html", _member_state_context(request, code)
    )


@require_GET
def authority_detail(request: HttpRequest, member_state: str, pk: int) -> HttpResponse:
    authority = selectors.authority_shown(_user(request), pk)
    if authority.member_state != member_state:
        return redirect("cooperation:authority_detail", authority.member_state, authority.pk)
    user = _user(request)
    return render(
        request,
        "cooperation/authorities/detail.html",
        {
            "authority": authority,
            "acting": permissions.authorities_of(user).filter(pk=authority.pk).exists(),
            "may_edit": _may_edit(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_report_new(request: HttpRequest, member_state: str) -> HttpResponse:
    """Record a report received (the directory's editors; the Member State's authorities)."""
    code = selectors.member_state(member_state)
    if not permissions.may_record_resource_report(_user(request), code):
        raise PermissionDenied
    if request.method == "POST":
        form = ResourceReportForm(request.POST, request.FILES)
    else:
        form = ResourceReportForm(initial={"received_on": timezone.now().date()})

    def save(data: dict[str, Any]) -> Any:
        return services.resource_report_record(
            actor=request.user,
            member_state=code,
            received_on=data["received_on"],
            due_on=data["due_on"],
            upload=data["file"],
            summary=data["summary"],
        )

    done = form_saved(
        request,
        form,
        save,
        message=_("The report was recorded."),
        then=lambda report: redirect("cooperation:authority_member_state", code),
    )
    if done:
        return done
    context = _member_state_context(request, code)
    return render(
        request,
        "cooperation/authorities/report_form.html",
        {**context, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def resource_report_file(request: HttpRequest, member_state: str, pk: int) -> HttpResponse:
    code = selectors.member_state(member_state)
    if not permissions.may_see_resource_report_files(_user(request), code):
        raise PermissionDenied
    report = selectors.resource_report(code, pk)
    # a streamed file: the decorators' and ninja's type is HttpResponse
    return cast(
        HttpResponse,
        download_row(report),
    )


# --- staff -----------------------------------------------------------------------------------


@require(is_office_staff)
@require_GET
def authority_admin(request: HttpRequest) -> HttpResponse:
    """Every designation, ended ones too (all Office staff read; editors change)."""
    form = StaffFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.for_staff(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/authorities/admin_list.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(filters),
            "may_edit": _may_edit(request),
        },
    )


def _form_page(
    request: HttpRequest, form: AuthorityForm, context: dict[str, Any], save: Any, saved: str
) -> HttpResponse:
    done = form_saved(
        request,
        form,
        save,
        message=saved,
        then=lambda authority: redirect("cooperation:authority_admin_edit", authority.pk),
    )
    if done:
        return done
    return render(
        request,
        "cooperation/authorities/admin_form.html",
        {"form": form, **context},
        status=422 if form.errors else 200,
    )


@require(_may_edit)
@require_http_methods(["GET", "POST"])
def authority_admin_new(request: HttpRequest) -> HttpResponse:
    form = AuthorityForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        form,
        {},
        lambda data: services.authority_create(actor=request.user, **data),
        _("The designation was recorded."),
    )


@require(_may_edit)
@require_http_methods(["GET", "POST"])
def authority_admin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = selectors.authority_for_editing(pk)
    if request.method == "POST":
        form = AuthorityForm(request.POST)
    else:
        form = AuthorityForm(initial=services.authority_values(authority))
    return _form_page(
        request,
        form,
        {"authority": authority},
        lambda data: services.authority_update(actor=request.user, authority=authority, **data),
        _("The designation was saved."),
    )


def _step(request: HttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    authority = selectors.authority_for_editing(pk)
    try:
        step(actor=request.user, authority=authority)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect(reverse("cooperation:authority_admin_edit", args=[authority.pk]))


@require(_may_edit)
@require_POST
def authority_admin_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, services.authority_end, _("The designation ended; it is kept for history.")
    )


@require(_may_edit)
@require_POST
def authority_admin_spoc(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.authority_set_single_point_of_contact,
        _("The authority is now its Member State's single point of contact."),
    )
