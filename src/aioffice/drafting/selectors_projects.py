"""What each person sees of drafting projects (the pages and the API read through here).

`viewer(request)` is who counts: Office staff only after their second factor (before it
they see what anyone sees). The project page's content follows the viewer: the public see
the chairs, the working groups with counts per category and the public meetings with
published minutes; members see their own group's members and the meetings shown to the
working groups; staff and the project's drafters see everyone, with the declarations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from aioffice.core.permissions import second_factor_satisfied
from aioffice.drafting import permissions
from aioffice.drafting.choices import MEMBER_CATEGORIES, ProjectKind, ProjectStatus, Visibility
from aioffice.drafting.models_projects import (
    Declaration,
    DeclarationOutcome,
    Meeting,
    MeetingDocument,
    Member,
    Project,
    ProjectRole,
    RoleKind,
    WorkingGroup,
)


def viewer(request: HttpRequest) -> Any:
    """The signed-in person who counts for access, or None (staff without the second
    factor count as no one)."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    if not second_factor_satisfied(request):
        return None
    return user


def _current(rows: QuerySet[Any], field: str) -> QuerySet[Any]:
    today = timezone.now().date()
    return rows.filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": today}))


def current_roles() -> QuerySet[ProjectRole]:
    return _current(ProjectRole.objects.all(), "ended_on")


def current_members() -> QuerySet[Member]:
    return _current(Member.objects.all(), "left_on")


def project_for(request: HttpRequest, slug: str) -> Project:
    """The project the viewer may read (404 otherwise, so as not to tell it exists)."""
    project = Project.objects.filter(slug=slug).first()
    if project is None or not permissions.may_read_project(viewer(request), project):
        raise Http404
    return project


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(public=True).order_by("-created_at", "-id")


def visible_projects(user: Any) -> QuerySet[Project]:
    """Staff: all; others: the public ones and those they draft or take part in."""
    if permissions.is_staff_user(user):
        return Project.objects.order_by("-created_at", "-id")
    rows = Q(public=True)
    if user is not None:
        rows |= Q(pk__in=current_roles().filter(user=user).values("project_id"))
        rows |= Q(pk__in=current_members().filter(user=user).values("working_group__project_id"))
    return Project.objects.filter(rows).order_by("-created_at", "-id")


def staff_projects(*, kind: str = "", status: str = "") -> QuerySet[Project]:
    """The Office's list, with counts of groups, current members and meetings."""
    rows = Project.objects.all()
    if kind in ProjectKind.values:
        rows = rows.filter(kind=kind)
    if status in ProjectStatus.values:
        rows = rows.filter(status=status)
    today = timezone.now().date()
    return rows.annotate(
        group_count=Count("working_groups", distinct=True),
        member_count=Count(
            "working_groups__members",
            filter=Q(working_groups__members__left_on__isnull=True)
            | Q(working_groups__members__left_on__gt=today),
            distinct=True,
        ),
        meeting_count=Count("meetings", distinct=True),
    ).order_by("-created_at", "-id")


def status_counts() -> dict[str, int]:
    found = dict(Project.objects.values_list("status").annotate(n=Count("id")))
    return {value: int(found.get(value, 0)) for value in ProjectStatus.values}


def chairs(project: Project) -> list[ProjectRole]:
    """The current chairs and vice-chairs (public), chairs first."""
    rows = (
        current_roles()
        .filter(project=project, kind__in=[RoleKind.CHAIR, RoleKind.VICE_CHAIR])
        .select_related("user", "working_group")
        .order_by("kind", "working_group__number", "id")
    )
    return list(rows)


@dataclass
class GroupView:
    group: WorkingGroup
    counts: list[tuple[str, int]]  # (category label, current members)
    total: int
    raw_counts: list[tuple[str, int]] = field(default_factory=list)  # (category value, n)
    members: list[Member] | None = None  # None: not shown to this viewer
    flagged: set[int] = field(default_factory=set)  # members with pending/excluded decl.


def _flags(members: list[Member]) -> set[int]:
    """Members whose latest declaration is pending or excluded, or who have none."""
    flagged: set[int] = set()
    for member in members:
        declarations = list(member.declarations.all())
        latest = declarations[0] if declarations else None
        if latest is None or latest.outcome in {
            DeclarationOutcome.PENDING,
            DeclarationOutcome.EXCLUDED,
        }:
            flagged.add(member.pk)
    return flagged


def _members_of(group_ids: list[int]) -> dict[int, list[Member]]:
    rows = (
        current_members()
        .filter(working_group_id__in=group_ids)
        .prefetch_related(
            Prefetch("declarations", queryset=Declaration.objects.order_by("-declared_on", "-id"))
        )
        .order_by("category", "name", "id")
    )
    found: dict[int, list[Member]] = {gid: [] for gid in group_ids}
    for member in rows:
        found[member.working_group_id].append(member)
    return found


def groups(user: Any, project: Project) -> list[GroupView]:
    """The project's working groups with counts per category; their members where the
    viewer may see them."""
    rows = list(project.working_groups.order_by("number"))
    members = _members_of([g.pk for g in rows])
    labels = dict(MEMBER_CATEGORIES)
    all_members = permissions.may_see_members(user, project)
    own = permissions.member_group_ids(user, project)
    out = []
    for group in rows:
        found = members[group.pk]
        counter = Counter(m.category for m in found)
        counts = [(str(labels[v]), counter[v]) for v, _ in MEMBER_CATEGORIES if counter[v]]
        raw = [(v, counter[v]) for v, _ in MEMBER_CATEGORIES if counter[v]]
        view = GroupView(group, counts, len(found), raw)
        if all_members or group.pk in own:
            view.members = found
        if all_members:
            view.flagged = _flags(found)
        out.append(view)
    return out


def group_for(request: HttpRequest, project: Project, number: int) -> WorkingGroup:
    group = project.working_groups.filter(number=number).first()
    if group is None:
        raise Http404
    return group


def meetings(user: Any, project: Project) -> list[Meeting]:
    """The project's meetings the viewer may see, latest first."""
    rows = project.meetings.select_related("working_group", "project").order_by("-starts_at", "-id")
    if not permissions.may_read_everything(user, project):
        shown = Q(visibility=Visibility.PUBLIC, minutes_published_on__lte=timezone.now().date())
        own = permissions.member_group_ids(user, project)
        if own:
            shown |= Q(visibility__in=[Visibility.WORKING_GROUPS, Visibility.PUBLIC]) & (
                Q(working_group__isnull=True) | Q(working_group_id__in=own)
            )
        elif not project.public:
            return []
        rows = rows.filter(shown)
    return list(rows)


def meeting_for(request: HttpRequest, project: Project, pk: int) -> Meeting:
    meeting = project.meetings.select_related("project", "working_group").filter(pk=pk).first()
    if meeting is None or not permissions.may_see_meeting(viewer(request), meeting):
        raise Http404
    return meeting


def meeting_document_for(request: HttpRequest, meeting: Meeting, pk: int) -> MeetingDocument:
    document = meeting.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def declaration_for(request: HttpRequest, project: Project, pk: int) -> Declaration:
    row = (
        Declaration.objects.select_related("member__working_group__project", "role__project")
        .filter(Q(member__working_group__project=project) | Q(role__project=project), pk=pk)
        .first()
    )
    if row is None or not permissions.may_read_declaration(viewer(request), row):
        raise Http404
    return row


def role_declarations(project: Project) -> dict[int, list[Declaration]]:
    found: dict[int, list[Declaration]] = {}
    for row in Declaration.objects.filter(role__project=project).order_by("-declared_on", "-id"):
        found.setdefault(int(row.role_id or 0), []).append(row)
    return found


def my_roles(user: Any) -> QuerySet[ProjectRole]:
    return current_roles().filter(user=user).select_related("project", "working_group")


def my_memberships(user: Any) -> QuerySet[Member]:
    return current_members().filter(user=user).select_related("working_group__project")
