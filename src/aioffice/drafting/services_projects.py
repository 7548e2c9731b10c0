"""Drafting projects: every change to a project, its roles, working groups, members,
declarations of interest and meetings, one function each.

Keyword-only, `actor` first; one transaction per state change with the changed row locked;
one audit event each, whose `after` holds ids, kinds, statuses and dates only (never a
name, an affiliation or a text: they may be personal data). Bad input raises
`ValidationError` naming the field; an actor without the right raises `PermissionDenied`.

Who: the Office's project runners (`permissions.may_run_projects`) do everything here,
except that a member or a chair submits their own declaration of interests. A project's
"adopted" status is set by the adoption part, never here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from aioffice.accounts.models import Organisation, User
from aioffice.core import audit
from aioffice.core.files import (
    CSV,
    DOCX,
    MARKDOWN,
    ODS,
    ODT,
    PDF,
    PPTX,
    TEXT,
    XLSX,
    check_upload,
    removed_on_failure,
)
from aioffice.drafting import permissions, validation
from aioffice.drafting.choices import (
    MEMBER_CATEGORIES,
    LegalBasis,
    ProjectKind,
    ProjectStatus,
    Visibility,
)
from aioffice.drafting.models_projects import (
    Declaration,
    DeclarationOutcome,
    Meeting,
    MeetingDocument,
    MeetingKind,
    Member,
    Project,
    ProjectRole,
    RoleKind,
    WorkingGroup,
)

__all__ = [
    "ALLOWED_TYPES",
    "declaration_review",
    "declaration_submit",
    "find_user",
    "group_create",
    "meeting_create",
    "meeting_document_add",
    "meeting_publish_minutes",
    "meeting_update",
    "member_admit",
    "member_leave",
    "project_create",
    "project_set_status",
    "project_update",
    "role_appoint",
    "role_end",
]

ALLOWED_TYPES = (PDF, TEXT, MARKDOWN, CSV, ODT, ODS, DOCX, XLSX, PPTX)
MAX_TITLE = 300
MAX_LINE = 200
MAX_TEXT = 50000
# a project may go from one status to these here; "adopted" is the adoption part's
STATUS_STEPS: dict[str, frozenset[str]] = {
    ProjectStatus.PREPARING: frozenset({ProjectStatus.DRAFTING, ProjectStatus.CLOSED}),
    ProjectStatus.DRAFTING: frozenset({ProjectStatus.CLOSED}),
    ProjectStatus.ADOPTED: frozenset({ProjectStatus.CLOSED}),
    ProjectStatus.CLOSED: frozenset(),
}


def _today() -> date:
    """The Office's current day (UTC): the one place these services read the clock."""
    return timezone.now().date()


def _text(
    value: Any, field: str, what: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    return validation.text(value, field, what, required=required, limit=limit)


def _choice(value: Any, choices: Any, field: str, what: str) -> str:
    values = {v for v, _label in choices}
    if value not in values:
        raise ValidationError({field: f"Choose {what}."})
    return str(value)


def _day(value: Any, field: str, default: date | None = None) -> date:
    if value is None:
        if default is None:
            raise ValidationError({field: "A date is required."})
        return default
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError({field: "Give a date (YYYY-MM-DD)."})
    day: date = value
    return day


def _runner(actor: Any) -> None:
    if not permissions.may_run_projects(actor):
        raise PermissionDenied(
            "Only the Office's policy, legal officers and heads of unit run drafting projects."
        )


def find_user(identifier: Any, field: str = "user") -> User:
    """The active person whose username or e-mail is `identifier` (one of them)."""
    text = _text(identifier, field, "The username or e-mail", limit=254)
    found = list(
        User.objects.filter(is_active=True)
        .filter(Q(username__iexact=text) | Q(email__iexact=text))
        .order_by("id")[:2]
    )
    if len(found) != 1:
        raise ValidationError({field: "No single active user has this username or e-mail."})
    return found[0]


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


# --- projects ----------------------------------------------------------------------------------


def _project_values(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in values:
        out["title"] = _text(values["title"], "title", "The title", limit=MAX_TITLE)
    if "kind" in values:
        out["kind"] = _choice(values["kind"], ProjectKind.choices, "kind", "a kind of project")
    if "legal_basis" in values:
        out["legal_basis"] = _choice(
            values["legal_basis"], LegalBasis.choices, "legal_basis", "a legal basis"
        )
    if "citation" in values:
        out["citation"] = _text(
            values["citation"], "citation", "The provision", required=False, limit=MAX_LINE
        )
    if "summary" in values:
        out["summary"] = _text(values["summary"], "summary", "The summary", required=False)
    for flag in ("public", "gpai_code"):
        if flag in values:
            if not isinstance(values[flag], bool):
                raise ValidationError({flag: "Give yes or no."})
            out[flag] = values[flag]
    return out


def _check_project(project: Project) -> None:
    if project.legal_basis == LegalBasis.OTHER and not project.citation:
        raise ValidationError({"citation": "Name the provision the project rests on."})
    if project.legal_basis in {LegalBasis.ART56, LegalBasis.ART50_7} and (
        project.kind != ProjectKind.CODE_OF_PRACTICE
    ):
        raise ValidationError({"legal_basis": "Art. 56 and Art. 50(7) are for codes of practice."})
    if project.gpai_code:
        if project.legal_basis != LegalBasis.ART56:
            raise ValidationError(
                {"gpai_code": "The GPAI Code of Practice is a code under Art. 56."}
            )
        other = Project.objects.filter(gpai_code=True).exclude(pk=project.pk)
        if other.exists():
            raise ValidationError({"gpai_code": "Another project is the GPAI Code of Practice."})


def project_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    legal_basis: str,
    slug: str = "",
    citation: str = "",
    summary: str = "",
    public: bool = False,
    gpai_code: bool = False,
) -> Project:
    """A new project, in preparation."""
    _runner(actor)
    values = _project_values(
        {
            "title": title,
            "kind": kind,
            "legal_basis": legal_basis,
            "citation": citation,
            "summary": summary,
            "public": public,
            "gpai_code": gpai_code,
        }
    )
    slug = _text(slug, "slug", "The address", required=False, limit=80)
    slug = slugify(slug or values["title"])[:80].strip("-")
    if not slug:
        raise ValidationError({"slug": "Give an address of letters, digits and hyphens."})
    project = Project(slug=slug, created_by=actor, **values)
    _check_project(project)
    try:
        with transaction.atomic():
            if Project.objects.filter(slug=slug).exists():
                raise ValidationError({"slug": "Another project has this address."})
            project.save()
            audit.record(
                actor=actor,
                action="drafting.project.created",
                obj=project,
                after={
                    "kind": project.kind,
                    "legal_basis": project.legal_basis,
                    "status": project.status,
                    "public": project.public,
                    "gpai_code": project.gpai_code,
                },
            )
    except IntegrityError:  # a concurrent project took the address
        raise ValidationError({"slug": "Another project has this address."}) from None
    return project


def project_update(*, actor: Any, project: Project, **changes: Any) -> Project:
    """Change a project's title, kind, legal basis, provision, summary or flags."""
    _runner(actor)
    unknown = set(changes) - {
        "title",
        "kind",
        "legal_basis",
        "citation",
        "summary",
        "public",
        "gpai_code",
    }
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This cannot be changed here."})
    values = _project_values(changes)
    with transaction.atomic():
        row = _locked_project(project)
        for name, value in values.items():
            setattr(row, name, value)
        _check_project(row)
        row.save()
        audit.record(
            actor=actor,
            action="drafting.project.updated",
            obj=row,
            after={
                "changed": sorted(values),
                "kind": row.kind,
                "legal_basis": row.legal_basis,
                "public": row.public,
                "gpai_code": row.gpai_code,
            },
        )
    return row


def project_set_status(*, actor: Any, project: Project, status: str) -> Project:
    """Move a project on: preparing → drafting → closed (or preparing → closed; an adopted
    code may be closed). Adoption is recorded by the adoption part."""
    _runner(actor)
    status = _choice(status, ProjectStatus.choices, "status", "a status")
    if status == ProjectStatus.ADOPTED:
        raise ValidationError({"status": "A project is adopted through the adoption step."})
    with transaction.atomic():
        row = _locked_project(project)
        if status not in STATUS_STEPS[row.status]:
            raise ValidationError(
                {"status": f"A project {row.status} cannot become {status} from here."}
            )
        before = row.status
        row.status = status
        row.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="drafting.project.status",
            obj=row,
            before={"status": before},
            after={"status": status},
        )
    return row


# --- roles -------------------------------------------------------------------------------------


def _group_of(project: Project, group: WorkingGroup | None, field: str) -> WorkingGroup | None:
    if group is not None and group.project_id != project.pk:
        raise ValidationError({field: "This working group belongs to another project."})
    return group


def role_appoint(
    *,
    actor: Any,
    project: Project,
    user: User | str,
    kind: str,
    working_group: WorkingGroup | None = None,
    affiliation: str = "",
    independence_statement: str = "",
    appointed_on: date | None = None,
) -> ProjectRole:
    """Appoint a chair, a vice-chair (of the project or one working group) or an Office
    drafter. Chairs and vice-chairs give their affiliation and a statement of
    independence; drafters are Office staff."""
    _runner(actor)
    person = user if isinstance(user, User) else find_user(user)
    kind = _choice(kind, RoleKind.choices, "kind", "a role")
    group = _group_of(project, working_group, "working_group")
    affiliation = _text(affiliation, "affiliation", "The affiliation", required=False, limit=300)
    statement = _text(
        independence_statement,
        "independence_statement",
        "The statement of independence",
        required=kind != RoleKind.DRAFTER,
    )
    on = _day(appointed_on, "appointed_on", _today())
    if kind == RoleKind.DRAFTER:
        if not person.is_office_staff:
            raise ValidationError({"user": "A drafter is a member of the Office's staff."})
        if group is not None:
            raise ValidationError({"working_group": "A drafter works for the whole project."})
    elif not affiliation:
        raise ValidationError({"affiliation": "Give the chair's affiliation."})
    with transaction.atomic():
        _locked_project(project)
        current = ProjectRole.objects.filter(
            project=project, user=person, kind=kind, working_group=group
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        if current.exists():
            raise ValidationError({"user": "This person already holds this role."})
        role = ProjectRole.objects.create(
            project=project,
            user=person,
            kind=kind,
            working_group=group,
            affiliation=affiliation,
            independence_statement=statement,
            appointed_on=on,
        )
        audit.record(
            actor=actor,
            action="drafting.role.appointed",
            obj=role,
            object_repr=f"role {role.pk}",
            after={
                "project": project.pk,
                "user": person.pk,
                "kind": kind,
                "working_group": role.working_group_id,
                "appointed_on": on,
            },
        )
    return role


def role_end(*, actor: Any, role: ProjectRole, ended_on: date | None = None) -> ProjectRole:
    """End a role (today unless said otherwise; not before it began)."""
    _runner(actor)
    on = _day(ended_on, "ended_on", _today())
    with transaction.atomic():
        row = ProjectRole.objects.select_for_update().get(pk=role.pk)
        if row.ended_on is not None:
            raise ValidationError({"ended_on": "This role has already ended."})
        if on < row.appointed_on:
            raise ValidationError({"ended_on": "A role cannot end before it began."})
        row.ended_on = on
        row.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            action="drafting.role.ended",
            obj=row,
            object_repr=f"role {row.pk}",
            after={"project": row.project_id, "kind": row.kind, "ended_on": on},
        )
    return row


# --- working groups and members ----------------------------------------------------------------


def group_create(
    *, actor: Any, project: Project, name: str, mandate: str = "", number: int | None = None
) -> WorkingGroup:
    """A working group of the project, numbered after the last unless a number is given."""
    _runner(actor)
    name = _text(name, "name", "The name", limit=MAX_LINE)
    mandate = _text(mandate, "mandate", "The mandate", required=False)
    if number is not None and (not isinstance(number, int) or not 1 <= number <= 99):
        raise ValidationError({"number": "Give a number from 1 to 99."})
    try:
        with transaction.atomic():
            _locked_project(project)
            if number is None:
                last = project.working_groups.aggregate(last=Max("number"))["last"] or 0
                number = last + 1
            if project.working_groups.filter(number=number).exists():
                raise ValidationError({"number": "The project has a group with this number."})
            group = WorkingGroup.objects.create(
                project=project, number=number, name=name, mandate=mandate
            )
            audit.record(
                actor=actor,
                action="drafting.group.created",
                obj=group,
                after={"project": project.pk, "number": number},
            )
    except IntegrityError:
        raise ValidationError({"number": "The project has a group with this number."}) from None
    return group


def member_admit(
    *,
    actor: Any,
    working_group: WorkingGroup,
    category: str,
    name: str = "",
    user: User | str | None = None,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    admitted_on: date | None = None,
) -> Member:
    """Admit a participant to a working group, by stakeholder category; with a sign-in
    (`user`, by username or e-mail) they read the group's papers here."""
    _runner(actor)
    category = _choice(category, MEMBER_CATEGORIES, "category", "a stakeholder category")
    person: User | None = None
    if isinstance(user, User):
        person = user
    elif user not in (None, ""):
        person = find_user(user)
    name = _text(name, "name", "The name", required=person is None, limit=MAX_LINE)
    if not name and person is not None:
        name = (person.get_full_name() or person.get_username())[:MAX_LINE]
    organisation_name = _text(
        organisation_name, "organisation_name", "The organisation", required=False, limit=300
    )
    if organisation is not None and not organisation_name:
        organisation_name = organisation.name[:300]
    on = _day(admitted_on, "admitted_on", _today())
    with transaction.atomic():
        WorkingGroup.objects.select_for_update().get(pk=working_group.pk)
        if person is not None:
            current = Member.objects.filter(working_group=working_group, user=person).filter(
                Q(left_on__isnull=True) | Q(left_on__gt=on)
            )
            if current.exists():
                raise ValidationError({"user": "This person is already a member of the group."})
        member = Member.objects.create(
            working_group=working_group,
            user=person,
            organisation=organisation,
            name=name,
            organisation_name=organisation_name,
            category=category,
            admitted_on=on,
        )
        audit.record(
            actor=actor,
            action="drafting.member.admitted",
            obj=member,
            object_repr=f"member {member.pk}",
            after={
                "working_group": working_group.pk,
                "category": category,
                "user": member.user_id,
                "organisation": member.organisation_id,
                "admitted_on": on,
            },
        )
    return member


def member_leave(*, actor: Any, member: Member, left_on: date | None = None) -> Member:
    """A member leaves the group (today unless said otherwise)."""
    _runner(actor)
    on = _day(left_on, "left_on", _today())
    with transaction.atomic():
        row = Member.objects.select_for_update().get(pk=member.pk)
        if row.left_on is not None:
            raise ValidationError({"left_on": "This member has already left."})
        if on < row.admitted_on:
            raise ValidationError({"left_on": "A member cannot leave before being admitted."})
        row.left_on = on
        row.save(update_fields=["left_on"])
        audit.record(
            actor=actor,
            action="drafting.member.left",
            obj=row,
            object_repr=f"member {row.pk}",
            after={"working_group": row.working_group_id, "left_on": on},
        )
    return row


# --- declarations of interest ------------------------------------------------------------------


def _max_bytes() -> int:
    return int(getattr(settings, "DRAFTING_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def declaration_submit(
    *,
    actor: Any,
    interests: str,
    member: Member | None = None,
    role: ProjectRole | None = None,
    upload: Any = None,
    declared_on: date | None = None,
) -> Declaration:
    """A declaration of interests of a working-group member or of a chair or vice-chair,
    with the signed declaration as a file (optional; its SHA-256 is kept). Pending review."""
    if (member is None) == (role is None):
        raise ValidationError({"member": "A declaration is a member's or a chair's."})
    if role is not None and role.kind == RoleKind.DRAFTER:
        raise ValidationError({"role": "Drafters are Office staff; they declare elsewhere."})
    if not permissions.may_declare(actor, member=member, role=role):
        raise PermissionDenied("Only the person concerned or the Office submits this.")
    interests = _text(interests, "interests", "The interests declared")
    on = _day(declared_on, "declared_on", _today())
    if on > _today():
        raise ValidationError({"declared_on": "A declaration cannot be dated in the future."})
    checked = None
    if upload is not None:
        checked = check_upload(upload, field="file", allowed=ALLOWED_TYPES, max_bytes=_max_bytes())
    with removed_on_failure() as stored, transaction.atomic():
        if member is not None:
            Member.objects.select_for_update().get(pk=member.pk)
        else:
            assert role is not None
            ProjectRole.objects.select_for_update().get(pk=role.pk)
        declaration = Declaration(member=member, role=role, declared_on=on, interests=interests)
        if checked is not None:
            declaration.content_type = checked.content_type
            declaration.sha256 = checked.sha256
            declaration.size = checked.size
            checked.store(declaration.file, stored)
        declaration.save()
        audit.record(
            actor=actor,
            action="drafting.declaration.submitted",
            obj=declaration,
            after={
                "member": declaration.member_id,
                "role": declaration.role_id,
                "declared_on": on,
                "file_sha256": declaration.sha256,
            },
        )
    return declaration


def declaration_review(
    *, actor: Any, declaration: Declaration, outcome: str, note: str = ""
) -> Declaration:
    """The Office's review of a declaration: no conflict, managed, or excluded from the
    items concerned (a note says how; required unless there is no conflict)."""
    _runner(actor)
    outcome = _choice(outcome, DeclarationOutcome.choices, "outcome", "an outcome")
    if outcome == DeclarationOutcome.PENDING:
        raise ValidationError({"outcome": "Choose the outcome of the review."})
    note = _text(
        note, "review_note", "The note", required=outcome != DeclarationOutcome.NO_CONFLICT
    )
    with transaction.atomic():
        row = Declaration.objects.select_for_update().get(pk=declaration.pk)
        before = row.outcome
        row.outcome = outcome
        row.review_note = note
        row.reviewed_by = actor
        row.reviewed_at = timezone.now()
        row.save(update_fields=["outcome", "review_note", "reviewed_by", "reviewed_at"])
        audit.record(
            actor=actor,
            action="drafting.declaration.reviewed",
            obj=row,
            before={"outcome": before},
            after={"outcome": outcome},
        )
    return row


# --- meetings ----------------------------------------------------------------------------------


def _meeting_values(project: Project, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "kind" in values:
        out["kind"] = _choice(values["kind"], MeetingKind.choices, "kind", "a kind of meeting")
    if "title" in values:
        out["title"] = _text(values["title"], "title", "The title", limit=MAX_TITLE)
    for name in ("starts_at", "ends_at"):
        if name in values:
            value = values[name]
            if value is None and name == "ends_at":
                out[name] = None
                continue
            if not isinstance(value, datetime):
                raise ValidationError({name: "Give a date and time."})
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            out[name] = value
    if "place" in values:
        out["place"] = _text(values["place"], "place", "The place", required=False, limit=300)
    for name, what in (("agenda", "The agenda"), ("minutes", "The minutes")):
        if name in values:
            out[name] = _text(values[name], name, what, required=False)
    if "visibility" in values:
        out["visibility"] = _choice(
            values["visibility"], Visibility.choices, "visibility", "who sees the meeting"
        )
    if "working_group" in values:
        out["working_group"] = _group_of(project, values["working_group"], "working_group")
    return out


def _check_meeting(meeting: Meeting) -> None:
    if meeting.kind == MeetingKind.WORKING_GROUP and meeting.working_group is None:
        raise ValidationError({"working_group": "Name the working group that meets."})
    if meeting.kind == MeetingKind.PLENARY and meeting.working_group is not None:
        raise ValidationError({"working_group": "A plenary is of all the working groups."})
    if meeting.ends_at is not None and meeting.ends_at < meeting.starts_at:
        raise ValidationError({"ends_at": "A meeting cannot end before it starts."})
    if meeting.minutes_published_on is not None and not meeting.minutes:
        raise ValidationError({"minutes": "Published minutes cannot be emptied."})


def meeting_create(
    *,
    actor: Any,
    project: Project,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    agenda: str = "",
    working_group: WorkingGroup | None = None,
    visibility: str = Visibility.WORKING_GROUPS,
) -> Meeting:
    """A plenary, workshop or working-group meeting with its agenda."""
    _runner(actor)
    values = _meeting_values(
        project,
        {
            "kind": kind,
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "agenda": agenda,
            "visibility": visibility,
            "working_group": working_group,
        },
    )
    meeting = Meeting(project=project, created_by=actor, **values)
    _check_meeting(meeting)
    with transaction.atomic():
        _locked_project(project)
        meeting.save()
        audit.record(
            actor=actor,
            action="drafting.meeting.created",
            obj=meeting,
            object_repr=f"meeting {meeting.pk}",
            after={
                "project": project.pk,
                "kind": meeting.kind,
                "working_group": meeting.working_group_id,
                "starts_at": meeting.starts_at,
                "visibility": meeting.visibility,
            },
        )
    return meeting


def meeting_update(*, actor: Any, meeting: Meeting, **changes: Any) -> Meeting:
    """Change a meeting's details, agenda, minutes or visibility."""
    _runner(actor)
    unknown = set(changes) - {
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "agenda",
        "minutes",
        "visibility",
        "working_group",
    }
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This cannot be changed here."})
    values = _meeting_values(meeting.project, changes)
    with transaction.atomic():
        row = Meeting.objects.select_for_update().get(pk=meeting.pk)
        for name, value in values.items():
            setattr(row, name, value)
        _check_meeting(row)
        row.save()
        audit.record(
            actor=actor,
            action="drafting.meeting.updated",
            obj=row,
            object_repr=f"meeting {row.pk}",
            after={"changed": sorted(values), "visibility": row.visibility},
        )
    return row


def meeting_publish_minutes(
    *, actor: Any, meeting: Meeting, published_on: date | None = None
) -> Meeting:
    """Publish the minutes (to whom the meeting's visibility names) from a day."""
    _runner(actor)
    on = _day(published_on, "minutes_published_on", _today())
    with transaction.atomic():
        row = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not row.minutes:
            raise ValidationError({"minutes": "Write the minutes before publishing them."})
        if row.minutes_published_on is not None:
            raise ValidationError({"minutes_published_on": "The minutes are published."})
        if on < row.starts_at.date():
            raise ValidationError(
                {"minutes_published_on": "Minutes are published after the meeting."}
            )
        row.minutes_published_on = on
        row.save(update_fields=["minutes_published_on"])
        audit.record(
            actor=actor,
            action="drafting.meeting.minutes_published",
            obj=row,
            object_repr=f"meeting {row.pk}",
            after={"minutes_published_on": on, "visibility": row.visibility},
        )
    return row


def meeting_document_add(
    *, actor: Any, meeting: Meeting, upload: Any, title: str, language: str = "en"
) -> MeetingDocument:
    """A paper of the meeting (stored with its SHA-256, size and type)."""
    _runner(actor)
    title = _text(title, "title", "The title", limit=MAX_TITLE)
    language = _text(language, "language", "The language", limit=2).lower()
    if len(language) != 2 or not language.isalpha():
        raise ValidationError({"language": "Give a two-letter language code."})
    checked = check_upload(upload, field="file", allowed=ALLOWED_TYPES, max_bytes=_max_bytes())
    with removed_on_failure() as stored, transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        document = MeetingDocument(
            meeting=meeting,
            title=title,
            language=language,
            sha256=checked.sha256,
            size=checked.size,
            content_type=checked.content_type,
            uploaded_by=actor,
        )
        checked.store(document.file, stored)
        document.save()
        audit.record(
            actor=actor,
            action="drafting.meeting_document.added",
            obj=document,
            object_repr=f"meeting document {document.pk}",
            after={"meeting": meeting.pk, "sha256": document.sha256, "size": document.size},
        )
    return document
