"""Who may do what in supervision. Access is denied unless a rule here grants it.

* Every member of the Office staff (after the second factor) sees the triage queue and the
  register of cases (reference, provider, status, team), never a case file's content.
* A case file opens only for its team (`CaseMember`) and for members of a national
  authority it is shared with (read-only, while the share is not revoked) (Art. 78).
* Policy officers, legal officers and heads of unit open cases; the opener leads it.
* A case's lead or a head of unit changes its team and shares it.
* Team members take procedural steps; decisions (measures, binding commitments, fines,
  closure by decision) are adopted by a head of unit or legal officer on the team.
* A provider's members (and its authorised representatives') see, for their own cases
  only, what was sent to them: requests, findings, measures, decisions and deadlines.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aioffice.accounts.choices import Role

CASE_OPENERS = (Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT)
TEAM_MANAGERS = (Role.HEAD_OF_UNIT,)
DECIDERS = (Role.HEAD_OF_UNIT, Role.LEGAL_OFFICER)


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


def may_open_cases(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*CASE_OPENERS))


def is_on_team(user: Any, case: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(case.team.filter(user=user).exists())


def is_lead(user: Any, case: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(case.team.filter(user=user, role="lead").exists())


def may_manage_team(user: Any, case: Any) -> bool:
    """The case's lead, or a head of unit."""
    if not is_staff_user(user):
        return False
    if user.has_role(*TEAM_MANAGERS):
        return True
    return is_lead(user, case)


def may_decide(user: Any, case: Any) -> bool:
    """A head of unit or legal officer on the case's team."""
    if not is_on_team(user, case):
        return False
    return bool(user.has_role(*DECIDERS))


def shared_with_user(user: Any, case: Any) -> bool:
    """A member of a national authority the case is shared with (not revoked)."""
    if not _active(user):
        return False
    if not user.has_role(Role.NATIONAL_AUTHORITY_MEMBER):
        return False
    own = user.memberships.filter(role=Role.NATIONAL_AUTHORITY_MEMBER).values("organisation_id")
    return bool(case.shares.filter(authority_id__in=own, revoked_at__isnull=True).exists())


def may_read_case_file(user: Any, case: Any) -> bool:
    """The team, or an authority the case is shared with (Art. 78: need to know)."""
    if is_on_team(user, case):
        return True
    return shared_with_user(user, case)


def acts_for_provider(user: Any, provider: Any) -> bool:
    """A member of the provider's organisation or of an authorised representative holding a
    current mandate for it."""
    if not _active(user):
        return False
    from aioffice.registry.models import AuthorisedRepresentative, current_mandates

    own = user.memberships.values("organisation_id")
    if own.filter(organisation_id=provider.organisation_id).exists():
        return True
    return AuthorisedRepresentative.objects.filter(
        current_mandates(timezone.now().date()), provider=provider, representative_id__in=own
    ).exists()
