"""Who may do what with AI regulatory sandboxes. Access is denied unless a rule here grants it.

* Everyone reads the published list (Art. 57(15)).
* Office staff read every sandbox, application, suspension and report; policy officers,
  legal officers, heads of unit and administrators keep the list and run the Union-level
  sandbox (Art. 57(3a)).
* The members of a sandbox's operating authority (directory `Authority`) run that sandbox:
  its record, the decisions on applications, plans, suspensions, exit and annual reports.
* A provider (a member of the applicant organisation) applies and reads its own
  applications, agrees plans and consents to the use of its exit report (Art. 57(8)).

The staff's second factor is checked by the page decorators and the API's authentication;
these predicates take the user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aioffice.accounts.choices import Role
from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_sandboxes import (
    ExitReport,
    Sandbox,
    SandboxApplication,
    SandboxLevel,
)
from aioffice.cooperation.permissions import (
    DIRECTORY_EDITORS,
    authorities_of,
    is_staff_user,
)

SANDBOX_OFFICERS = DIRECTORY_EDITORS


def may_keep_sandbox_list(user: Any) -> bool:
    """Office staff who keep the list and run the Union-level sandbox."""
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*SANDBOX_OFFICERS))


def may_register_sandbox(user: Any, authority_id: int | None) -> bool:
    """The list's keepers register any sandbox; an authority's members their own."""
    if may_keep_sandbox_list(user):
        return True
    if authority_id is None:
        return False
    return authorities_of(user).filter(pk=authority_id).exists()


def may_operate(user: Any, sandbox: Sandbox) -> bool:
    """The operating authority's members; the list's keepers for the Union-level sandbox."""
    if sandbox.level == SandboxLevel.UNION:
        return may_keep_sandbox_list(user)
    if sandbox.operating_authority_id is None:
        return False
    return authorities_of(user).filter(pk=sandbox.operating_authority_id).exists()


def may_open_admin(user: Any) -> bool:
    """The sandboxes' working page: Office staff and the members of an authority."""
    if is_staff_user(user):
        return True
    return authorities_of(user).exists()


def applicant_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations a person applies for (member of), none for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    own = user.memberships.filter(role=Role.ORGANISATION_MEMBER).values("organisation_id")
    return Organisation.objects.filter(pk__in=own)


def acts_for_applicant(user: Any, application: SandboxApplication) -> bool:
    return applicant_organisations(user).filter(pk=application.applicant_id).exists()


def may_read_application(user: Any, application: SandboxApplication) -> bool:
    if is_staff_user(user):
        return True
    if acts_for_applicant(user, application):
        return True
    return may_operate(user, application.sandbox)


def may_read_exit_report(user: Any, report: ExitReport) -> bool:
    """The file: the provider and the authority; the Commission (Office staff) with the
    provider's agreement (Art. 57(8)); everyone once both agreed to publish it."""
    if report.published:
        return True
    application = report.application
    if acts_for_applicant(user, application):
        return True
    if may_operate(user, application.sandbox):
        return True
    if not report.provider_agrees_access:
        return False
    return is_staff_user(user)


def may_read_sandbox(user: Any, sandbox: Sandbox) -> bool:
    """A sandbox's working record: Office staff and its operators."""
    if is_staff_user(user):
        return True
    return may_operate(user, sandbox)
