"""The projects pages: a project's one page whose content follows the viewer, its working
groups and meetings, and the Office's forms (project, status, roles, groups, members,
declarations and their review, meetings, minutes, papers). Files only through views that
check access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.files import download
from aioffice.core.forms import form_saved
from aioffice.core.permissions import login_required, require
from aioffice.drafting import permissions
from aioffice.drafting import selectors_projects as selectors
from aioffice.drafting import services_projects as services
from aioffice.drafting.forms_projects import (
    DeclarationForm,
    DocumentForm,
    GroupForm,
    MeetingForm,
    MemberForm,
    ProjectEditForm,
    ProjectForm,
    ReviewForm,
    RoleForm,
    StatusForm,
)
from aioffice.drafting.models_projects import Member, Project, ProjectRole

FORM = "drafting/projects/form.html"


def may_run(request: HttpRequest) -> bool:
    return permissions.may_run_projects(selectors.viewer(request))


def _project_runner(request: HttpRequest, slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise Http404
    return project


def _groups(project: Project) -> list[tuple[int, str]]:
    return [(g.pk, str(g)) for g in project.working_groups.order_by("number")]


def _group_row(project: Project, pk: int | None) -> Any:
    if pk is None:
        return None
    return project.working_groups.filter(pk=pk).first()


def _form_page(
    request: HttpRequest, form: Any, title: Any, project: Project | None, multipart: bool = False
) -> HttpResponse:
    return render(
        request,
        FORM,
        {"form": form, "heading": title, "project": project, "multipart": multipart},
    )


def _to_project(project: Project) -> HttpResponse:
    return redirect("drafting:project", project.slug)


# --- the project's page ------------------------------------------------------------------------


@require_GET
def project(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.project_for(request, slug)
    user = selectors.viewer(request)
    everything = permissions.may_see_members(user, found)
    chairs = selectors.chairs(found)
    declared = selectors.role_declarations(found) if everything else {}
    for role in chairs:
        role.decls = declared.get(role.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "drafting/projects/project.html",
        {
            "project": found,
            "chairs": chairs,
            "groups": selectors.groups(user, found),
            "meetings": selectors.meetings(user, found),
            "see_members": everything,
            "runner": permissions.may_run_projects(user),
            "drafters": (
                selectors.current_roles()
                .filter(project=found, kind="drafter")
                .select_related("user")
                if everything
                else []
            ),
            "status_form": StatusForm(),
            **_text_and_consultations(user, found),
        },
    )


def _text_and_consultations(user: Any, found: Project) -> dict[str, Any]:
    """What the project page links to in the other parts: the versions of the text the
    viewer reads, the consultations they may read (with the AI tools for the Office and the
    chairs), and the adoption once there is one."""
    from aioffice.drafting import selectors_consultations, selectors_drafts

    versions = list(selectors_drafts.drafts_visible(user, found).order_by("-number"))
    readable = [
        c
        for c in selectors_consultations.consultations()
        .filter(draft__project=found)
        .prefetch_related("working_groups")
        .order_by("-opens_at", "-id")
        if permissions.may_read_consultation(user, c)
    ]
    return {
        "versions": versions,
        "project_consultations": readable,
        "may_analyse": permissions.may_analyse(user, found),
        "adopted": hasattr(found, "adoption"),
    }


@require_GET
def group(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    found = selectors.project_for(request, slug)
    row = selectors.group_for(request, found, number)
    user = selectors.viewer(request)
    views = [v for v in selectors.groups(user, found) if v.group.pk == row.pk]
    return render(
        request,
        "drafting/projects/group.html",
        {
            "project": found,
            "view": views[0],
            "see_members": permissions.may_see_members(user, found),
            "runner": permissions.may_run_projects(user),
            "me": user,
        },
    )


@require_GET
def meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = selectors.project_for(request, slug)
    row = selectors.meeting_for(request, found, pk)
    user = selectors.viewer(request)
    return render(
        request,
        "drafting/projects/meeting.html",
        {
            "project": found,
            "meeting": row,
            "minutes": permissions.may_read_minutes(user, row),
            "documents": row.documents.all(),
            "runner": permissions.may_run_projects(user),
        },
    )


@require_GET
def meeting_document(request: HttpRequest, slug: str, pk: int, document_pk: int) -> Any:
    found = selectors.project_for(request, slug)
    row = selectors.meeting_for(request, found, pk)
    document = selectors.meeting_document_for(request, row, document_pk)
    return download(
        document.file,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
        sha256=document.sha256,
        size=document.size,
    )


@login_required
@require_GET
def declaration_file(request: HttpRequest, slug: str, pk: int) -> Any:
    found = selectors.project_for(request, slug)
    row = selectors.declaration_for(request, found, pk)
    if not row.file:
        raise Http404
    return download(
        row.file,
        filename=row.file.name.rsplit("/", 1)[-1],
        content_type=row.content_type,
        sha256=row.sha256,
        size=row.size,
    )


# --- the Office's forms ------------------------------------------------------------------------


@require(may_run)
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    done = form_saved(
        request,
        form,
        lambda data: services.project_create(actor=request.user, **data),
        message=str(_("The project is created.")),
        then=_to_project,
    )
    return done or _form_page(request, form, _("New drafting project"), None)


@require(may_run)
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _project_runner(request, slug)
    initial = {
        name: getattr(found, name)
        for name in ("title", "kind", "legal_basis", "citation", "summary", "public", "gpai_code")
    }
    form = ProjectEditForm(request.POST or None, initial=initial)
    done = form_saved(
        request,
        form,
        lambda data: services.project_update(actor=request.user, project=found, **data),
        message=str(_("The project is saved.")),
        then=_to_project,
    )
    return done or _form_page(request, form, _("Edit the project"), found)


@require(may_run)
@require_POST
def project_status(request: HttpRequest, slug: str) -> HttpResponse:
    found = _project_runner(request, slug)
    form = StatusForm(request.POST)
    done = form_saved(
        request,
        form,
        lambda data: services.project_set_status(
            actor=request.user, project=found, status=data["status"]
        ),
        message=str(_("The status is changed.")),
        then=_to_project,
    )
    return done or _form_page(request, form, _("Change the status"), found)


@require(may_run)
@require_http_methods(["GET", "POST"])
def role_new(request: HttpRequest, slug: str) -> HttpResponse:
    found = _project_runner(request, slug)
    form = RoleForm(request.POST or None, groups=_groups(found))

    def save(data: dict[str, Any]) -> Any:
        group = _group_row(found, data.pop("working_group"))
        return services.role_appoint(actor=request.user, project=found, working_group=group, **data)

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The appointment is recorded.")),
        then=lambda _row: _to_project(found),
    )
    return done or _form_page(request, form, _("Appoint a chair, vice-chair or drafter"), found)


@require(may_run)
@require_POST
def role_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _project_runner(request, slug)
    role = ProjectRole.objects.filter(project=found, pk=pk).first()
    if role is None:
        raise Http404
    try:
        services.role_end(actor=request.user, role=role)
        messages.success(request, str(_("The role is ended.")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_project(found)


@require(may_run)
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest, slug: str) -> HttpResponse:
    found = _project_runner(request, slug)
    form = GroupForm(request.POST or None)
    done = form_saved(
        request,
        form,
        lambda data: services.group_create(actor=request.user, project=found, **data),
        message=str(_("The working group is created.")),
        then=lambda row: redirect("drafting:group", found.slug, row.number),
    )
    return done or _form_page(request, form, _("New working group"), found)


@require(may_run)
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    found = _project_runner(request, slug)
    row = selectors.group_for(request, found, number)
    form = MemberForm(request.POST or None)
    done = form_saved(
        request,
        form,
        lambda data: services.member_admit(actor=request.user, working_group=row, **data),
        message=str(_("The member is admitted.")),
        then=lambda _m: redirect("drafting:group", found.slug, row.number),
    )
    return done or _form_page(request, form, _("Admit a member"), found)


@require(may_run)
@require_POST
def member_leave(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _project_runner(request, slug)
    member = (
        Member.objects.filter(working_group__project=found, pk=pk)
        .select_related("working_group")
        .first()
    )
    if member is None:
        raise Http404
    try:
        services.member_leave(actor=request.user, member=member)
        messages.success(request, str(_("The member has left the group.")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("drafting:group", found.slug, member.working_group.number)


@login_required
@require_http_methods(["GET", "POST"])
def declaration_new(request: HttpRequest, slug: str, of: str, pk: int) -> HttpResponse:
    found = selectors.project_for(request, slug)
    member = role = None
    if of not in {"member", "role"}:
        raise Http404
    if of == "member":
        member = Member.objects.filter(working_group__project=found, pk=pk).first()
    else:
        role = ProjectRole.objects.filter(project=found, pk=pk).first()
    if member is None and role is None:
        raise Http404
    if not permissions.may_declare(selectors.viewer(request), member=member, role=role):
        raise PermissionDenied
    form = DeclarationForm(request.POST or None, request.FILES or None)
    done = form_saved(
        request,
        form,
        lambda data: services.declaration_submit(
            actor=request.user,
            member=member,
            role=role,
            interests=data["interests"],
            upload=data["file"],
        ),
        message=str(_("The declaration is recorded; the Office will review it.")),
        then=lambda _d: _to_project(found),
    )
    return done or _form_page(request, form, _("Declaration of interests"), found, True)


@require(may_run)
@require_http_methods(["GET", "POST"])
def declaration_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _project_runner(request, slug)
    row = selectors.declaration_for(request, found, pk)
    form = ReviewForm(request.POST or None)
    done = form_saved(
        request,
        form,
        lambda data: services.declaration_review(
            actor=request.user,
            declaration=row,
            outcome=data["outcome"],
            note=data["review_note"],
        ),
        message=str(_("The review is recorded.")),
        then=lambda _d: _to_project(found),
    )
    if done:
        return done
    return render(
        request,
        "drafting/projects/declaration.html",
        {"project": found, "declaration": row, "form": form},
    )


@require(may_run)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    found = _project_runner(request, slug)
    form = MeetingForm(request.POST or None, groups=_groups(found))

    def save(data: dict[str, Any]) -> Any:
        data.pop("minutes")
        group = _group_row(found, data.pop("working_group"))
        return services.meeting_create(
            actor=request.user, project=found, working_group=group, **data
        )

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The meeting is recorded.")),
        then=lambda row: redirect("drafting:meeting", found.slug, row.pk),
    )
    return done or _form_page(request, form, _("New meeting"), found)


@require(may_run)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _project_runner(request, slug)
    row = found.meetings.filter(pk=pk).first()
    if row is None:
        raise Http404
    initial = {
        name: getattr(row, name)
        for name in ("kind", "title", "starts_at", "ends_at", "place", "visibility", "agenda")
    }
    initial["minutes"] = row.minutes
    initial["working_group"] = row.working_group_id
    form = MeetingForm(request.POST or None, initial=initial, groups=_groups(found))

    def save(data: dict[str, Any]) -> Any:
        data["working_group"] = _group_row(found, data.pop("working_group"))
        return services.meeting_update(actor=request.user, meeting=row, **data)

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The meeting is saved.")),
        then=lambda m: redirect("drafting:meeting", found.slug, m.pk),
    )
    return done or _form_page(request, form, _("Edit the meeting"), found)


@require(may_run)
@require_POST
def meeting_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _project_runner(request, slug)
    row = found.meetings.filter(pk=pk).first()
    if row is None:
        raise Http404
    try:
        services.meeting_publish_minutes(actor=request.user, meeting=row)
        messages.success(request, str(_("The minutes are published.")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("drafting:meeting", found.slug, row.pk)


@require(may_run)
@require_http_methods(["GET", "POST"])
def meeting_document_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _project_runner(request, slug)
    row = found.meetings.filter(pk=pk).first()
    if row is None:
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    done = form_saved(
        request,
        form,
        lambda data: services.meeting_document_add(
            actor=request.user,
            meeting=row,
            upload=data["file"],
            title=data["title"],
            language=data["language"],
        ),
        message=str(_("The document is stored.")),
        then=lambda _d: redirect("drafting:meeting", found.slug, row.pk),
    )
    return done or _form_page(request, form, _("Add a meeting document"), found, True)
