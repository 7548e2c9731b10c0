"""Who may do what in drafting. Access is denied unless a rule here grants it.

* Office staff (after the second factor, checked by the request predicates) read every
  project; policy officers, legal officers and heads of unit run them (projects, groups,
  consultations, adoption); legal officers and heads of unit record adequacy assessments.
* The chairs, vice-chairs and drafters of a project (current `ProjectRole`) write its
  drafts, read all its feedback, confidential included, and use the AI tools on it.
* Members of a working group (current `Member` with a sign-in) read what is shown to the
  working groups and answer the consultations opened to their group.
* Everyone reads public projects, published public drafts, public consultations and the
  responses published from them; confidential responses never leave the Office and chairs.
* A provider's organisation members sign an adopted code for their provider and submit
  its implementation reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import Membership
from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_drafts import Draft, DraftStatus
from aioffice.drafting.models_projects import Member, Project, ProjectRole
from aioffice.registry.models import Provider

PROJECT_RUNNERS = (Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT)
ASSESSORS = (Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT)


def _active(user: Any) -> bool:
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    return bool(user.is_active)


def is_staff_user(user: Any) -> bool:
    """Office staff (the second factor is checked by the request predicates)."""
    if not _active(user):
        return False
    return bool(user.is_office_staff)


def may_run_projects(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*PROJECT_RUNNERS))


def may_assess(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*ASSESSORS))


def _current_roles(user: Any) -> Any:
    today = timezone.now().date()
    return ProjectRole.objects.filter(user=user).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )


def _current_members(user: Any) -> Any:
    today = timezone.now().date()
    return Member.objects.filter(user=user).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def is_drafter(user: Any, project: Project) -> bool:
    """A current chair, vice-chair or drafter of the project."""
    if not _active(user):
        return False
    return bool(_current_roles(user).filter(project=project).exists())


def member_group_ids(user: Any, project: Project) -> set[int]:
    """The working groups of the project the person is a current member of."""
    if not _active(user):
        return set()
    rows = _current_members(user).filter(working_group__project=project)
    return set(rows.values_list("working_group_id", flat=True))


def is_member(user: Any, project: Project) -> bool:
    return bool(member_group_ids(user, project))


def may_edit_drafts(user: Any, project: Project) -> bool:
    if may_run_projects(user):
        return True
    return is_drafter(user, project)


def may_read_everything(user: Any, project: Project) -> bool:
    """All of a project: working drafts, all feedback (confidential too), the AI tools."""
    if is_staff_user(user):
        return True
    return is_drafter(user, project)


def may_read_project(user: Any, project: Project) -> bool:
    if project.public:
        return True
    if may_read_everything(user, project):
        return True
    return is_member(user, project)


def may_read_draft(user: Any, draft: Draft) -> bool:
    project = draft.project
    if may_read_everything(user, project):
        return True
    if draft.status == DraftStatus.WORKING:
        return False
    if draft.visibility == Visibility.PUBLIC and project.public:
        return True
    if draft.visibility == Visibility.OFFICE:
        return False
    return is_member(user, project)


def takes_part(user: Any) -> bool:
    """Shown the participants' door (navigation): a current chair, vice-chair, drafter or
    working-group member, or a member of an organisation (a provider signs codes)."""
    if not _active(user):
        return False
    if user.has_role(Role.ORGANISATION_MEMBER):
        return True
    if _current_roles(user).exists():
        return True
    return bool(_current_members(user).exists())


# --- adoption: who signs for a provider, who reads its implementation reports --------------


def signing_providers(user: Any) -> Any:
    """The providers a person signs codes and reports for: those whose organisation the
    person is an organisation member of (an authorised representative does not sign a
    code for the provider it represents)."""
    if not _active(user):
        return Provider.objects.none()
    own = Membership.objects.filter(user=user, role=Role.ORGANISATION_MEMBER)
    return Provider.objects.filter(organisation_id__in=own.values("organisation_id"))


def may_sign_for(user: Any, provider: Provider) -> bool:
    if not _active(user):
        return False
    return bool(signing_providers(user).filter(pk=provider.pk).exists())


def may_read_report(user: Any, provider: Provider) -> bool:
    """An implementation report: the Office's staff and the signatory only."""
    if is_staff_user(user):
        return True
    return may_sign_for(user, provider)


# --- analysis (the AI tools) -------------------------------------------------------------------


def may_analyse(user: Any, project: Project) -> bool:
    """Run the AI tools on a project's consultations and read what they found (themes,
    campaigns, quotes of confidential responses too): the Office and the chairs."""
    return may_read_everything(user, project)


def may_sort_feedback(user: Any, project: Project) -> bool:
    """Accept a suggested section for a general comment: who runs the project or drafts."""
    if may_run_projects(user):
        return True
    return is_drafter(user, project)


# --- consultations ------------------------------------------------------------------------------


def may_import_feedback(user: Any, project: Project) -> bool:
    """Enter letters and e-mails received in a consultation: the Office and the chairs."""
    return may_read_everything(user, project)


def may_read_consultation(user: Any, consultation: Any) -> bool:
    """A public consultation is read by whoever reads its draft; a working-group one by the
    Office, the chairs and the current members of the groups consulted."""
    draft = consultation.draft
    if consultation.audience == "public":
        return may_read_draft(user, draft)
    if may_read_everything(user, draft.project):
        return True
    if not may_read_draft(user, draft):
        return False
    chosen = {group.pk for group in consultation.working_groups.all()}
    return bool(chosen & member_group_ids(user, draft.project))


def may_read_published_responses(user: Any, consultation: Any) -> bool:
    """Published responses are read by those who read the consultation."""
    if consultation.responses_published_at is None:
        return False
    return may_read_consultation(user, consultation)


# --- projects: who sees members, declarations and meetings ---------------------------------


def may_see_members(user: Any, project: Project) -> bool:
    """Members' names and declarations of interest: Office staff and the project's chairs,
    vice-chairs and drafters."""
    return may_read_everything(user, project)


def may_see_group_members(user: Any, group: Any) -> bool:
    """A working group's member list: who sees all members, and the group's own members."""
    if may_see_members(user, group.project):
        return True
    return group.pk in member_group_ids(user, group.project)


def may_declare(user: Any, *, member: Any = None, role: Any = None) -> bool:
    """A declaration of interests is submitted by the runners or the person concerned
    (a current member or a current chair or vice-chair)."""
    if may_run_projects(user):
        return True
    if not _active(user):
        return False
    if member is not None:
        return bool(member.user_id == user.pk and member.left_on is None)
    if role is not None:
        return bool(role.user_id == user.pk and role.ended_on is None)
    return False


def may_read_declaration(user: Any, declaration: Any) -> bool:
    """A declaration (and its signed file): who sees members, and the declarant."""
    owner = declaration.member if declaration.member_id else declaration.role
    project = owner.working_group.project if declaration.member_id else owner.project
    if may_see_members(user, project):
        return True
    if not _active(user):
        return False
    return bool(owner.user_id == user.pk)


def minutes_published(meeting: Any) -> bool:
    if meeting.minutes_published_on is None:
        return False
    return bool(meeting.minutes_published_on <= timezone.now().date())


def may_see_meeting(user: Any, meeting: Any) -> bool:
    """Staff and the drafters see every meeting; members those shown to the working groups
    or everyone (a working-group meeting: of their own group); everyone the public meetings
    of a public project once their minutes are published."""
    project = meeting.project
    if may_read_everything(user, project):
        return True
    public = meeting.visibility == Visibility.PUBLIC
    if public and project.public and minutes_published(meeting):
        return True
    if meeting.visibility == Visibility.OFFICE:
        return False
    groups = member_group_ids(user, project)
    if not groups:
        return False
    if meeting.working_group_id is None:
        return True
    return meeting.working_group_id in groups


def may_read_minutes(user: Any, meeting: Any) -> bool:
    """Minutes: staff and drafters always (they write them); others once published."""
    if may_read_everything(user, meeting.project):
        return True
    if not minutes_published(meeting):
        return False
    return may_see_meeting(user, meeting)
