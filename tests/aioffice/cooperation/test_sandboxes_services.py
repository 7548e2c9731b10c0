"""The sandboxes' services: who may act, the decision's due date and the annual reports on
the one clock (aiact), capacity, plans agreed by both, suspension reported to the Office,
immunity from aiact, publication of exit reports only with both sides' agreement, bad
input named by field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.cooperation import permissions_sandboxes as rules
from aioffice.cooperation import selectors_sandboxes as selectors
from aioffice.cooperation import services_sandboxes as services
from aioffice.cooperation.models import Authority
from aioffice.cooperation.models_sandboxes import ApplicationStatus, SandboxLevel, SandboxStatus
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, organisation
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.clock import source_of
from aioffice.supervision.models import Deadline

from .sandboxes_world import (
    application,
    authority,
    keeper,
    media_root,  # noqa: F401
    operator,
    provider,
    provider_org,
    sandbox,
    today,
    upload,
)

pytestmark = pytest.mark.django_db


def _field(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def test_a_national_sandbox_has_an_authority_and_the_union_one_has_none() -> None:
    with pytest.raises(ValidationError) as exc:
        services.sandbox_create(actor=keeper(), name="No authority", member_state="FR")
    assert _field(exc) == {"operating_authority"}
    with pytest.raises(ValidationError) as exc:
        services.sandbox_create(
            actor=keeper(),
            name="Union with an authority",
            level=SandboxLevel.UNION,
            operating_authority=authority(),
        )
    assert _field(exc) == {"operating_authority"}
    with pytest.raises(ValidationError) as exc:
        sandbox(member_state="DE")  # a French authority for a German sandbox
    assert _field(exc) == {"operating_authority"}
    with pytest.raises(ValidationError) as exc:
        sandbox(status=SandboxStatus.OPERATIONAL, established_on=None)
    assert _field(exc) == {"established_on"}


def test_an_authority_registers_its_own_sandbox_and_only_the_office_publishes() -> None:
    made = services.sandbox_create(
        actor=operator(), name="Own (test)", member_state="FR", operating_authority=authority()
    )
    assert not made.published
    with pytest.raises(ValidationError) as exc:
        services.sandbox_update(actor=operator(), sandbox=made, published=True)
    assert _field(exc) == {"published"}
    other = Authority.objects.create(
        member_state="FR",
        name="Autre autorité (test)",
        kind="market_surveillance",
        organisation=organisation(OrganisationKind.NATIONAL_AUTHORITY, "Other authority org"),
    )
    with pytest.raises(PermissionDenied):
        services.sandbox_create(
            actor=operator(), name="Not ours", member_state="FR", operating_authority=other
        )
    with pytest.raises(PermissionDenied):
        services.sandbox_create(actor=provider(), name="Provider's", level=SandboxLevel.UNION)
    assert services.sandbox_update(actor=keeper(), sandbox=made, published=True).published


def test_an_operational_sandbox_owes_an_annual_report_a_year_after_establishment() -> None:
    box = sandbox(established_on=date(2026, 3, 2))
    assert box.report_due_on == date(2027, 3, 2)
    assert "AI Act, Art. 57(16)" in box.citations and box.rules_version
    row = Deadline.objects.get(source=source_of(box), kind=DeadlineKind.SANDBOX_REPORT)
    assert row.due_on == date(2027, 3, 2) and row.owner is None and row.citations
    report = services.report_add(
        actor=operator(), sandbox=box, kind="annual", upload=upload(), abstract="Year one."
    )
    assert report.due_on == date(2027, 3, 2) and len(report.sha256) == 64
    row.refresh_from_db()
    assert row.status == DeadlineStatus.MET
    following = Deadline.objects.get(
        source=source_of(box), kind=DeadlineKind.SANDBOX_REPORT, status=DeadlineStatus.OPEN
    )
    assert following.due_on == date(2028, 3, 2)
    with pytest.raises(ValidationError) as exc:  # the final report waits for the closure
        services.report_add(
            actor=operator(), sandbox=box, kind="final", upload=upload(), abstract="End."
        )
    assert _field(exc) == {"kind"}
    closed = services.sandbox_update(actor=operator(), sandbox=box, status=SandboxStatus.CLOSED)
    assert closed.closed_on == today() and closed.report_due_on is None
    assert not Deadline.objects.filter(
        source=source_of(box), kind=DeadlineKind.SANDBOX_REPORT, status=DeadlineStatus.OPEN
    ).exists()
    services.report_add(
        actor=operator(), sandbox=box, kind="final", upload=upload(), abstract="End."
    )


def test_an_application_is_decided_within_three_months_on_the_clock() -> None:
    box = sandbox()
    made = services.application_submit(
        actor=provider(),
        sandbox=box,
        applicant=provider_org(),
        project="Triage",
        system_description="An AI system.",
        sme=True,
        applied_on=date(2026, 11, 26),
    )
    assert made.decision_due_on == date(2027, 2, 26)
    assert made.citations == ["AI Act, Art. 58(2)(a)"] and made.rules_version
    row = Deadline.objects.get(source=source_of(made), kind=DeadlineKind.SANDBOX_DECISION)
    assert row.due_on == date(2027, 2, 26) and row.owner is None
    assert row.url.endswith(f"/cooperation/sandboxes/applications/{made.pk}/")
    with pytest.raises(ValidationError) as exc:  # one open application per organisation
        services.application_submit(
            actor=provider(),
            sandbox=box,
            applicant=provider_org(),
            project="Again",
            system_description="x",
        )
    assert _field(exc) == {"sandbox"}
    with pytest.raises(PermissionDenied):
        services.application_decide(actor=provider(), application=made, accept=True, reasons="r")
    services.application_decide(actor=operator(), application=made, accept=True, reasons="Fit.")
    row.refresh_from_db()
    assert row.status == DeadlineStatus.MET
    event = AuditEvent.objects.filter(action="cooperation.sandbox_application.accepted").get()
    assert event.after["status"] == "accepted" and "reasons" not in event.after


def test_capacity_is_enforced_when_accepting() -> None:
    box = sandbox(capacity=1)
    first, second = application(box), application(box, project="Second")
    services.application_decide(actor=operator(), application=first, accept=True, reasons="r")
    with pytest.raises(ValidationError) as exc:
        services.application_decide(actor=operator(), application=second, accept=True, reasons="r")
    assert _field(exc) == {"accept"} and "1 of 1" in exc.value.message_dict["accept"][0]
    # refusing needs no place; a planned sandbox takes no participant
    services.application_decide(actor=operator(), application=second, accept=False, reasons="r")
    planned = sandbox(name="Planned (test)", status=SandboxStatus.PLANNED, established_on=None)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=operator(), application=application(planned), accept=True, reasons="r"
        )


def test_the_union_sandbox_is_run_by_office_staff() -> None:
    union = services.sandbox_create(
        actor=keeper(), name="Union (test)", level=SandboxLevel.UNION, published=True
    )
    services.sandbox_update(
        actor=keeper(), sandbox=union, status=SandboxStatus.OPERATIONAL, established_on=today()
    )
    pending = application(union)
    with pytest.raises(PermissionDenied):
        services.application_decide(actor=operator(), application=pending, accept=True, reasons="r")
    with pytest.raises(PermissionDenied):  # a technical officer reads, does not decide
        services.application_decide(
            actor=make_user(Role.TECHNICAL_OFFICER), application=pending, accept=True, reasons="r"
        )
    done = services.application_decide(
        actor=keeper(), application=pending, accept=True, reasons="r"
    )
    assert done.status == ApplicationStatus.ACCEPTED


def test_plans_are_versioned_and_agreed_by_both_with_real_world_testing_included() -> None:
    accepted = application(sandbox(), ApplicationStatus.ACCEPTED, real_world_testing_planned=True)
    plan = {
        "objectives": "o",
        "starts_on": today(),
        "ends_on": today() + timedelta(days=60),
        "terms": "t",
        "safeguards": "s",
    }
    with pytest.raises(ValidationError) as exc:
        services.plan_propose(actor=provider(), application=accepted, **plan)
    assert _field(exc) == {"real_world_testing_included"}
    with pytest.raises(ValidationError) as exc:
        services.plan_propose(
            actor=provider(), application=accepted, real_world_testing_included=True, **plan
        )
    assert _field(exc) == {"real_world_testing_plan"}
    first = services.plan_propose(
        actor=provider(),
        application=accepted,
        real_world_testing_included=True,
        real_world_testing_plan="Tests in two hospitals.",
        **plan,
    )
    assert first.provider_agreed_at and not first.agreed
    second = services.plan_propose(
        actor=operator(),
        application=accepted,
        real_world_testing_included=True,
        real_world_testing_plan="Tests in one hospital.",
        **plan,
    )
    assert second.version == 2 and second.authority_agreed_at and not second.agreed
    with pytest.raises(ValidationError) as exc:
        services.plan_agree(actor=operator(), plan=first)
    assert _field(exc) == {"plan"}
    assert services.plan_agree(actor=provider(), plan=second).agreed
    with pytest.raises(ValidationError):
        services.plan_propose(
            actor=provider(), application=accepted, **{**plan, "ends_on": date(2000, 1, 1)}
        )


def test_a_suspension_is_shown_to_the_office_and_a_temporary_one_resumes() -> None:
    accepted = application(sandbox(), ApplicationStatus.ACCEPTED)
    done = services.participation_suspend(actor=operator(), application=accepted, reasons="Risk.")
    assert done.status == ApplicationStatus.SUSPENDED and done.office_informed_on == today()
    assert list(selectors.suspensions_for_office()) == [done]
    assert services.participation_resume(actor=operator(), application=done).status == "accepted"
    ended = services.participation_suspend(
        actor=operator(), application=done, reasons="Serious risk.", permanent=True
    )
    assert ended.status == ApplicationStatus.TERMINATED
    with pytest.raises(ValidationError):
        services.participation_resume(actor=operator(), application=ended)


def test_fine_immunity_is_aiacts_answer_on_the_authoritys_finding() -> None:
    accepted = application(sandbox(), ApplicationStatus.ACCEPTED)
    done = services.immunity_record(
        actor=operator(), application=accepted, followed_plan=True, good_faith=True
    )
    assert done.immune is True and done.immunity_citations == ["AI Act, Art. 57(12)"]
    done = services.immunity_record(
        actor=operator(), application=accepted, followed_plan=True, good_faith=False
    )
    assert done.immune is False and done.immunity_rules_version
    with pytest.raises(ValidationError):
        services.immunity_record(
            actor=operator(),
            application=application(sandbox(name="B (test)")),
            followed_plan=True,
            good_faith=True,
        )


def test_an_exit_report_is_published_only_when_both_agree_and_read_by_staff_with_consent() -> None:
    accepted = application(sandbox(), ApplicationStatus.ACCEPTED)
    report = services.exit_report_add(
        actor=operator(), application=accepted, upload=upload("exit.pdf"), summary="Good."
    )
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.EXITED
    staff = make_user(Role.LEGAL_OFFICER)
    assert not rules.may_read_exit_report(staff, report)
    assert rules.may_read_exit_report(provider(), report)
    report = services.exit_report_consent(actor=provider(), report=report, publication=True)
    assert not report.published
    assert not selectors.published_exit_reports(accepted.sandbox).exists()
    with pytest.raises(ValidationError) as exc:  # the access is the provider's to give
        services.exit_report_consent(actor=operator(), report=report, access=True)
    assert _field(exc) == {"access"}
    report = services.exit_report_consent(actor=operator(), report=report, publication=True)
    assert report.published and list(selectors.published_exit_reports(accepted.sandbox)) == [report]
    assert rules.may_read_exit_report(staff, report)
    report = services.exit_report_consent(actor=provider(), report=report, publication=False)
    assert not report.published and not rules.may_read_exit_report(staff, report)
    report = services.exit_report_consent(actor=provider(), report=report, access=True)
    assert rules.may_read_exit_report(staff, report)
    with pytest.raises(PermissionDenied):
        services.exit_report_consent(actor=staff, report=report, publication=True)


def test_bad_input_is_named_by_field() -> None:
    box = sandbox()
    base = {
        "actor": provider(),
        "sandbox": box,
        "applicant": provider_org(),
        "project": "p",
        "system_description": "d",
    }
    for changes, field in [
        ({"project": "a\x00b"}, "project"),
        ({"project": "  "}, "project"),
        ({"system_description": ""}, "system_description"),
        ({"applied_on": today() + timedelta(days=1)}, "applied_on"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.application_submit(**{**base, **changes})
        assert _field(exc) == {field}
    with pytest.raises(ValidationError) as exc:
        sandbox(name="Joint (test)", joint_member_states=["XX"])
    assert _field(exc) == {"joint_member_states"}
    unpublished = sandbox(name="Unpublished (test)", published=False)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(**{**base, "sandbox": unpublished})
    assert _field(exc) == {"sandbox"}
    with pytest.raises(ValidationError) as exc:
        services.report_add(
            actor=operator(),
            sandbox=box,
            kind="annual",
            upload=upload(content=b"no pdf"),
            abstract="a",
        )
    assert _field(exc) == {"file"}
    with pytest.raises(ValidationError) as exc:
        services.sandbox_update(actor=keeper(), sandbox=box, colour="red")
    assert _field(exc) == {"colour"}
    pending = application(box)
    services.application_withdraw(actor=provider(), application=pending)
    with pytest.raises(ValidationError):
        services.application_withdraw(actor=provider(), application=pending)
    assert not Deadline.objects.filter(source=source_of(pending), status="open").exists()
