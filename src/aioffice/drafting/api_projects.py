"""The projects API of drafting, at /api/v1/drafting/projects/.

* `GET ""`, `GET /{slug}`: public for public projects (anyone), others for staff and the
  project's participants; the detail's content follows the viewer like the page (members'
  names only to staff, drafters and the group's own members).
* `GET /{slug}/meetings`: the meetings the viewer may see (public route).
* For the Office's runners: create, edit, status; roles, working groups, members and
  meetings. `GET /{slug}/members` (and its `.csv` twin): staff and the project's drafters.

Access: 401 without a session or token on the others; 403 without the right; 404 for a
project the person may not see. Bad input is a 422 naming the field.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.core.exports import csv_response
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import Id
from aioffice.drafting import permissions
from aioffice.drafting import selectors_projects as selectors
from aioffice.drafting import services_projects as services
from aioffice.drafting.models_projects import Meeting, Member, Project, ProjectRole

router = Router(tags=["drafting: projects"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

Text = Annotated[str, Field(max_length=50000)]
Line = Annotated[str, Field(max_length=300)]
Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
KindName = Literal[
    "code_of_practice", "guidelines", "template", "implementing_act", "delegated_act"
]
BasisName = Literal["art56", "art50_7", "other"]
StatusName = Literal["preparing", "drafting", "adopted", "closed"]
RoleName = Literal["chair", "vice_chair", "drafter"]
CategoryName = Literal[
    "provider",
    "downstream_provider",
    "civil_society",
    "academia",
    "rightholder",
    "member_state",
    "observer",
]
MeetingKindName = Literal["plenary", "workshop", "working_group"]
VisibilityName = Literal["office", "working_groups", "public"]


# --- schemas -----------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    slug: str
    title: str
    kind: str
    legal_basis: str
    citation: str
    summary: str
    status: str
    public: bool
    gpai_code: bool


class ChairOut(Schema):
    id: int
    name: str
    kind: str
    working_group: int | None
    affiliation: str


class CountOut(Schema):
    category: str
    members: int


class MemberOut(Schema):
    id: int
    name: str
    organisation_name: str
    category: str
    user: int | None
    admitted_on: date
    declaration: str | None  # the latest review outcome; staff and drafters only


class GroupOut(Schema):
    id: int
    number: int
    name: str
    mandate: str
    members_total: int
    counts: list[CountOut]
    members: list[MemberOut] | None  # None: not shown to this viewer


class ProjectDetailOut(ProjectOut):
    chairs: list[ChairOut]
    working_groups: list[GroupOut]


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    working_group: int | None
    starts_at: datetime
    ends_at: datetime | None
    place: str
    visibility: str
    agenda: str
    minutes: str | None  # None until the viewer may read them
    minutes_published_on: date | None


class ProjectIn(Schema):
    title: Line
    kind: KindName
    legal_basis: BasisName
    slug: Slug | None = None
    citation: Annotated[str, Field(max_length=200)] = ""
    summary: Text = ""
    public: bool = False
    gpai_code: bool = False


class ProjectPatch(Schema):
    title: Line | None = None
    kind: KindName | None = None
    legal_basis: BasisName | None = None
    citation: Annotated[str, Field(max_length=200)] | None = None
    summary: Text | None = None
    public: bool | None = None
    gpai_code: bool | None = None


class StatusIn(Schema):
    status: StatusName


class RoleIn(Schema):
    user: Annotated[str, Field(max_length=254)]
    kind: RoleName
    working_group: Id | None = None
    affiliation: Line = ""
    independence_statement: Text = ""
    appointed_on: date | None = None


class RoleOut(Schema):
    id: int
    user: int
    kind: str
    working_group: int | None
    appointed_on: date
    ended_on: date | None


class GroupIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    mandate: Text = ""
    number: Annotated[int, Field(ge=1, le=99)] | None = None


class MemberIn(Schema):
    category: CategoryName
    name: Annotated[str, Field(max_length=200)] = ""
    user: Annotated[str, Field(max_length=254)] = ""
    organisation_name: Line = ""
    admitted_on: date | None = None


class MeetingIn(Schema):
    kind: MeetingKindName
    title: Line
    starts_at: datetime
    ends_at: datetime | None = None
    place: Line = ""
    agenda: Text = ""
    working_group: Id | None = None
    visibility: VisibilityName = "working_groups"


# --- helpers -----------------------------------------------------------------------------------


def _runner(request: HttpRequest) -> None:
    if not permissions.may_run_projects(request.user):
        raise PermissionDenied(
            "Only the Office's policy, legal officers and heads of unit run drafting projects."
        )


def _runner_project(request: HttpRequest, slug: str) -> Project:
    _runner(request)
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise Http404
    return project


def _group(project: Project, pk: int | None) -> Any:
    if pk is None:
        return None
    found = project.working_groups.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"working_group": "No such working group in this project."})
    return found


def _project_out(project: Project) -> dict[str, Any]:
    return {
        name: getattr(project, name)
        for name in (
            "id",
            "slug",
            "title",
            "kind",
            "legal_basis",
            "citation",
            "summary",
            "status",
            "public",
            "gpai_code",
        )
    }


def _member_out(member: Member, *, declarations: bool) -> dict[str, Any]:
    latest = member.declarations.all()[0] if declarations and member.declarations.all() else None
    return {
        "id": member.pk,
        "name": member.name,
        "organisation_name": member.organisation_name,
        "category": member.category,
        "user": member.user_id,
        "admitted_on": member.admitted_on,
        "declaration": latest.outcome if latest is not None else None,
    }


def _detail(user: Any, project: Project) -> dict[str, Any]:
    everything = permissions.may_see_members(user, project)
    groups = []
    for view in selectors.groups(user, project):
        found = view.members
        groups.append(
            {
                "id": view.group.pk,
                "number": view.group.number,
                "name": view.group.name,
                "mandate": view.group.mandate,
                "members_total": view.total,
                "counts": [
                    {"category": category, "members": count} for category, count in view.raw_counts
                ],
                "members": None
                if found is None
                else [_member_out(m, declarations=everything) for m in found],
            }
        )
    return {
        **_project_out(project),
        "chairs": [
            {
                "id": role.pk,
                "name": role.user.get_full_name() or role.user.get_username(),
                "kind": role.kind,
                "working_group": role.working_group_id,
                "affiliation": role.affiliation,
            }
            for role in selectors.chairs(project)
        ],
        "working_groups": groups,
    }


def _meeting_out(user: Any, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "title": meeting.title,
        "working_group": meeting.working_group_id,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "visibility": meeting.visibility,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes if permissions.may_read_minutes(user, meeting) else None,
        "minutes_published_on": meeting.minutes_published_on,
    }


def _role_out(role: ProjectRole) -> dict[str, Any]:
    return {
        "id": role.pk,
        "user": role.user_id,
        "kind": role.kind,
        "working_group": role.working_group_id,
        "appointed_on": role.appointed_on,
        "ended_on": role.ended_on,
    }


# --- reading -----------------------------------------------------------------------------------


@router.get(
    "",
    response=list[ProjectOut],
    auth=None,
    throttle=_throttle,
    summary="Drafting projects I may see (anyone: the public ones)",
)
@paginate(Pagination)
def project_list(request: HttpRequest) -> Any:
    return MappedRows(selectors.visible_projects(selectors.viewer(request)), _project_out)


@router.get(
    "/{slug}",
    response=ProjectDetailOut,
    auth=None,
    throttle=_throttle,
    summary="One project: chairs, working groups with counts per category (members where "
    "the viewer may see them)",
)
def project_detail(request: HttpRequest, slug: Slug) -> Any:
    project = selectors.project_for(request, slug)
    return _detail(selectors.viewer(request), project)


@router.get(
    "/{slug}/meetings",
    response=list[MeetingOut],
    auth=None,
    throttle=_throttle,
    summary="The project's meetings I may see (anyone: public meetings with published minutes)",
)
def meeting_list(request: HttpRequest, slug: Slug) -> Any:
    project = selectors.project_for(request, slug)
    user = selectors.viewer(request)
    return [_meeting_out(user, m) for m in selectors.meetings(user, project)]


def _members_for(request: HttpRequest, slug: str) -> Any:
    project = selectors.project_for(request, slug)
    if not permissions.may_see_members(request.user, project):
        raise PermissionDenied("Members are shown to the Office and the project's drafters.")
    return (
        selectors.current_members()
        .filter(working_group__project=project)
        .select_related("working_group")
        .prefetch_related("declarations")
        .order_by("working_group__number", "category", "name", "id")
    )


@router.get(
    "/{slug}/members",
    response=list[MemberOut],
    summary="Current members of all groups (staff and the project's drafters)",
)
@paginate(Pagination)
def member_list(request: HttpRequest, slug: Slug) -> Any:
    return MappedRows(_members_for(request, slug), lambda m: _member_out(m, declarations=True))


MEMBER_COLUMNS = ("id", "working_group", "name", "organisation_name", "category", "admitted_on")


@router.get("/{slug}/members.csv", summary="Current members as CSV (same access)")
def member_list_csv(request: HttpRequest, slug: Slug) -> StreamingHttpResponse:
    rows = _members_for(request, slug)

    def lines() -> Any:
        for m in rows:
            yield [
                m.pk,
                m.working_group.number,
                m.name,
                m.organisation_name,
                m.category,
                m.admitted_on,
            ]

    return csv_response(f"{slug}-members.csv", MEMBER_COLUMNS, lines())


# --- the Office's runners ----------------------------------------------------------------------


@router.post("", response={201: ProjectOut}, summary="Create a project (in preparation)")
def project_create(request: HttpRequest, payload: ProjectIn) -> Any:
    _runner(request)
    values = payload.dict()
    values["slug"] = values["slug"] or ""
    project = services.project_create(actor=request.user, **values)
    return Status(201, _project_out(project))


@router.patch("/{slug}", response=ProjectOut, summary="Edit a project")
def project_edit(request: HttpRequest, slug: Slug, payload: ProjectPatch) -> Any:
    project = _runner_project(request, slug)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise ValidationError({name: "A value is required."})
    return _project_out(services.project_update(actor=request.user, project=project, **changes))


@router.post("/{slug}/status", response=ProjectOut, summary="Move a project on")
def project_status(request: HttpRequest, slug: Slug, payload: StatusIn) -> Any:
    project = _runner_project(request, slug)
    row = services.project_set_status(actor=request.user, project=project, status=payload.status)
    return _project_out(row)


@router.post(
    "/{slug}/roles", response={201: RoleOut}, summary="Appoint a chair, vice-chair or drafter"
)
def role_appoint(request: HttpRequest, slug: Slug, payload: RoleIn) -> Any:
    project = _runner_project(request, slug)
    values = payload.dict()
    values["working_group"] = _group(project, values["working_group"])
    role = services.role_appoint(actor=request.user, project=project, **values)
    return Status(201, _role_out(role))


@router.post("/{slug}/roles/{role_id}/end", response=RoleOut, summary="End a role")
def role_end(request: HttpRequest, slug: Slug, role_id: Id) -> Any:
    project = _runner_project(request, slug)
    role = project.roles.filter(pk=role_id).first()
    if role is None:
        raise Http404
    return _role_out(services.role_end(actor=request.user, role=role))


@router.post("/{slug}/groups", response={201: GroupOut}, summary="Create a working group")
def group_create(request: HttpRequest, slug: Slug, payload: GroupIn) -> Any:
    project = _runner_project(request, slug)
    group = services.group_create(actor=request.user, project=project, **payload.dict())
    return Status(
        201,
        {
            "id": group.pk,
            "number": group.number,
            "name": group.name,
            "mandate": group.mandate,
            "members_total": 0,
            "counts": [],
            "members": [],
        },
    )


@router.post("/{slug}/groups/{number}/members", response={201: MemberOut}, summary="Admit a member")
def member_admit(
    request: HttpRequest, slug: Slug, number: Annotated[int, Field(ge=1, le=99)], payload: MemberIn
) -> Any:
    project = _runner_project(request, slug)
    group = project.working_groups.filter(number=number).first()
    if group is None:
        raise Http404
    member = services.member_admit(actor=request.user, working_group=group, **payload.dict())
    return Status(201, _member_out(member, declarations=False))


@router.post("/{slug}/members/{member_id}/leave", response=MemberOut, summary="A member leaves")
def member_leave(request: HttpRequest, slug: Slug, member_id: Id) -> Any:
    project = _runner_project(request, slug)
    member = Member.objects.filter(working_group__project=project, pk=member_id).first()
    if member is None:
        raise Http404
    return _member_out(services.member_leave(actor=request.user, member=member), declarations=False)


@router.post("/{slug}/meetings", response={201: MeetingOut}, summary="Record a meeting")
def meeting_create(request: HttpRequest, slug: Slug, payload: MeetingIn) -> Any:
    project = _runner_project(request, slug)
    values = payload.dict()
    values["working_group"] = _group(project, values["working_group"])
    meeting = services.meeting_create(actor=request.user, project=project, **values)
    return Status(201, _meeting_out(request.user, meeting))
