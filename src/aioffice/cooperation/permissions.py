"""Who may do what in cooperation. Access is denied unless a rule here grants it.

The base predicates every part builds on (each part adds its own rules below them):

* Office staff (after the second factor, checked by the request predicates) run the
  directory, the bodies, the exchange, the sandboxes' list and the EU database.
* A person acts for an authority through a membership (role national authority member) in
  the organisation the directory links to that authority.
* The secure section of the EU database (Art. 49(4)) is seen by the Commission (Office
  staff) and by members of the market surveillance authorities of Art. 74(8) only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aioffice.accounts.choices import Role
from aioffice.cooperation.models_authorities import Authority

DIRECTORY_EDITORS = (Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR)


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


def may_edit_directory(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*DIRECTORY_EDITORS))


def authorities_of(user: Any) -> QuerySet[Authority]:
    """The designated authorities a person acts for (none for anyone else)."""
    if not _active(user):
        return Authority.objects.none()
    if not user.has_role(Role.NATIONAL_AUTHORITY_MEMBER):
        return Authority.objects.none()
    own = user.memberships.filter(role=Role.NATIONAL_AUTHORITY_MEMBER).values("organisation_id")
    return Authority.objects.filter(organisation_id__in=own, active=True)


def is_authority_user(user: Any) -> bool:
    return authorities_of(user).exists()


def is_art74_8_user(user: Any) -> bool:
    """A member of a market surveillance authority of Art. 74(8)."""
    return (
        authorities_of(user).filter(kind="market_surveillance", sector="data_protection").exists()
    )


def may_see_secure_section(user: Any) -> bool:
    """The Commission (Office staff) and the authorities of Art. 74(8) (Art. 49(4))."""
    if is_staff_user(user):
        return True
    return is_art74_8_user(user)


# --- exchange ---

EXCHANGE_OFFICERS = (Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT)


def may_run_exchange(user: Any) -> bool:
    """Policy officers, legal officers and heads of unit share documents, send requests,
    assign and answer them; every member of the staff reads the exchange register."""
    if not is_staff_user(user):
        return False
    return bool(user.has_role(*EXCHANGE_OFFICERS))


# --- authorities ---


def acts_for_member_state(user: Any, member_state: str) -> bool:
    """A person acting for a designated authority of that Member State."""
    return authorities_of(user).filter(member_state=member_state).exists()


def may_record_resource_report(user: Any, member_state: str) -> bool:
    """The directory's editors, and the authorities of the Member State concerned."""
    if may_edit_directory(user):
        return True
    return acts_for_member_state(user, member_state)


def may_see_resource_report_files(user: Any, member_state: str) -> bool:
    """Office staff (the Commission receives the reports), and the Member State's own
    authorities; the public sees only that a report was received and when."""
    if is_staff_user(user):
        return True
    return acts_for_member_state(user, member_state)
