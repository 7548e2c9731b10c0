"""Regressions found in review: bad input is a 4xx naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import signed_in_client
from aioffice.supervision.models import Case

from .test_case_api import build_world, media_root  # noqa: F401  (autouse: files under tmp_path)
from .test_intake_services import COMPLAINT, downstream_user, staff

pytestmark = pytest.mark.django_db

BEYOND = str(10**30)  # beyond any database's integer range


def test_ids_beyond_the_database_range_in_a_page_form_name_the_field() -> None:
    world = build_world()
    client = signed_in_client(world.lead)
    opened = client.post(
        reverse("supervision:case_new"),
        {
            "provider": world.case.provider_id,
            "title": "Beyond",
            "origin": "ex_officio",
            "versions": [BEYOND],
            "intakes": [BEYOND],
        },
    )
    assert opened.status_code == 200
    form = opened.context["form"]
    assert "versions" in form.errors and "intakes" in form.errors
    assert Case.objects.filter(title="Beyond").count() == 0

    decided = client.post(
        reverse("supervision:case_step", args=[world.case.pk, "decision"]),
        {
            "decision-kind": "measures",
            "decision-reasons": "r",
            "decision-remedies": "r",
            "decision-measures": [BEYOND],
        },
    )
    assert decided.status_code == 200
    bound: Any = dict((n, f) for n, _t, f, _files in decided.context["step_forms"])["decision"]
    assert "measures" in bound.errors


def test_ids_beyond_the_database_range_in_triage_name_the_field() -> None:
    from aioffice.supervision import services_intake

    complaint = services_intake.complaint_submit(
        actor=downstream_user(), provider=None, versions=[], **COMPLAINT
    )
    client = signed_in_client(staff(Role.LEGAL_OFFICER, "lea"))
    response = client.post(
        reverse("supervision:intake_action", args=[complaint.pk, "link_versions"]),
        {"link_versions-versions": [BEYOND]},
    )
    assert response.status_code == 422
    assert "versions" in response.context["forms"]["link_versions"].errors


def test_a_fine_decision_submitted_twice_is_refused_the_second_time() -> None:
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    from aioffice.supervision import services_cases as services
    from aioffice.supervision.choices import DecisionKind
    from aioffice.supervision.models import Decision

    from .test_case_services import TODAY, fine_terms, open_case, send_findings, sr_version

    lena = staff(Role.LEGAL_OFFICER, "lena")
    case = open_case(sr_version(), lead=lena)
    findings = send_findings(case, lena, TODAY - timedelta(days=40))
    data: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "kind": DecisionKind.FINE,
        "reasons": "Negligent infringement of Art. 53(1)(b).",
        "remedies": "An action before the Court of Justice within two months.",
        "findings": findings,
        "fine": fine_terms(),
    }
    services.decision_adopt(**data)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**data)
    assert "already imposed on these findings" in info.value.message_dict["findings"][0]
    assert Decision.objects.filter(case=case, kind=DecisionKind.FINE).count() == 1


def test_measures_decided_meanwhile_are_refused_under_the_lock() -> None:
    """Two submissions that both read the measures undecided: the second, taking the
    case's lock after the first, is refused rather than deciding them again."""
    from datetime import timedelta
    from unittest import mock

    from django.core.exceptions import ValidationError

    from aioffice.supervision import services_cases as services
    from aioffice.supervision.choices import DecisionKind
    from aioffice.supervision.models import Decision, Measure

    from .test_case_services import TODAY, open_case, send_findings, sr_version

    lena = staff(Role.LEGAL_OFFICER, "lena")
    case = open_case(sr_version(), lead=lena)
    send_findings(case, lena, TODAY - timedelta(days=40))
    measure = services.measure_request(
        actor=lena,
        case=case,
        kind="compliance",
        description="Publish the Annex XII information.",
        grounds="Art. 53(1)(b).",
        due_on=TODAY + timedelta(days=30),
    )
    data: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "kind": DecisionKind.MEASURES,
        "reasons": "r",
        "remedies": "CJEU",
        "measures": [measure],
    }
    first = services.decision_adopt(**data)
    # the second submission read the measure before the first decided it
    undecided = Measure.objects.get(pk=measure.pk)
    undecided.decision_id = None
    original = Measure.objects.filter

    def stale(*args: Any, **kwargs: Any) -> Any:
        if set(kwargs) == {"pk__in"}:  # the read before the lock
            return [undecided]
        return original(*args, **kwargs)

    with (
        mock.patch.object(Measure.objects, "filter", side_effect=stale),
        pytest.raises(ValidationError) as info,
    ):
        services.decision_adopt(**data)
    assert "measures" in info.value.message_dict
    assert list(Decision.objects.filter(case=case)) == [first]


def test_a_document_or_decision_asked_under_another_case_is_not_opened_nor_audited() -> None:
    from aioffice.core.models import AuditEvent

    world = build_world()
    client = signed_in_client(world.lead)
    prefix = "/api/v1/supervision/cases/"
    wrong = world.other.pk  # the lead may open the document, but not as the other case's
    before = AuditEvent.objects.filter(action="supervision.document.opened").count()
    assert client.get(f"{prefix}{wrong}/documents/{world.visible.pk}").status_code == 404
    assert (
        client.get(f"{prefix}{wrong}/decisions/{world.decision.pk}/decision.pdf").status_code == 404
    )
    assert AuditEvent.objects.filter(action="supervision.document.opened").count() == before
    assert client.get(f"{prefix}{world.case.pk}/documents/{world.visible.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="supervision.document.opened").count() == before + 1
