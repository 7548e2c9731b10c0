"""Who may do what in international cooperation (deny unless a rule here grants it).

* Everyone reads what is published: partners, agreements, their public documents and
  rounds (never a partner's contact point).
* The Office's staff (after the second factor) read everything; policy officers, heads of
  unit and administrators edit.
* People acting for a national authority also see the unpublished agreements that
  involve their Member State (the support the Office gives it there), with the same
  public documents and rounds the public would see once published.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from aioffice.accounts.choices import Role
from aioffice.cooperation.permissions import authorities_of, is_staff_user
from aioffice.core.permissions import is_office_staff

INTERNATIONAL_EDITORS = (Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR)


def may_edit_international(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*INTERNATIONAL_EDITORS))


def can_read_international(request: HttpRequest) -> bool:
    """Office staff, after their second factor (the staff pages and API routes)."""
    return is_office_staff(request)


def can_edit_international(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return may_edit_international(request.user)


def member_states_of(user: Any) -> list[str]:
    """The Member States of the authorities a person acts for (none for anyone else)."""
    return sorted(set(authorities_of(user).values_list("member_state", flat=True)))
