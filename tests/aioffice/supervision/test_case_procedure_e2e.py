"""End to end, at the level of the services, on the real database: a complaint → a case →
a request for information → the provider's answer with a document → an Art. 92 evaluation
(Board consulted, access requested and given, an independent expert, a linked run) →
preliminary findings → observations → a fine decision (PDF, SHA-256, within the ceiling) →
notification → closure. The deadlines open and close along the way; every step is in the
timeline and the audit trail."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiact import gpai_fine_ceiling, load_law
from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.supervision import clock, decisions
from aioffice.supervision import services_cases as services
from aioffice.supervision.choices import (
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DecisionKind,
    IntakeStatus,
    StepKind,
)
from aioffice.supervision.models import Deadline, Document

from .test_case_services import (
    FACTORS,
    TODAY,
    _run,
    complaint_intake,
    provider_member,
    sr_version,
    staff,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def deadline_of(obj: Any, kind: str) -> Deadline:
    return Deadline.objects.get(source=clock.source_of(obj), kind=kind)


def test_complaint_to_fine_decision_to_closure(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    render_html = decisions.render_html

    def spy(text: decisions.DecisionText) -> str:
        rendered.append(render_html(text))
        return rendered[-1]

    monkeypatch.setattr(decisions, "render_html", spy)
    start = TODAY - timedelta(days=90)
    assert start.isoformat() >= "2026-08-02"
    lena = staff(Role.LEGAL_OFFICER, "lena")  # leads and decides
    tess = staff(Role.TECHNICAL_OFFICER, "tess")
    version = sr_version()
    pat = provider_member(version)
    intake = complaint_intake(version)

    # the case, from the complaint
    case = services.case_open(
        actor=lena,
        provider=version.model.provider,
        title="Annex XII information refused",
        origin=CaseOrigin.COMPLAINT,
        versions=[version],
        intakes=[intake],
        opened_on=start,
    )
    services.case_team_add(actor=lena, case=case, user=tess)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CASE_OPENED

    # request for information (Art. 91) and the provider's answer with a document
    request = services.rfi_send(
        actor=lena,
        case=case,
        legal_basis="art91_1",
        purpose="Assess compliance with Art. 53(1)(b).",
        information_required="The Annex XII information.",
        time_limit_days=14,
        fines_notice="Fines under Art. 101(1)(b).",
        sent_on=start + timedelta(days=1),
    )
    assert request.due_on == start + timedelta(days=15)
    rfi_deadline = deadline_of(request, DeadlineKind.RFI_ANSWER)
    assert (rfi_deadline.status, rfi_deadline.owner, rfi_deadline.provider_to_act) == (
        DeadlineStatus.OPEN,
        lena,
        True,
    )
    content = b"%PDF-1.4 Annex XII information, version 3"
    services.rfi_answer(
        actor=pat,
        request=request,
        answer="Attached.",
        files=[upload(content, "annex-xii.pdf")],
        answered_on=start + timedelta(days=10),
    )
    request.refresh_from_db()
    assert request.late is False
    answer_document = Document.objects.get(information_request=request)
    assert answer_document.sha256 == hashlib.sha256(content).hexdigest()
    assert answer_document.from_provider and answer_document.visible_to_provider
    with answer_document.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == answer_document.sha256
    assert deadline_of(request, DeadlineKind.RFI_ANSWER).status == DeadlineStatus.MET

    # Art. 92 evaluation: Board consulted, access requested and given, expert, linked run
    evaluation = services.evaluation_open(
        actor=lena,
        case=case,
        ground="insufficient_information",
        board_consulted_on=start + timedelta(days=12),
        board_consultation="Board consulted in writing; no objection.",
        opened_on=start + timedelta(days=14),
    )
    services.evaluation_request_access(
        actor=tess,
        evaluation=evaluation,
        legal_basis="Art. 92(3)",
        purpose="Evaluate the model's documentation claims.",
        reasons="The information supplied is insufficient.",
        means="API access",
        time_limit_days=7,
        fines_notice="Fines under Art. 101(1)(d).",
        requested_on=start + timedelta(days=15),
    )
    access = deadline_of(evaluation, DeadlineKind.ACCESS)
    assert access.due_on == start + timedelta(days=22) and access.status == DeadlineStatus.OPEN
    services.evaluation_access_granted(
        actor=tess, evaluation=evaluation, granted_on=start + timedelta(days=18)
    )
    assert deadline_of(evaluation, DeadlineKind.ACCESS).status == DeadlineStatus.MET
    expert = services.expert_appoint(
        actor=lena,
        evaluation=evaluation,
        name="Dr Ada Example",
        affiliation="Scientific panel",
        from_scientific_panel=True,
        declaration_of_interests="No interest in any provider.",
        declared_on=start + timedelta(days=16),
        conflict_of_interest=False,
        appointed_on=start + timedelta(days=17),
    )
    assert expert.conflict_of_interest is False
    run = _run(version, tess)
    services.evaluation_link_run(actor=tess, evaluation=evaluation, run=run)
    services.evaluation_record_findings(
        actor=tess,
        evaluation=evaluation,
        findings="The documentation does not match the model's behaviour.",
        serious_concern=False,
    )
    assert list(evaluation.runs.all()) == [run]

    # the right to be heard
    sent_on = start + timedelta(days=30)
    findings = services.findings_send(
        actor=lena,
        case=case,
        findings="The provider negligently withheld the Annex XII information.",
        measures_considered="A fine under Art. 101(1)(a).",
        answer_by=sent_on + timedelta(days=21),
        sent_on=sent_on,
    )
    hearing = deadline_of(findings, DeadlineKind.HEARING)
    assert hearing.status == DeadlineStatus.OPEN and hearing.provider == case.provider
    services.findings_observe(
        actor=pat,
        findings=findings,
        observations="We shared the information in the meantime.",
        observed_on=sent_on + timedelta(days=15),
    )
    assert deadline_of(findings, DeadlineKind.HEARING).status == DeadlineStatus.MET

    # the fine decision
    adopted_on = sent_on + timedelta(days=40)
    turnover = Decimal("2000000000.00")
    decision = services.decision_adopt(
        actor=lena,
        case=case,
        kind=DecisionKind.FINE,
        reasons="The provider negligently infringed Art. 53(1)(b) for four months.",
        remedies="The provider may bring an action before the Court of Justice of the "
        "European Union within two months of notification (Art. 263 TFEU), which has "
        "unlimited jurisdiction over the fine (Art. 101(5)).",
        findings=findings,
        fine=services.FineTerms(
            ground="infringement",
            culpability="negligence",
            turnover_eur=turnover,
            turnover_year=adopted_on.year - 1,
            amount_eur=Decimal("1500000.00"),
            factors=dict(FACTORS),
        ),
        adopted_on=adopted_on,
    )
    ceiling = gpai_fine_ceiling(turnover_eur=turnover, on=adopted_on, law=load_law())
    fine = decision.fine
    assert fine.ceiling_eur == Decimal(ceiling.maximum_cents) / 100 == Decimal("60000000")
    assert fine.amount_eur <= fine.ceiling_eur
    assert fine.factors == FACTORS
    with decision.document.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == decision.sha256 and len(pdf) == decision.size
    assert decision.rules_version == load_law().rules_version
    assert any(r.startswith("FINE-01") for r in decision.legal_reasons)
    assert any(r.startswith("FINE-02") for r in decision.legal_reasons)
    assert "AI Act, Art. 101(1)" in decision.citations
    assert decision.facts["fine"]["ceiling_eur"] == "60000000.00"
    assert decision.facts["heard"] is True
    (html,) = rendered  # what the PDF was made of
    for text in (
        f"{case.reference}/D1",
        str(case.provider),
        "EUR 1500000.00",
        "EUR 60000000.00 (turnover_share)",
        "Four months.",  # a factor weighed
        "We shared the information in the meantime.",  # the hearing record
        "Court of Justice",
        f"Rules version {decision.rules_version}",
        "AI Act, Art. 101(1)",
    ):
        assert text in html, text

    # notified; the provider sees it
    services.decision_notify(actor=lena, decision=decision, notified_on=adopted_on)
    decision.refresh_from_db()
    assert decision.notified_on == adopted_on
    visible = case.steps.filter(visible_to_provider=True).values_list("kind", flat=True)
    assert StepKind.DECISION in visible and StepKind.DECISION_NOTIFIED in visible

    # closed
    services.case_close(
        actor=lena,
        case=case,
        outcome=CaseOutcome.FINED,
        reasons="Fine imposed and notified.",
        closed_on=adopted_on,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == CaseOutcome.FINED
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).exists()

    # the timeline, each step with what it rested on
    kinds = list(case.steps.order_by("id").values_list("kind", flat=True))
    for kind in (
        StepKind.OPENED,
        StepKind.RFI_SENT,
        StepKind.RFI_ANSWERED,
        StepKind.BOARD_CONSULTED,
        StepKind.EVALUATION_OPENED,
        StepKind.ACCESS_REQUESTED,
        StepKind.ACCESS_GRANTED,
        StepKind.EXPERT_APPOINTED,
        StepKind.RUN_LINKED,
        StepKind.EVALUATION_FINDINGS,
        StepKind.FINDINGS_SENT,
        StepKind.HEARING_ANSWERED,
        StepKind.DECISION,
        StepKind.DECISION_NOTIFIED,
        StepKind.CLOSED,
    ):
        assert kind in kinds, kind
    assert kinds[0] == StepKind.OPENED and kinds[-1] == StepKind.CLOSED
    for step in case.steps.filter(
        kind__in=[StepKind.RFI_SENT, StepKind.FINDINGS_SENT, StepKind.DECISION]
    ):
        assert step.rules_version and step.reasons and step.citations, step.kind

    # and the audit trail
    logged = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "supervision.case.created",
        "supervision.intake.case_opened",
        "supervision.case.team_added",
        "supervision.rfi.sent",
        "supervision.rfi.answered",
        "supervision.document.stored",
        "supervision.evaluation.opened",
        "supervision.evaluation.access_requested",
        "supervision.evaluation.access_granted",
        "supervision.expert.appointed",
        "supervision.evaluation.run_linked",
        "supervision.evaluation.findings",
        "supervision.findings.sent",
        "supervision.findings.observed",
        "supervision.decision.adopted",
        "supervision.decision.notified",
        "supervision.case.closed",
    } <= logged
