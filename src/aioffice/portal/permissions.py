"""Who may do what on the portal's staff side. Access is denied unless a rule here grants it.

The public side needs no rule: anyone may read what is published and use the public forms
(rate-limited). On the staff side, always after the second factor:

* every member of the Office staff edits content (guidance, news, literacy practices,
  support structures) and answers questions from the public;
* policy officers, heads of unit and administrators write and send messages to subscribers;
* heads of unit and administrators publish calls for expression of interest and review the
  applications; only they open applicants' CVs (personal data kept to those who select).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from aioffice.accounts.choices import Role
from aioffice.core.permissions import is_office_staff

BULLETIN_SENDERS = (Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR)
CALL_MANAGERS = (Role.HEAD_OF_UNIT, Role.ADMINISTRATOR)


def _staff(user: Any) -> bool:
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.is_office_staff)


def may_edit_content(user: Any) -> bool:
    return _staff(user)


def may_answer_enquiries(user: Any) -> bool:
    return _staff(user)


def may_send_bulletins(user: Any) -> bool:
    if not _staff(user):
        return False
    return bool(user.has_role(*BULLETIN_SENDERS))


def may_manage_calls(user: Any) -> bool:
    if not _staff(user):
        return False
    return bool(user.has_role(*CALL_MANAGERS))


# Request predicates for `aioffice.core.permissions.require` (they add the second factor).


def can_edit_content(request: HttpRequest) -> bool:
    return is_office_staff(request) and may_edit_content(request.user)


def can_answer_enquiries(request: HttpRequest) -> bool:
    return is_office_staff(request) and may_answer_enquiries(request.user)


def can_send_bulletins(request: HttpRequest) -> bool:
    return is_office_staff(request) and may_send_bulletins(request.user)


def can_manage_calls(request: HttpRequest) -> bool:
    return is_office_staff(request) and may_manage_calls(request.user)
