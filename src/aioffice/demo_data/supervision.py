"""Supervision demo: a few reports of each kind, a case with its team, a request for
information and the deadlines they start, so that the deadline dashboard of the demo's
staff is not empty. Everything goes through the services (so the clock computes each
date as in real use); fictional content throughout.

Loaded once (the complaint's title marks it); a step the services refuse (an enforcement
step before 2 August 2026, when the demo runs earlier) is left out with a note.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MARK = "Demo: the Polaris assistant gives dangerous chemical instructions"
NOTE = "Fictional demo data."


def is_loaded() -> bool:
    from aioffice.supervision.models import Intake

    return Intake.objects.filter(title=MARK).exists()


def load(*, users: dict[str, Any]) -> list[str]:
    """Load the demo once; returns the notes of steps left out."""
    if is_loaded():
        return []
    from aioffice.registry.models import ModelVersion
    from aioffice.supervision import clock
    from aioffice.supervision import services_cases as cases
    from aioffice.supervision import services_intake as intake

    version = (
        ModelVersion.objects.filter(
            model__name="Aurora Polaris", model__provider__organisation__name="Aurora Models SE"
        )
        .select_related("model__provider")
        .first()
    )
    if version is None:
        return ["no Aurora Polaris version: supervision demo left out"]
    provider = version.model.provider
    today = timezone.now().date()
    notes: list[str] = []

    def step(name: str, action: Any) -> Any:
        try:
            with transaction.atomic():
                return action()
        except (ValidationError, PermissionDenied) as exc:
            notes.append(f"{name}: {exc}")
            logger.warning("supervision demo: %s left out (%s)", name, exc)
            return None

    complaint = step(
        "complaint",
        lambda: intake.complaint_submit(
            actor=users["downstream"],
            provider=provider,
            versions=[version],
            title=MARK,
            provider_contact_point="compliance@aurora.example (fictional)",
            facts="Our integration of Polaris 1.0 returns synthesis routes for nerve agents "
            "when asked in French. " + NOTE,
            provisions="Art. 55(1)(b) (mitigation of systemic risks)",
            reasons="The provider's mitigations do not cover non-English prompts. " + NOTE,
        ),
    )
    step(
        "qualified alert",
        lambda: intake.alert_submit(
            actor=users["panel"],
            provider=provider,
            versions=[version],
            title="Demo: Polaris 1.0 may present a Union-level systemic risk",
            ground="union_risk",
            provider_contact_point="compliance@aurora.example (fictional)",
            facts="Uplift on two chemistry benchmarks beyond the state of the art. " + NOTE,
            reasons="A concrete, identifiable risk at Union level. " + NOTE,
        ),
    )
    step(
        "serious incident",
        lambda: intake.incident_submit(
            actor=users["provider"],
            version=version,
            title="Demo: outage of a hospital triage service using Polaris",
            types=["critical_infrastructure"],
            occurred_on=today - timedelta(days=3),
            aware_on=today - timedelta(days=1),
            report={
                "harm": "Triage suggestions unavailable for six hours. " + NOTE,
                "chain_of_events": "A faulty update of the safety filter. " + NOTE,
                "model_involvement": "The model refused every request. " + NOTE,
                "response": "Rolled back; root cause analysis running. " + NOTE,
            },
        ),
    )
    step(
        "whistleblower report",
        lambda: intake.whistleblower_submit(
            title="Demo: evaluations skipped before release",
            body="The last safety evaluation was cut short to meet the launch date. " + NOTE,
            provider=provider,
        ),
    )
    case = step(
        "case",
        lambda: cases.case_open(
            actor=users["legal"],
            provider=provider,
            title="Demo: mitigation of chemical misuse in Aurora Polaris",
            origin="complaint",
            versions=[version],
            intakes=[complaint] if complaint is not None else [],
            summary="Opened on a downstream provider's complaint. " + NOTE,
        ),
    )
    if case is not None:
        step(
            "team",
            lambda: cases.case_team_add(actor=users["legal"], case=case, user=users["policy"]),
        )
        step(
            "team",
            lambda: cases.case_team_add(actor=users["legal"], case=case, user=users["technical"]),
        )
        step(
            "request for information",
            lambda: cases.rfi_send(
                actor=users["legal"],
                case=case,
                legal_basis="art91_1",
                purpose="Assess the mitigation of chemical misuse in languages other than "
                "English. " + NOTE,
                information_required="Red-teaming results by language; the filter's "
                "evaluation data. " + NOTE,
                time_limit_days=14,
                fines_notice="Incorrect, incomplete or misleading information may be fined "
                "under Art. 101(1)(b).",
            ),
        )
    # the registry's procedures (the demo's notification and its question) are on the
    # clock too
    clock.sync_all()
    return notes
