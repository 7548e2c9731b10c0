"""The authorities part's demo: invented authorities marked as demo data, the demo logins
`authority` (France) and `dpa` (Spain, Art. 74(8)) acting for them, France's first report
received, every Member State's resource-report deadline open; loaded once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.cooperation.models_authorities import Authority, ResourceReport
from aioffice.cooperation.permissions import authorities_of, is_art74_8_user
from aioffice.core.testing import TEST_PASSWORD
from aioffice.demo_data import cooperation_authorities as demo
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

from .test_authorities_services import media_root  # noqa: F401

pytestmark = pytest.mark.django_db


def member(username: str, organisation: str, country: str) -> Any:
    found = accounts.organisation_create(
        actor=None,
        name=organisation,
        kind=OrganisationKind.NATIONAL_AUTHORITY,
        country=country,
        established_in_union=True,
    )
    user = accounts.user_create(
        actor=None, username=username, email=f"{username}@demo.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None, user=user, organisation=found, role=Role.NATIONAL_AUTHORITY_MEMBER
    )
    return user


def test_the_demo_loads_once_and_says_it_is_invented(media_root: Path) -> None:  # noqa: F811
    users = {
        "authority": member("authority", demo.FRENCH_ORGANISATION, "FR"),
        "dpa": member("dpa", demo.SPANISH_ORGANISATION, "ES"),
    }
    demo.load(users=users)
    demo.load(users=users)
    assert Authority.objects.count() == len(demo.AUTHORITIES)
    for found in Authority.objects.all():
        assert "(demo)" in found.name.lower().replace("démo", "demo"), found.name
        assert "Demo data" in found.tasks
    assert [a.member_state for a in authorities_of(users["authority"])] == ["FR"]
    assert is_art74_8_user(users["dpa"]) and not is_art74_8_user(users["authority"])
    contacts = Authority.objects.filter(single_point_of_contact=True)
    assert sorted(contacts.values_list("member_state", flat=True)) == ["DE", "ES", "FR"]
    report = ResourceReport.objects.get()
    assert report.member_state_id == "FR" and b"Demo data" in report.file.read()
    open_rows = Deadline.objects.filter(
        kind=DeadlineKind.RESOURCE_REPORT, status=DeadlineStatus.OPEN
    )
    assert open_rows.count() == 27
    assert open_rows.get(source="cooperation.memberstate:FR").due_on > report.due_on
