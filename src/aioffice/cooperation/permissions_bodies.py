"""Who may do what with the Board and the advisory bodies (deny unless a rule grants).

* Everyone reads what is published (bodies, members, published meetings, minutes,
  documents and opinions).
* All Office staff read everything; policy officers, heads of unit and administrators edit.
* A member of a body with an aioffice account updates their own declaration of interests.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from aioffice.accounts.choices import Role
from aioffice.cooperation.permissions import is_staff_user
from aioffice.core.permissions import is_office_staff

BODIES_EDITORS = (Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR)


def may_edit_bodies(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*BODIES_EDITORS))


def can_read_bodies_admin(request: HttpRequest) -> bool:
    return is_office_staff(request)


def can_edit_bodies(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return may_edit_bodies(request.user)


def may_update_declaration(user: Any, membership: Any) -> bool:
    """The member themself (their own account, still a member), or an editor."""
    if may_edit_bodies(user):
        return True
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if membership.ended_on is not None:
        return False
    return bool(membership.user_id == user.pk)
