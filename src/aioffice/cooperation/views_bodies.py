"""Pages of the Board and the advisory bodies: the public pages (bodies, members and
declarations of interests, published meetings, minutes, documents and opinions), a
member's own declaration, and the Office's pages to run them. They parse, call one service
or selector, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.cooperation import selectors_bodies as selectors
from aioffice.cooperation import services_bodies as services
from aioffice.cooperation.choices import BodyKind
from aioffice.cooperation.forms_bodies import (
    AgendaItemForm,
    BodyForm,
    DeclarationForm,
    DocumentForm,
    MeetingForm,
    MeetingStatusForm,
    MemberForm,
    MinutesForm,
    OpinionForm,
)
from aioffice.cooperation.permissions_bodies import (
    can_edit_bodies,
    can_read_bodies_admin,
    may_update_declaration,
)
from aioffice.core.files import download
from aioffice.core.forms import add_service_errors
from aioffice.core.permissions import login_required, require
from aioffice.supervision.models import QualifiedAlert

PAGE_SIZE = 20


def _page(request: HttpRequest, rows: Any, name: str = "page") -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(name))


def _per_year(body: Any) -> list[selectors.YearCount]:
    """The advisory forum's meetings held per year against the law's minimum (Art. 67)."""
    if body.kind != BodyKind.ADVISORY_FORUM:
        return []
    return selectors.meetings_held_per_year(body)


# --- public --------------------------------------------------------------------------------


@require_GET
def bodies_public(request: HttpRequest) -> HttpResponse:
    """The Board, its sub-groups, the forum and its sub-groups, the panel."""
    return render(request, "cooperation/bodies/public_list.html", {"bodies": selectors.bodies()})


@require_GET
def body_public(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body(pk)
    return render(
        request,
        "cooperation/bodies/public_detail.html",
        {
            "body": body,
            "members": selectors.members_public(body),
            "meetings": _page(request, selectors.meetings_public(body), "meetings"),
            "opinions": _page(request, selectors.opinions_public(body), "opinions"),
            "rules": [
                d for d in selectors.public_body_documents(body) if d.kind == "rules_of_procedure"
            ],
            "per_year": _per_year(body),
            "balance": selectors.panel_balance(body),
        },
    )


@require_GET
def meeting_public(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "cooperation/bodies/public_meeting.html", {"meeting": selectors.meeting_public(pk)}
    )


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    # Office staff before their second factor are the public here
    reader = request.user if can_read_bodies_admin(request) else None
    document = selectors.document_for(reader, pk)
    return download(
        document.file,
        filename=document.filename,
        content_type=document.content_type,
        sha256=document.sha256,
        size=document.size,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_declaration(request: HttpRequest) -> HttpResponse:
    """A member with an aioffice account sees and updates their own public declaration."""
    seats = list(selectors.own_memberships(request.user))
    if not seats:
        raise PermissionDenied
    forms = {seat.pk: DeclarationForm(initial={"declaration": seat.declaration}) for seat in seats}
    if request.method == "POST":
        try:
            seat = next(s for s in seats if str(s.pk) == request.POST.get("membership", ""))
        except StopIteration:
            raise Http404 from None
        if not may_update_declaration(request.user, seat):  # pragma: no cover - own seats only
            raise PermissionDenied
        form = DeclarationForm(request.POST)
        forms[seat.pk] = form
        if form.is_valid():
            try:
                services.declaration_update(
                    actor=request.user,
                    membership=seat,
                    declaration=form.cleaned_data["declaration"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your declaration of interests is updated."))
                return redirect("cooperation:bodies_my_declaration")
        return render(
            request,
            "cooperation/bodies/my_declaration.html",
            {"seats": [(s, forms[s.pk]) for s in seats]},
            status=422,
        )
    return render(
        request,
        "cooperation/bodies/my_declaration.html",
        {"seats": [(s, forms[s.pk]) for s in seats]},
    )


# --- the Office ----------------------------------------------------------------------------


def _post(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    message: str,
    renames: dict[str, str] | None = None,
) -> bool:
    """A valid form saved through a service (True), or its errors on the form (False)."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc, renames)
        return False
    messages.success(request, message)
    return True


def _editor(request: HttpRequest) -> None:
    if not can_edit_bodies(request):
        raise PermissionDenied


@require(can_read_bodies_admin)
@require_http_methods(["GET", "POST"])
def bodies_admin(request: HttpRequest) -> HttpResponse:
    form = BodyForm(request.POST or None)
    if request.method == "POST":
        _editor(request)
        if _post(
            request,
            form,
            lambda data: services.body_create(actor=request.user, **data),
            _("The body is added."),
        ):
            return redirect("cooperation:bodies_admin")
    return render(
        request,
        "cooperation/bodies/admin_list.html",
        {"bodies": selectors.bodies(), "form": form, "can_edit": can_edit_bodies(request)},
        status=422 if form.errors else 200,
    )


def _member_save(request: HttpRequest, body: Any, data: dict[str, Any]) -> Any:
    user = selectors.account(data.pop("username"))
    return services.member_add(actor=request.user, body=body, user=user, **data)


def _opinion_save(request: HttpRequest, body: Any, data: dict[str, Any]) -> Any:
    alert_id = data.pop("alert")
    alert = None
    if alert_id is not None:
        alert = QualifiedAlert.objects.filter(intake_id=alert_id).first()
        if alert is None:
            raise ValidationError({"alert": _("No qualified alert has this number.")})
    return services.opinion_create(actor=request.user, body=body, alert=alert, **data)


def _document_save(request: HttpRequest, body: Any, data: dict[str, Any], **owner: Any) -> Any:
    return services.document_add(
        actor=request.user,
        body=body,
        kind=data["kind"],
        upload=data["file"],
        title=data["title"],
        public=data["public"],
        **owner,
    )


@require(can_read_bodies_admin)
@require_http_methods(["GET", "POST"])
def body_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """A body: its members (add, renew, end), meetings (add), opinions (record, publish)
    and documents (the rules of procedure)."""
    body = selectors.body(pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {
        "member": MemberForm(request.POST if action == "member" else None, prefix="member"),
        "meeting": MeetingForm(request.POST if action == "meeting" else None, prefix="meeting"),
        "opinion": OpinionForm(request.POST if action == "opinion" else None, prefix="opinion"),
        "document": DocumentForm(
            request.POST if action == "document" else None,
            request.FILES if action == "document" else None,
            prefix="document",
        ),
    }
    if request.method == "POST":
        _editor(request)
        if action not in forms:
            raise Http404
        saves: dict[str, Callable[[dict[str, Any]], Any]] = {
            "member": lambda data: _member_save(request, body, data),
            "meeting": lambda data: services.meeting_create(actor=request.user, body=body, **data),
            "opinion": lambda data: _opinion_save(request, body, data),
            "document": lambda data: _document_save(request, body, data),
        }
        if _post(request, forms[action], saves[action], _("Saved.")):
            return redirect("cooperation:body_admin", pk=body.pk)
    return render(
        request,
        "cooperation/bodies/admin_detail.html",
        {
            "body": body,
            "members": selectors.members_all(body),
            "meetings": _page(request, selectors.meetings_all(body), "meetings"),
            "opinions": _page(request, selectors.opinions_all(body), "opinions"),
            "documents": selectors.body_documents(body),
            "per_year": _per_year(body),
            "forms": forms,
            "can_edit": can_edit_bodies(request),
        },
        status=422 if action else 200,
    )


@require(can_edit_bodies)
@require_POST
def member_action(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership(pk)
    action = request.POST.get("action", "")
    try:
        if action == "renew":
            services.member_renew(actor=request.user, membership=membership)
            messages.success(request, _("The term is renewed."))
        elif action == "end":
            services.member_end(actor=request.user, membership=membership)
            messages.success(request, _("The member has left the body."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("cooperation:body_admin", pk=membership.body_id)


@require(can_read_bodies_admin)
@require_http_methods(["GET", "POST"])
def meeting_admin(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting(pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {
        "status": MeetingStatusForm(
            request.POST if action == "status" else None,
            initial={"status": meeting.status, "published": meeting.published},
            prefix="status",
        ),
        "item": AgendaItemForm(request.POST if action == "item" else None, prefix="item"),
        "minutes": MinutesForm(
            request.POST if action == "minutes" else None,
            initial={
                "minutes": meeting.minutes,
                "status": meeting.minutes_status,
                "published": meeting.minutes_published,
            },
            prefix="minutes",
        ),
        "document": DocumentForm(
            request.POST if action == "document" else None,
            request.FILES if action == "document" else None,
            initial={"kind": "meeting"},
            prefix="document",
        ),
    }
    if request.method == "POST":
        _editor(request)
        if action not in forms:
            raise Http404
        saves: dict[str, Callable[[dict[str, Any]], Any]] = {
            "status": lambda data: services.meeting_update(
                actor=request.user, meeting=meeting, **data
            ),
            "item": lambda data: services.agenda_item_add(
                actor=request.user, meeting=meeting, **data
            ),
            "minutes": lambda data: services.minutes_save(
                actor=request.user, meeting=meeting, **data
            ),
            "document": lambda data: _document_save(request, meeting.body, data, meeting=meeting),
        }
        if _post(request, forms[action], saves[action], _("Saved.")):
            return redirect("cooperation:meeting_admin", pk=meeting.pk)
    return render(
        request,
        "cooperation/bodies/admin_meeting.html",
        {"meeting": meeting, "forms": forms, "can_edit": can_edit_bodies(request)},
        status=422 if action else 200,
    )


@require(can_edit_bodies)
@require_POST
def opinion_publish(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion(pk)
    published = request.POST.get("published") == "1"
    services.opinion_publish(actor=request.user, opinion=opinion, published=published)
    messages.success(request, _("Published.") if published else _("Withdrawn."))
    return redirect("cooperation:body_admin", pk=opinion.body_id)


@require(can_edit_bodies)
@require_POST
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    public = request.POST.get("public") == "1"
    services.document_publish(actor=request.user, document=document, public=public)
    messages.success(request, _("Published.") if public else _("Withdrawn."))
    if document.meeting_id is not None:
        return redirect("cooperation:meeting_admin", pk=document.meeting_id)
    return redirect("cooperation:body_admin", pk=document.body_id)
