"""The directory's services: designations with the constraints of Art. 70 refused as errors
naming the field (never an IntegrityError), the single point of contact (one per Member
State, a market surveillance authority), the link to an organisation of kind national
authority, ending a designation; resource reports (Art. 70(6)) with their file's SHA-256
and the one open deadline per Member State on the clock."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.cooperation import services_authorities as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models_authorities import Authority, MemberState, ResourceReport
from aioffice.core.models import AuditEvent
from aioffice.core.testing import TEST_PASSWORD, make_user
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a resource report (test)\n"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def pdf(name: str = "report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def editor() -> User:
    """A directory editor (not one of the principals: they are made per test)."""
    found = User.objects.filter(username="directory-editor").first()
    return found or make_user(Role.HEAD_OF_UNIT, "directory-editor")


def authority(**fields: Any) -> Authority:
    values: dict[str, Any] = {
        "member_state": "FR",
        "name": "Autorité de test (demo)",
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.GENERAL,
        **fields,
    }
    return services.authority_create(actor=editor(), **values)


def authority_organisation(name: str, country: str = "FR") -> Organisation:
    return accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.NATIONAL_AUTHORITY,
        country=country,
        established_in_union=True,
    )


def authority_user(username: str, found: Authority) -> User:
    """A person acting for `found`: a national-authority member of its organisation."""
    if found.organisation is None:
        organisation = authority_organisation(f"{found.name} (organisation)", found.member_state)
        found = services.authority_update(
            actor=editor(), authority=found, organisation=organisation
        )
    user = accounts.user_create(
        actor=None, username=username, email=f"{username}@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None,
        user=user,
        organisation=found.organisation,
        role=Role.NATIONAL_AUTHORITY_MEMBER,
    )
    return user


def dates(on: date) -> list[date]:
    return services.resource_report_dates(on)


# --- designations ------------------------------------------------------------------------


def test_a_designation_is_recorded_and_audited_without_contact_details() -> None:
    found = authority(email="contact@authority.example", phone="+33 1 00 00 00 00")
    assert found.active and not found.single_point_of_contact
    event = AuditEvent.objects.get(action="cooperation.authority.created")
    assert event.after["has_email"] is True
    assert "contact@authority.example" not in str(event.after)
    assert "+33" not in str(event.after)


def test_two_authorities_of_the_same_name_in_a_member_state_are_refused_on_the_name() -> None:
    authority()
    with pytest.raises(ValidationError) as caught:
        authority(name="AUTORITÉ DE TEST (DEMO)")
    assert set(caught.value.message_dict) == {"name"}
    authority(member_state="BE")  # the same name elsewhere is another authority


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"member_state": "UK"}, "member_state"),
        ({"kind": "ombudsman"}, "kind"),
        ({"sector": "space"}, "sector"),
        ({"email": "not an address"}, "email"),
        ({"website": "not a url"}, "website"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_values_are_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        authority(**fields)
    assert field in caught.value.message_dict
    assert not Authority.objects.exists()


def test_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        authority(active=False)


def test_the_organisation_must_be_a_national_authority_and_linked_once() -> None:
    provider = accounts.organisation_create(
        actor=None,
        name="A provider",
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR",
        established_in_union=True,
    )
    with pytest.raises(ValidationError) as caught:
        authority(organisation=provider)
    assert set(caught.value.message_dict) == {"organisation"}
    organisation = authority_organisation("Organisation of the authority")
    first = authority(organisation=organisation)
    assert first.organisation == organisation
    with pytest.raises(ValidationError) as caught:
        authority(name="Another", organisation=organisation)
    assert set(caught.value.message_dict) == {"organisation"}


def test_one_single_point_of_contact_per_member_state_and_it_is_an_msa() -> None:
    first = authority(name="First MSA")
    second = authority(name="Second MSA")
    notifying = authority(name="Notifying", kind=AuthorityKind.NOTIFYING)
    services.authority_set_single_point_of_contact(actor=editor(), authority=first)
    services.authority_set_single_point_of_contact(actor=editor(), authority=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.single_point_of_contact, second.single_point_of_contact) == (False, True)
    with pytest.raises(ValidationError) as caught:
        services.authority_set_single_point_of_contact(actor=editor(), authority=notifying)
    assert set(caught.value.message_dict) == {"single_point_of_contact"}
    # the contact point cannot become a notifying authority, nor move to another country
    with pytest.raises(ValidationError) as caught:
        services.authority_update(actor=editor(), authority=second, kind=AuthorityKind.NOTIFYING)
    assert set(caught.value.message_dict) == {"kind"}
    with pytest.raises(ValidationError) as caught:
        services.authority_update(actor=editor(), authority=second, member_state="BE")
    assert set(caught.value.message_dict) == {"member_state"}
    event = AuditEvent.objects.filter(action="cooperation.authority.single_point_of_contact")
    assert event.count() == 2
    assert event.last().before == {"single_point_of_contact": [first.pk]}  # type: ignore[union-attr]


def test_an_ended_designation_is_kept_and_cannot_be_named_or_ended_again() -> None:
    found = authority()
    services.authority_set_single_point_of_contact(actor=editor(), authority=found)
    ended = services.authority_end(actor=editor(), authority=found)
    assert ended.active is False and Authority.objects.filter(pk=found.pk).exists()
    with pytest.raises(ValidationError) as caught:
        services.authority_end(actor=editor(), authority=ended)
    assert set(caught.value.message_dict) == {"active"}
    with pytest.raises(ValidationError):
        services.authority_set_single_point_of_contact(actor=editor(), authority=ended)
    # the Member State may name a new one: the ended one does not count
    successor = authority(name="Successor")
    services.authority_set_single_point_of_contact(actor=editor(), authority=successor)


def test_nobody_acts_for_an_ended_authority() -> None:
    from aioffice.cooperation.permissions import authorities_of

    found = authority()
    user = authority_user("amelie", found)
    assert list(authorities_of(user)) == [found]
    services.authority_end(actor=editor(), authority=found)
    assert not authorities_of(user).exists()


def test_an_update_changes_and_audits_only_what_changed() -> None:
    found = authority()
    services.authority_update(
        actor=editor(), authority=found, sector=AuthoritySector.DATA_PROTECTION, tasks="Tasks"
    )
    found.refresh_from_db()
    assert found.is_art74_8
    event = AuditEvent.objects.get(action="cooperation.authority.updated")
    assert event.before == {"sector": "general"}
    assert event.after == {"sector": "data_protection"}


# --- resource reports ---------------------------------------------------------------------


def test_the_due_dates_come_from_aiact() -> None:
    found = dates(date(2026, 11, 26))
    assert found[-1] >= date(2026, 11, 26) > found[-2]
    # every two years after the first (the law's interval, read back from the dates)
    assert all((b - a).days in {730, 731} for a, b in pairwise(found))
    assert dates(found[0]) == [found[0]]


def test_sync_opens_one_deadline_per_member_state_and_is_idempotent() -> None:
    assert services.sync_deadlines() == 27
    assert services.sync_deadlines() == 27
    rows = Deadline.objects.filter(kind=DeadlineKind.RESOURCE_REPORT, status=DeadlineStatus.OPEN)
    assert rows.count() == 27
    assert MemberState.objects.count() == 27
    fr = rows.get(source="cooperation.memberstate:FR")
    assert fr.due_on == dates(fr.created_at.date())[0]  # nothing received: the first one
    assert fr.rules_version and fr.citations == ["AI Act, Art. 70(6)"]
    assert fr.url == "/cooperation/authorities/FR/"
    assert fr.provider_to_act is False and fr.legal is True


def test_a_report_meets_its_deadline_and_the_next_one_opens() -> None:
    today = date(2026, 11, 26)
    first, following = dates(today)[0], dates(today)[1]
    row = services.member_state_row("FR")
    services.follow_resource_reports(row, today=today)
    opened = Deadline.objects.get(source="cooperation.memberstate:FR")
    assert opened.due_on == first and opened.due_on < today  # overdue
    report = services.resource_report_record(
        actor=editor(),
        member_state="FR",
        received_on=today,
        upload=pdf(),
        summary="Staff and budget.",
        today=today,
    )
    assert report.due_on == first
    assert report.sha256 == hashlib.sha256(PDF).hexdigest() and report.size == len(PDF)
    assert report.file.read() == PDF
    assert report.citations == ["AI Act, Art. 70(6)"] and report.rules_version
    opened.refresh_from_db()
    assert opened.status == DeadlineStatus.MET and opened.closed_at is not None
    now_open = Deadline.objects.get(source="cooperation.memberstate:FR", status=DeadlineStatus.OPEN)
    assert now_open.due_on == following
    event = AuditEvent.objects.get(action="cooperation.resource_report.recorded")
    assert event.after["sha256"] == report.sha256 and "Staff" not in str(event.after)


def test_a_report_for_the_next_period_leaves_the_overdue_one_open() -> None:
    today = date(2026, 11, 26)
    first, following = dates(today)[0], dates(today)[1]
    services.resource_report_record(
        actor=editor(),
        member_state="ES",
        received_on=today,
        upload=pdf(),
        due_on=following,
        today=today,
    )
    still = Deadline.objects.get(source="cooperation.memberstate:ES", status=DeadlineStatus.OPEN)
    assert still.due_on == first
    services.resource_report_record(
        actor=editor(), member_state="ES", received_on=today, upload=pdf(), today=today
    )
    after = Deadline.objects.get(source="cooperation.memberstate:ES", status=DeadlineStatus.OPEN)
    assert after.due_on > following  # both in: the one after the next
    assert Deadline.objects.filter(
        source="cooperation.memberstate:ES", status=DeadlineStatus.MET
    ).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"member_state": "XX"}, "member_state"),
        ({"received_on": date(2026, 11, 27)}, "received_on"),
        ({"due_on": date(2026, 1, 1)}, "due_on"),
        ({"upload": pdf(content=b"")}, "file"),
        ({"upload": pdf(name="report.exe")}, "file"),
        ({"upload": pdf(content=b"MZ not a pdf")}, "file"),
        ({"upload": pdf(name="report.txt", content=b"a\x00b")}, "file"),
        ({"summary": "a\x00b"}, "summary"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field(values: dict[str, Any], field: str) -> None:
    today = date(2026, 11, 26)
    arguments: dict[str, Any] = {
        "member_state": "FR",
        "received_on": today,
        "upload": pdf(),
        **values,
    }
    with pytest.raises(ValidationError) as caught:
        services.resource_report_record(actor=editor(), today=today, **arguments)
    assert field in caught.value.message_dict
    assert not ResourceReport.objects.exists()


def test_a_report_is_recorded_once_and_not_for_a_period_far_ahead(media_root: Path) -> None:
    today = date(2026, 11, 26)
    first = dates(today)[0]
    services.resource_report_record(
        actor=editor(), member_state="FR", received_on=today, upload=pdf(), today=today
    )
    with pytest.raises(ValidationError) as caught:
        services.resource_report_record(
            actor=editor(),
            member_state="FR",
            received_on=today,
            upload=pdf(),
            due_on=first,
            today=today,
        )
    assert set(caught.value.message_dict) == {"due_on"}
    far = dates(today)[-1]
    for _ in range(2):
        far = dates(far + timedelta(days=1))[-1]
    with pytest.raises(ValidationError) as caught:
        services.resource_report_record(
            actor=editor(),
            member_state="FR",
            received_on=today,
            upload=pdf(),
            due_on=far,
            today=today,
        )
    assert set(caught.value.message_dict) == {"due_on"}
    # the refused files were not left behind
    stored = list((media_root / "cooperation").rglob("*.pdf"))
    assert len(stored) == 1


def test_a_file_over_the_limit_is_refused(settings: Any) -> None:
    settings.SUPERVISION_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        services.resource_report_record(
            actor=editor(), member_state="FR", received_on=date(2026, 11, 26), upload=pdf()
        )
    assert set(caught.value.message_dict) == {"file"}
