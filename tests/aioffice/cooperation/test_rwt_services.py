"""Real-world testing services: registration (number, visibility, deadline), tacit approval
timing, explicit decisions, start under the conditions, one extension only, suspension and
termination, consents, publication, bad input."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.aioffice.cooperation.rwt_world import (
    ALL_CONDITIONS,
    World,
    build,
    media_root,
    plan,
    register,
)

from aioffice.cooperation import services_rwt as services
from aioffice.cooperation.models_rwt import RealWorldTest, RwtStatus, TacitApprovalRule
from aioffice.core.models import AuditEvent
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    media_root(settings, tmp_path)
    return build()


def _reload(test: RealWorldTest) -> RealWorldTest:
    return RealWorldTest.objects.get(pk=test.pk)


def test_registration_allocates_the_number_opens_the_deadline_and_asks_aiact(world: World) -> None:
    test = world.public
    today = timezone.now().date()
    assert test.identification_number == f"EU-RWT-{today.year}-{test.pk:06d}"
    assert test.status == RwtStatus.SUBMITTED
    assert test.approval_due == today + timedelta(days=30)
    assert test.tacit_on == test.approval_due  # no national rule: the Act's default
    assert test.visibility == "public"
    assert world.sensitive.visibility == "restricted"
    assert world.sensitive.fields_shown == ["1", "2", "3", "5"]
    deadline = Deadline.objects.get(
        kind=DeadlineKind.RWT_APPROVAL, source=f"cooperation.realworldtest:{test.pk}"
    )
    assert deadline.status == DeadlineStatus.OPEN and deadline.due_on == test.approval_due
    assert deadline.rules_version and deadline.citations
    step = test.steps.get()
    assert step.kind == "submitted" and step.rules_version and step.citations
    assert len(test.plan_sha256) == 64
    event = AuditEvent.objects.filter(action="cooperation.rwt.registered").first()
    assert event is not None and "Hiring" not in str(event.after)


def test_tacit_approval_comes_on_its_day_once(world: World) -> None:
    test = world.public
    assert test.tacit_on is not None
    assert services.apply_tacit(today=test.tacit_on - timedelta(days=1)) == 0
    assert _reload(test).status == RwtStatus.SUBMITTED
    assert services.apply_tacit(today=test.tacit_on) == 2  # both plans came in today
    again = _reload(test)
    assert again.status == RwtStatus.APPROVED and again.approval == "tacit"
    assert again.decided_on == test.tacit_on
    assert services.apply_tacit(today=test.tacit_on + timedelta(days=5)) == 0
    deadline = Deadline.objects.get(
        kind=DeadlineKind.RWT_APPROVAL, source=f"cooperation.realworldtest:{test.pk}"
    )
    assert deadline.status == DeadlineStatus.MET


def test_no_tacit_approval_where_national_law_requires_an_explicit_one(world: World) -> None:
    services.national_rule_set(actor=None, member_state="FR", tacit_allowed=False)
    test = register(world.provider_user, world.provider, world.fr)
    assert test.tacit_on is None and not test.tacit_allowed
    far = timezone.now().date() + timedelta(days=400)
    services.apply_tacit(today=far)
    assert _reload(test).status == RwtStatus.SUBMITTED
    assert TacitApprovalRule.objects.get(member_state="FR").tacit_allowed is False


def test_the_command_applies_tacit_approvals(world: World) -> None:
    RealWorldTest.objects.filter(pk=world.public.pk).update(
        tacit_on=timezone.now().date() - timedelta(days=1)
    )
    from typer.testing import CliRunner

    from aioffice.cooperation.cli_rwt import app

    result = CliRunner().invoke(app, ["apply-tacit"])
    assert result.exit_code == 0, result.output
    assert _reload(world.public).status == RwtStatus.APPROVED
    assert CliRunner().invoke(app, ["apply-tacit"]).exit_code == 0


def test_a_decision_after_the_tacit_day_is_refused_and_the_approval_stays(world: World) -> None:
    RealWorldTest.objects.filter(pk=world.public.pk).update(
        tacit_on=timezone.now().date() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        services.test_decide(actor=world.fr_user, test=world.public, approve=False, reasons="No.")
    assert "approve" in caught.value.message_dict
    assert _reload(world.public).approval == "tacit"


def test_only_the_deciding_authority_decides_and_a_refusal_needs_reasons(world: World) -> None:
    for user in (world.es_user, world.provider_user, world.other_user):
        with pytest.raises(PermissionDenied):
            services.test_decide(actor=user, test=world.public, approve=True)
    with pytest.raises(ValidationError) as caught:
        services.test_decide(actor=world.fr_user, test=world.public, approve=False, reasons=" ")
    assert "reasons" in caught.value.message_dict
    services.test_decide(actor=world.fr_user, test=world.public, approve=False, reasons="Risky.")
    test = _reload(world.public)
    assert test.status == RwtStatus.REFUSED
    with pytest.raises(ValidationError):
        services.test_decide(actor=world.fr_user, test=test, approve=True)


def _running(world: World) -> RealWorldTest:
    services.test_decide(actor=world.fr_user, test=world.public, approve=True)
    services.test_start(actor=world.provider_user, test=world.public)
    return _reload(world.public)


def test_start_needs_approval_and_the_conditions(world: World) -> None:
    with pytest.raises(ValidationError):
        services.test_start(actor=world.provider_user, test=world.public)
    services.test_decide(actor=world.fr_user, test=world.public, approve=True)
    services.conditions_declare(
        actor=world.provider_user,
        test=world.public,
        conditions={**ALL_CONDITIONS, "oversight": False},
    )
    check = services.conditions_check(_reload(world.public))
    assert check["allowed"] is False and check["missing"] == ["oversight"]
    with pytest.raises(ValidationError) as caught:
        services.test_start(actor=world.provider_user, test=world.public)
    assert "conditions" in caught.value.message_dict
    services.conditions_declare(
        actor=world.provider_user, test=world.public, conditions=ALL_CONDITIONS
    )
    services.test_start(actor=world.provider_user, test=world.public)
    test = _reload(world.public)
    assert test.status == RwtStatus.RUNNING and test.ends_on is not None
    assert test.started_on is not None and (test.ends_on - test.started_on).days in range(181, 185)
    deadline = Deadline.objects.get(kind=DeadlineKind.RWT_END, status=DeadlineStatus.OPEN)
    assert deadline.due_on == test.ends_on and deadline.provider_to_act


def test_one_extension_only(world: World) -> None:
    test = _running(world)
    first_end = test.ends_on
    services.test_extend(actor=world.provider_user, test=test, justification="More data needed.")
    test = _reload(test)
    assert test.extended and test.ends_on is not None and first_end is not None
    assert (test.ends_on - first_end).days in range(181, 185)
    deadline = Deadline.objects.get(kind=DeadlineKind.RWT_END, status=DeadlineStatus.OPEN)
    assert deadline.due_on == test.ends_on
    with pytest.raises(ValidationError) as caught:
        services.test_extend(actor=world.provider_user, test=test, justification="Again.")
    assert "one extension" in caught.value.message_dict["justification"][0]


def test_an_extension_is_notified_before_the_end(world: World) -> None:
    test = _running(world)
    long_ago = timezone.now().date() - timedelta(days=400)
    RealWorldTest.objects.filter(pk=test.pk).update(started_on=long_ago)
    with pytest.raises(ValidationError) as caught:
        services.test_extend(actor=world.provider_user, test=_reload(test), justification="Late.")
    assert "before the end" in caught.value.message_dict["justification"][0]


def test_suspension_by_the_authority_is_lifted_by_the_authority(world: World) -> None:
    test = _running(world)
    services.test_suspend(actor=world.fr_user, test=test, reasons="Serious incident.")
    test = _reload(test)
    assert (
        test.status == RwtStatus.SUSPENDED
        and "suspended by the authority" in test.suspension_information
    )
    with pytest.raises(PermissionDenied):
        services.test_resume(actor=world.provider_user, test=test)
    with pytest.raises(PermissionDenied):
        services.test_suspend(actor=world.other_user, test=test, reasons="x")
    services.test_resume(actor=world.fr_user, test=test)
    services.test_terminate(actor=world.provider_user, test=test, reasons="Stopped.")
    test = _reload(test)
    assert test.status == RwtStatus.TERMINATED
    assert Deadline.objects.get(kind=DeadlineKind.RWT_END).status == DeadlineStatus.CANCELLED
    services.outcome_notify(actor=world.provider_user, test=test, outcome="Not conclusive.")
    with pytest.raises(ValidationError):
        services.outcome_notify(actor=world.provider_user, test=test, outcome="Twice.")


def test_consents_count_only_valid_batches_and_keep_no_names(world: World) -> None:
    test = _running(world)
    full = {
        k: True
        for k in (
            "nature",
            "conditions",
            "rights",
            "reversal",
            "identification",
            "dated",
            "documented",
            "copy_given",
            "before_participation",
        )
    }
    batch = services.consent_record(
        actor=world.provider_user, test=test, participants=12, checklist=full
    )
    assert batch.valid and batch.rules_version
    bad = services.consent_record(
        actor=world.provider_user,
        test=test,
        participants=3,
        checklist={**full, "copy_given": False},
    )
    assert not bad.valid and bad.missing == ["copy_given"]
    assert services.valid_participants(test) == 12
    for wrong in (0, -1, True, "3"):
        with pytest.raises(ValidationError):
            services.consent_record(
                actor=world.provider_user, test=test, participants=wrong, checklist=full
            )  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=world.provider_user, test=test, participants=1, checklist={"name": True}
        )


def test_publication_consent_changes_the_visibility(world: World) -> None:
    services.publication_set(actor=world.provider_user, test=world.public, consent=False)
    assert _reload(world.public).visibility == "authorities"
    services.publication_set(actor=world.provider_user, test=world.public, consent=True)
    assert _reload(world.public).visibility == "public"
    with pytest.raises(PermissionDenied):
        services.publication_set(actor=world.other_user, test=world.public, consent=True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"annex_iii_point": "2"}, "annex_iii_point"),
        ({"annex_iii_point": "9"}, "annex_iii_point"),
        ({"scope": "annex_i_a"}, "annex_iii_point"),
        ({"scope": "nothing"}, "scope"),
        ({"system_name": "a\x00b"}, "system_name"),
        ({"description": ""}, "description"),
        ({"member_states": ["XX"]}, "member_states"),
        ({"member_states": []}, "member_states"),
        ({"member_states": ["DE"]}, "authority"),
        ({"sensitive_context": True, "annex_iii_point": "6"}, "authority"),
        ({"plan": plan("plan.exe", b"MZ...")}, "plan"),
        ({"plan": plan("plan.pdf", b"")}, "plan"),
        ({"plan": plan("plan.pdf", b"not a pdf")}, "plan"),
        ({"conditions": {"oversight": "yes"}}, "oversight"),
    ],
)
def test_bad_registrations_name_the_field(
    world: World, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        register(world.provider_user, world.provider, world.fr, **changes)
    assert field in caught.value.message_dict


def test_annex_iii_point_2_is_registered_nationally(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        register(world.provider_user, world.provider, world.fr, annex_iii_point="2")
    assert "national level" in caught.value.message_dict["annex_iii_point"][0]


def test_a_provider_outside_the_union_names_a_legal_representative(world: World) -> None:
    from tests.aioffice.cooperation.rwt_world import _org, person

    foreign = _org("Foreign provider (rwt)", "downstream_provider", "US", eu=False)
    user = person("rwt-foreign", foreign, "organisation_member")
    with pytest.raises(ValidationError) as caught:
        register(user, foreign, world.fr)
    assert "legal_representative" in caught.value.message_dict
    representative = _org("Representative (rwt)", "authorised_representative", "AT")
    test = register(user, foreign, world.fr, legal_representative=representative)
    assert test.legal_representative == representative


def test_only_the_providers_people_register(world: World) -> None:
    with pytest.raises(PermissionDenied):
        register(world.other_user, world.provider, world.fr)
    with pytest.raises(PermissionDenied):
        register(world.fr_user, world.provider, world.fr)
