"""Intake services: complaints, alerts, serious incidents, whistleblowers, triage. Each
validation field by field, each permission, the incident deadlines as aiact computes them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aiact import evaluate, load_law
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, organisation
from aioffice.registry.models import ModelVersion, Provider
from aioffice.registry.testing import registered_provider, registered_version
from aioffice.supervision import services_intake as services
from aioffice.supervision.choices import (
    DeadlineKind,
    DeadlineStatus,
    IntakeKind,
    IntakeStatus,
    MessageDirection,
)
from aioffice.supervision.clock import source_of
from aioffice.supervision.models import Deadline, Document, Intake

pytestmark = pytest.mark.django_db

TODAY = datetime.now(UTC).date()  # the Office's day, as the services read it
PROVIDER = "Fictional Labs"
OTHER_PROVIDER = "Imaginary AI"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# --- builders (the other intake tests import them) -------------------------------------------


def _user(role: str | None, username: str | None = None) -> User:
    """A person with one role, made once."""
    name = username or (role or "no_role").replace("_", "-")
    return User.objects.filter(username=name).first() or make_user(role, name)


def downstream_user(username: str = "dora") -> User:
    """A member of a downstream provider (Art. 3(68))."""
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = make_user(None, username)
    accounts.membership_add(
        actor=None,
        user=user,
        organisation=organisation(OrganisationKind.DOWNSTREAM_PROVIDER, "Downstream Apps"),
        role=Role.ORGANISATION_MEMBER,
    )
    return user


def provider_user(provider: Provider, username: str = "paula") -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return user


def version(provider: str = PROVIDER, label: str = "1.0") -> ModelVersion:
    """Version `label` of the provider's model Atlas, made once."""
    found = ModelVersion.objects.filter(
        model__provider__organisation__name=provider, model__name="Atlas", label=label
    ).first()
    return found or registered_version(provider=provider, model="Atlas", label=label)


COMPLAINT = {
    "title": "Missing documentation",
    "provider_contact_point": "legal@fictional.example",
    "facts": "The provider refused the Annex XII information twice.",
    "provisions": "Art. 53(1)(b)",
    "reasons": "Downstream providers are owed the information.",
    "other_information": "",
}
ALERT = {
    "title": "Capabilities above the threshold",
    "ground": "meets_art51",
    "provider_contact_point": "safety@fictional.example",
    "facts": "Benchmarks show high-impact capabilities.",
    "reasons": "It meets Art. 51(1)(a).",
}
REPORT = {
    "harm": "Outage of a regional power grid for 3 hours.",
    "chain_of_events": "An agent built on the model issued switching commands.",
    "model_involvement": "The model planned the commands.",
    "response": "Tool access withdrawn.",
}


def complaint(user: User | None = None, **overrides: Any) -> Intake:
    v = version()
    return services.complaint_submit(
        actor=user or downstream_user(),
        provider=v.model.provider,
        versions=[v],
        **{**COMPLAINT, **overrides},
    )


def alert(user: User | None = None, **overrides: Any) -> Intake:
    v = version()
    return services.alert_submit(
        actor=user or _user(Role.SCIENTIFIC_PANEL_MEMBER),
        provider=v.model.provider,
        versions=[v],
        **{**ALERT, **overrides},
    )


def incident(user: User | None = None, v: ModelVersion | None = None, **overrides: Any) -> Intake:
    v = v or version()
    today = services._today()
    args: dict[str, Any] = {
        "title": "Grid outage",
        "types": ["critical_infrastructure"],
        "occurred_on": today - timedelta(days=1),
        "ended_on": None,
        "aware_on": today,
        "causal_link_on": today,
        "report": REPORT,
        **overrides,
    }
    return services.incident_submit(
        actor=user or provider_user(v.model.provider), version=v, **args
    )


def staff(role: str = Role.POLICY_OFFICER, username: str | None = None) -> User:
    return _user(role, username)


def at(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Intake's clock reads `day` (noon UTC)."""
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    monkeypatch.setattr(services, "_now", lambda: moment)


# --- complaints ---------------------------------------------------------------------------


def test_a_complaint_gets_a_tracking_number_and_aiacts_reasons() -> None:
    intake = complaint()
    assert re.fullmatch(rf"C-{intake.received_at:%Y}-{intake.pk:06d}", intake.tracking_number)
    assert intake.kind == IntakeKind.COMPLAINT
    assert intake.status == IntakeStatus.RECEIVED
    assert intake.rules_version == load_law().rules_version
    assert any("ENF-01" in r for r in intake.reasons)
    assert "AI Act, Art. 89(2)" in intake.citations
    assert intake.complaint.provisions == "Art. 53(1)(b)"
    assert intake.organisation is not None
    assert intake.organisation.kind == OrganisationKind.DOWNSTREAM_PROVIDER
    event = AuditEvent.objects.get(action="supervision.intake.submitted")
    assert event.object_id == str(intake.pk)


@pytest.mark.parametrize("field", ["provider_contact_point", "facts", "provisions", "reasons"])
def test_a_complaint_without_an_item_of_art_89_2_is_refused_naming_it(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        complaint(**{field: "  "})
    assert set(caught.value.message_dict) == {field}
    assert not Intake.objects.exists()


def test_a_complaint_needs_a_title() -> None:
    with pytest.raises(ValidationError) as caught:
        complaint(title="")
    assert set(caught.value.message_dict) == {"title"}
    with pytest.raises(ValidationError) as caught:
        complaint(title="x" * 201)
    assert set(caught.value.message_dict) == {"title"}


@pytest.mark.parametrize(
    "role", [Role.SCIENTIFIC_PANEL_MEMBER, Role.ORGANISATION_MEMBER, Role.POLICY_OFFICER, None]
)
def test_only_a_downstream_provider_complains(role: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        complaint(user=make_user(role))
    assert "complainant" in caught.value.message_dict


def test_a_complaint_needs_someone_signed_in() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        complaint(user=AnonymousUser())  # type: ignore[arg-type]


def test_the_versions_of_a_complaint_are_the_providers() -> None:
    other = version(OTHER_PROVIDER)
    with pytest.raises(ValidationError) as caught:
        services.complaint_submit(
            actor=downstream_user(),
            provider=version().model.provider,
            versions=[other],
            **COMPLAINT,
        )
    assert set(caught.value.message_dict) == {"versions"}


def test_a_complaint_may_name_no_registered_provider_and_carry_a_file() -> None:
    upload = SimpleUploadedFile("evidence.txt", b"the emails")
    intake = services.complaint_submit(
        actor=downstream_user(), provider=None, versions=[], files=[upload], **COMPLAINT
    )
    document = Document.objects.get(intake=intake)
    assert document.filename == "evidence.txt"
    assert document.retain_until > TODAY


# --- alerts --------------------------------------------------------------------------------


def test_a_qualified_alert_of_the_panel() -> None:
    intake = alert()
    assert intake.tracking_number.startswith("A-")
    assert intake.alert.ground == "meets_art51"
    assert intake.alert.board_informed_on is None
    assert any("ENF-02" in r for r in intake.reasons)


@pytest.mark.parametrize("field", ["provider_contact_point", "facts", "reasons", "ground"])
def test_an_alert_without_an_item_of_art_90_3_is_refused_naming_it(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        alert(**{field: ""})
    assert set(caught.value.message_dict) == {field}


def test_an_alert_ground_is_one_of_art_90_1() -> None:
    with pytest.raises(ValidationError) as caught:
        alert(ground="hunch")
    assert set(caught.value.message_dict) == {"ground"}


@pytest.mark.parametrize("role", [Role.ORGANISATION_MEMBER, Role.HEAD_OF_UNIT, None])
def test_only_the_panel_sends_alerts(role: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        alert(user=make_user(role))
    assert "sender" in caught.value.message_dict


def test_the_board_is_informed_of_an_alert_by_staff_only() -> None:
    intake = alert()
    with pytest.raises(PermissionDenied):
        services.alert_board_informed(
            actor=make_user(Role.SCIENTIFIC_PANEL_MEMBER, "p2"), intake=intake
        )
    with pytest.raises(ValidationError) as caught:
        services.alert_board_informed(
            actor=staff(), intake=intake, informed_on=TODAY + timedelta(days=1)
        )
    assert set(caught.value.message_dict) == {"informed_on"}
    services.alert_board_informed(actor=staff(Role.HEAD_OF_UNIT), intake=intake)
    intake.alert.refresh_from_db()
    assert intake.alert.board_informed_on == TODAY
    with pytest.raises(ValidationError) as caught:
        services.alert_board_informed(actor=staff(Role.LEGAL_OFFICER), intake=complaint())
    assert set(caught.value.message_dict) == {"intake"}


# --- serious incidents ----------------------------------------------------------------------


def test_an_incident_report_takes_its_code_deadlines_from_aiact() -> None:
    today = TODAY
    intake = incident(types=["death", "cyber_breach"], aware_on=today - timedelta(days=1))
    record = intake.incident
    expected = evaluate(
        "incident",
        {
            "regime": "gpai-code",
            "types": ["death", "cyber_breach"],
            "aware_on": (today - timedelta(days=1)).isoformat(),
        },
        law=load_law(),
    )
    assert record.initial_due.isoformat() == expected["initial_report_due"]
    assert record.initial_due == today + timedelta(days=4)  # 5 days for a breach, the earliest
    initial = record.reports.get()
    assert initial.kind == "initial" and not initial.late
    assert initial.due_on == record.initial_due
    assert record.aware_on == today - timedelta(days=1)
    assert any("COP-02" in r for r in record.reasons)
    deadlines = {d.kind: d for d in Deadline.objects.filter(source=source_of(record))}
    assert deadlines[DeadlineKind.INCIDENT_INITIAL].status == DeadlineStatus.MET
    intermediate = deadlines[DeadlineKind.INCIDENT_INTERMEDIATE]
    assert intermediate.status == DeadlineStatus.OPEN
    assert intermediate.due_on == today + timedelta(days=28)
    assert intermediate.legal is False and intermediate.provider_to_act
    assert intermediate.provider_id == intake.provider_id
    assert intake.tracking_number.startswith("I-")


def test_a_late_initial_report_is_received_and_flagged() -> None:
    today = TODAY
    intake = incident(
        types=["other"], occurred_on=today - timedelta(days=40), aware_on=today - timedelta(days=30)
    )
    initial = intake.incident.reports.get()
    assert initial.late
    assert intake.incident.initial_due == today - timedelta(days=15)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"types": []}, "types"),
        ({"types": ["alien"]}, "types"),
        ({"occurred_on": None}, "occurred_on"),
        ({"aware_on": None}, "aware_on"),
        ({"aware_on": TODAY + timedelta(days=1)}, "aware_on"),
        ({"occurred_on": TODAY + timedelta(days=1)}, "occurred_on"),
        ({"ended_on": TODAY - timedelta(days=5)}, "ended_on"),
        ({"aware_on": TODAY - timedelta(days=5)}, "aware_on"),
        ({"causal_link_on": TODAY - timedelta(days=5)}, "causal_link_on"),
        ({"title": " "}, "title"),
        ({"report": {**REPORT, "harm": ""}}, "harm"),
        ({"report": {**REPORT, "response": ""}}, "response"),
        ({"report": {**REPORT, "chain_of_events": ""}}, "chain_of_events"),
        ({"report": {**REPORT, "model_involvement": ""}}, "model_involvement"),
        ({"report": {**REPORT, "colour": "red"}}, "colour"),
    ],
)
def test_an_incident_report_is_checked_field_by_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        incident(**overrides)
    assert field in caught.value.message_dict
    assert not Intake.objects.exists()


@pytest.mark.parametrize("role", [Role.POLICY_OFFICER, Role.SCIENTIFIC_PANEL_MEMBER, None])
def test_only_the_provider_reports_its_incidents(role: str | None) -> None:
    with pytest.raises(PermissionDenied):
        incident(user=make_user(role, f"u-{role}"))
    other = provider_user(registered_provider(OTHER_PROVIDER), "olga")
    with pytest.raises(PermissionDenied):
        incident(user=other)


def test_initial_then_intermediate_then_final_with_deadlines_and_late_flags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = date(2026, 9, 1)
    at(monkeypatch, start)
    v = version()
    reporter = provider_user(v.model.provider)
    intake = incident(
        user=reporter,
        v=v,
        types=["other"],
        occurred_on=date(2026, 8, 28),
        aware_on=date(2026, 8, 30),
        causal_link_on=date(2026, 8, 31),
    )
    record = intake.incident
    assert record.initial_due == date(2026, 9, 14)
    source = source_of(record)

    def open_due(kind: str) -> date | None:
        found = Deadline.objects.filter(source=source, kind=kind, status=DeadlineStatus.OPEN)
        return found.get().due_on if found.exists() else None

    assert open_due(DeadlineKind.INCIDENT_INTERMEDIATE) == date(2026, 9, 29)
    # an intermediate report four weeks and two days later: late; the next is 28 days on
    at(monkeypatch, date(2026, 10, 1))
    first = services.incident_report_add(
        actor=reporter, incident=record, kind="intermediate", report=REPORT
    )
    assert first.due_on == date(2026, 9, 29) and first.late
    assert open_due(DeadlineKind.INCIDENT_INTERMEDIATE) == date(2026, 10, 29)
    # on time, and the incident is resolved: intermediates end, the final is due 60 days on
    at(monkeypatch, date(2026, 10, 20))
    second = services.incident_report_add(
        actor=reporter,
        incident=record,
        kind="intermediate",
        report=REPORT,
        resolved_on=date(2026, 10, 18),
    )
    assert second.due_on == date(2026, 10, 29) and not second.late
    record.refresh_from_db()
    followups = evaluate(
        "clock",
        {
            "clock": "cop-followups",
            "from": "2026-09-01",
            "resolved": "2026-10-18",
            "incident": "2026-08-28",
        },
        law=load_law(),
    )["result"]
    assert record.final_due == date.fromisoformat(followups["final_report_due"])
    assert record.final_due == date(2026, 12, 17)
    assert record.keep_until == date.fromisoformat(followups["keep_until"])
    assert open_due(DeadlineKind.INCIDENT_INTERMEDIATE) is None
    assert open_due(DeadlineKind.INCIDENT_FINAL) == date(2026, 12, 17)
    final_deadline = Deadline.objects.get(source=source, kind=DeadlineKind.INCIDENT_FINAL)
    assert final_deadline.legal is False
    # the final report, a day late: received, flagged, its attachment kept as the Code says
    at(monkeypatch, date(2026, 12, 18))
    with pytest.raises(ValidationError) as caught:
        services.incident_report_add(actor=reporter, incident=record, kind="final", report=REPORT)
    assert set(caught.value.message_dict) == {"resolved_on", "root_cause"}
    final = services.incident_report_add(
        actor=reporter,
        incident=record,
        kind="final",
        report={**REPORT, "root_cause": "No confirmation step before switching."},
        resolved_on=date(2026, 10, 18),
        files=[SimpleUploadedFile("rca.pdf", b"%PDF-1.4 analysis")],
    )
    assert final.due_on == date(2026, 12, 17) and final.late
    assert open_due(DeadlineKind.INCIDENT_FINAL) is None
    assert not Deadline.objects.filter(source=source, status=DeadlineStatus.OPEN).exists()
    assert Document.objects.get(intake=intake).retain_until == record.keep_until
    # nothing more after the final report
    with pytest.raises(ValidationError) as caught:
        services.incident_report_add(
            actor=reporter, incident=record, kind="intermediate", report=REPORT
        )
    assert set(caught.value.message_dict) == {"kind"}
    assert [r.kind for r in record.reports.all()] == [
        "initial",
        "intermediate",
        "intermediate",
        "final",
    ]


def test_added_reports_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    v = version()
    reporter = provider_user(v.model.provider)
    record = incident(user=reporter, v=v).incident
    for kind, extra, field in [
        ("initial", {}, "kind"),
        ("final", {"resolved_on": None}, "resolved_on"),
        ("intermediate", {"resolved_on": TODAY + timedelta(days=3)}, "resolved_on"),
        ("intermediate", {"resolved_on": date(2020, 1, 1)}, "resolved_on"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.incident_report_add(
                actor=reporter,
                incident=record,
                kind=kind,
                report={**REPORT, "root_cause": "x"},
                **extra,
            )
        assert field in caught.value.message_dict, (kind, extra)
    with pytest.raises(PermissionDenied):
        services.incident_report_add(
            actor=staff(), incident=record, kind="intermediate", report=REPORT
        )


# --- whistleblowers ------------------------------------------------------------------------


def test_a_whistleblower_report_keeps_only_the_hash_of_its_key_and_the_day() -> None:
    intake, secret = services.whistleblower_submit(title="Hidden evals", body="They skipped CBRN.")
    assert intake.tracking_number.startswith("W-")
    assert intake.submitted_by is None and intake.organisation is None
    report = intake.whistleblower
    assert report.secret_sha256 == services.secret_digest(secret)
    assert secret not in report.secret_sha256
    assert len(secret) >= 40
    received = intake.received_at.astimezone(UTC)
    assert (received.hour, received.minute, received.second, received.microsecond) == (0, 0, 0, 0)
    event = AuditEvent.objects.get(action="supervision.intake.submitted")
    assert event.actor_id is None and event.request_id == ""
    assert event.occurred_at.astimezone(UTC).time().isoformat() == "00:00:00"
    # the reporter answers; staff reply; the key is needed
    services.whistleblower_reply(secret=secret, body="More: the logs are in folder X.")
    services.whistleblower_office_reply(actor=staff(), intake=intake, body="Which model?")
    assert [m.direction for m in report.messages.all()] == [
        MessageDirection.FROM_REPORTER,
        MessageDirection.FROM_REPORTER,
        MessageDirection.FROM_OFFICE,
    ]
    with pytest.raises(ValidationError) as caught:
        services.whistleblower_reply(secret="not-the-key", body="hello")
    assert set(caught.value.message_dict) == {"secret"}
    with pytest.raises(ValidationError) as caught:
        services.whistleblower_reply(secret=secret, body="  ")
    assert set(caught.value.message_dict) == {"body"}
    with pytest.raises(PermissionDenied):
        services.whistleblower_office_reply(actor=downstream_user(), intake=intake, body="hi")
    with pytest.raises(ValidationError) as caught:
        services.whistleblower_office_reply(
            actor=staff("head_of_unit"), intake=complaint(), body="hi"
        )
    assert set(caught.value.message_dict) == {"intake"}


def test_a_whistleblowers_file_keeps_only_its_day() -> None:
    intake, _ = services.whistleblower_submit(
        title="Leak",
        body="See file.",
        files=[SimpleUploadedFile("memo.txt", b"memo")],
    )
    document = Document.objects.get(intake=intake)
    assert document.uploaded_by is None
    assert document.uploaded_at.astimezone(UTC).time().isoformat() == "00:00:00"
    assert document.scanned_at is not None
    assert document.scanned_at.astimezone(UTC).time().isoformat() == "00:00:00"
    for event in AuditEvent.objects.filter(object_id__in=[str(intake.pk), str(document.pk)]):
        assert event.actor_id is None


@pytest.mark.parametrize(("title", "body", "field"), [("", "text", "title"), ("t", "", "body")])
def test_a_whistleblower_report_needs_a_subject_and_a_text(
    title: str, body: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.whistleblower_submit(title=title, body=body)
    assert set(caught.value.message_dict) == {field}


# --- triage --------------------------------------------------------------------------------


def test_triage_link_merge_and_not_pursued() -> None:
    officer = staff()
    first = complaint()
    second = complaint(user=downstream_user("dan"))
    third = alert()
    services.intake_triage(actor=officer, intake=first, note="Looks serious.")
    first.refresh_from_db()
    assert first.status == IntakeStatus.IN_TRIAGE and first.triaged_by == officer
    # links are many to many and both ways
    services.intake_link(actor=officer, intake=first, other=third)
    assert list(third.related.all()) == [first]
    with pytest.raises(ValidationError) as caught:
        services.intake_link(actor=officer, intake=first, other=first)
    assert set(caught.value.message_dict) == {"other"}
    # a duplicate merged: closed, points to the other, its links pass on
    services.intake_link(actor=officer, intake=second, other=third)
    services.intake_merge(actor=officer, duplicate=second, into=first)
    second.refresh_from_db()
    assert second.status == IntakeStatus.MERGED and second.merged_into == first
    assert set(first.related.all()) == {third, second}
    with pytest.raises(ValidationError) as caught:
        services.intake_merge(actor=officer, duplicate=second, into=first)
    assert set(caught.value.message_dict) == {"duplicate"}
    with pytest.raises(ValidationError) as caught:
        services.intake_merge(actor=officer, duplicate=first, into=third)
    assert set(caught.value.message_dict) == {"into"}  # not the same kind
    with pytest.raises(ValidationError) as caught:
        services.intake_merge(actor=officer, duplicate=first, into=first)
    assert set(caught.value.message_dict) == {"into"}
    with pytest.raises(ValidationError) as caught:
        services.intake_merge(
            actor=officer, duplicate=complaint(user=downstream_user("d3")), into=second
        )
    assert set(caught.value.message_dict) == {"into"}  # merged itself
    services.intake_unlink(actor=officer, intake=first, other=third)
    assert not third.related.filter(pk=first.pk).exists()
    with pytest.raises(ValidationError):
        services.intake_unlink(actor=officer, intake=first, other=third)
    # not pursued, with reasons for the sender
    with pytest.raises(ValidationError) as caught:
        services.intake_not_pursued(actor=officer, intake=third, reasons=" ")
    assert set(caught.value.message_dict) == {"reasons"}
    services.intake_not_pursued(actor=officer, intake=third, reasons="Outside Chapter V.")
    third.refresh_from_db()
    assert third.status == IntakeStatus.NOT_PURSUED and third.outcome_reasons
    with pytest.raises(ValidationError) as caught:
        services.intake_triage(actor=officer, intake=third)
    assert set(caught.value.message_dict) == {"intake"}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "supervision.intake.triaged",
        "supervision.intake.linked",
        "supervision.intake.unlinked",
        "supervision.intake.merged",
        "supervision.intake.not_pursued",
    } <= actions


def test_merge_refuses_reports_on_different_providers() -> None:
    officer = staff()
    first = complaint()
    v = version(OTHER_PROVIDER)
    other = services.complaint_submit(
        actor=downstream_user("dan"), provider=v.model.provider, versions=[v], **COMPLAINT
    )
    with pytest.raises(ValidationError) as caught:
        services.intake_merge(actor=officer, duplicate=other, into=first)
    assert set(caught.value.message_dict) == {"into"}


def test_linking_versions_sets_the_provider_once() -> None:
    officer = staff()
    intake, _ = services.whistleblower_submit(title="t", body="b")
    v1, v2 = version(label="1"), version(label="2")
    services.intake_link_versions(actor=officer, intake=intake, versions=[v1])
    intake.refresh_from_db()
    assert intake.provider_id == v1.model.provider_id
    services.intake_link_versions(actor=officer, intake=intake, versions=[v2])
    assert set(intake.versions.all()) == {v1, v2}
    with pytest.raises(ValidationError) as caught:
        services.intake_link_versions(
            actor=officer, intake=intake, versions=[version(OTHER_PROVIDER)]
        )
    assert set(caught.value.message_dict) == {"versions"}
    with pytest.raises(ValidationError) as caught:
        services.intake_link_versions(actor=officer, intake=intake, versions=[])
    assert set(caught.value.message_dict) == {"versions"}


@pytest.mark.parametrize(
    "call",
    [
        lambda who, i: services.intake_triage(actor=who, intake=i),
        lambda who, i: services.intake_not_pursued(actor=who, intake=i, reasons="r"),
        lambda who, i: services.intake_link(
            actor=who, intake=i, other=complaint(user=downstream_user("x"))
        ),
        lambda who, i: services.intake_unlink(actor=who, intake=i, other=i),
        lambda who, i: services.intake_merge(actor=who, duplicate=i, into=i),
        lambda who, i: services.intake_link_versions(actor=who, intake=i, versions=[version()]),
    ],
)
@pytest.mark.parametrize("role", [None, Role.ORGANISATION_MEMBER, Role.NATIONAL_AUTHORITY_MEMBER])
def test_only_staff_triage(call: Any, role: str | None) -> None:
    intake = complaint()
    with pytest.raises(PermissionDenied):
        call(make_user(role, f"u-{role}"), intake)
