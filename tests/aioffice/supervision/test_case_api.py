"""The cases API, step by step, by the case's team: each step posts the service's field
names; refusals are 422 naming the field, 403 or 404. Also the builders of a case world the
other case tests use (`World`, `build_world`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import KIND_FOR_ROLE, make_user, organisation, signed_in_client
from aioffice.evaluations import services as evaluations
from aioffice.evaluations.choices import TargetKind
from aioffice.evaluations.models import EvaluationRun
from aioffice.registry.models import ModelVersion
from aioffice.registry.testing import registered_provider, registered_version
from aioffice.supervision import services_cases
from aioffice.supervision.models import (
    Case,
    Decision,
    Document,
    InformationRequest,
    PreliminaryFindings,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/supervision/cases/"
# the provider organisation of the "organisation_member" principal (core.testing)
OWN_PROVIDER = f"Test {KIND_FOR_ROLE[Role.ORGANISATION_MEMBER]}"
AUTHORITY = f"Test {KIND_FOR_ROLE[Role.NATIONAL_AUTHORITY_MEMBER]}"
RFI = {
    "legal_basis": "art91_1",
    "purpose": "Assess compliance with Art. 53(1)(a).",
    "information_required": "The technical documentation of Annex XI.",
    "time_limit_days": 14,
    "fines_notice": "Incorrect, incomplete or misleading information may be fined (Art. 101).",
}
FACTORS = {
    "nature": "Documentation withheld.",
    "gravity": "Limited.",
    "duration": "Three months.",
    "proportionality": "Proportionate and appropriate to the turnover.",
    "commitments": "None offered.",
}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def today() -> date:
    return timezone.now().date()


def staff(role: str, username: str) -> User:
    return User.objects.filter(username=username).first() or make_user(role, username)


def provider_member(provider_name: str, username: str) -> User:
    """A member of a provider's organisation (the provider registered as needed)."""
    provider = registered_provider(provider_name)
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    from aioffice.accounts import services as accounts
    from aioffice.core.testing import TEST_PASSWORD

    user = accounts.user_create(
        actor=None, username=username, email=f"{username}@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return user


def authority() -> Organisation:
    return organisation(OrganisationKind.NATIONAL_AUTHORITY, AUTHORITY)


def upload(name: str = "evidence.txt", content: bytes = b"evidence bytes\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def make_run(version: ModelVersion) -> EvaluationRun:
    target = evaluations.target_create(
        actor=None, version=version, name=f"mock-{version.pk}", kind=TargetKind.MOCK
    )
    return evaluations.run_queue(
        actor=None, version=version, target=target, suite="smoke", enqueue=False
    )


def open_case(lead: User, provider_name: str, title: str = "Documentation") -> Case:
    version = registered_version(provider=provider_name, model=f"{title} model")
    return services_cases.case_open(
        actor=lead,
        provider=version.model.provider,
        title=title,
        origin="ex_officio",
        versions=[version],
    )


def send_rfi(lead: User, case: Case) -> InformationRequest:
    return services_cases.rfi_send(actor=lead, case=case, **RFI)


def send_findings(lead: User, case: Case, **extra: Any) -> PreliminaryFindings:
    return services_cases.findings_send(
        actor=lead,
        case=case,
        findings="The documentation was not provided.",
        measures_considered="A fine under Art. 101(1)(b).",
        answer_by=today() + timedelta(days=30),
        **extra,
    )


@dataclass
class World:
    """Two providers' cases: `case` of the principal's own provider (OWN_PROVIDER), led by
    `lead`, shared with AUTHORITY, with a request, findings, a visible document, a hidden
    document and a notified decision; `other` of another provider, led by `other_lead`."""

    lead: User
    member: User
    other_lead: User
    case: Case
    other: Case
    rfi: InformationRequest
    other_rfi: InformationRequest
    findings: PreliminaryFindings
    other_findings: PreliminaryFindings
    visible: Document
    hidden: Document
    other_document: Document
    decision: Decision
    other_decision: Decision
    run: EvaluationRun

    def ids(self) -> dict[str, int]:
        return {
            "case": self.case.pk,
            "other": self.other.pk,
            "rfi": self.rfi.pk,
            "other_rfi": self.other_rfi.pk,
            "findings": self.findings.pk,
            "other_findings": self.other_findings.pk,
            "visible": self.visible.pk,
            "hidden": self.hidden.pk,
            "other_document": self.other_document.pk,
            "decision": self.decision.pk,
            "other_decision": self.other_decision.pk,
            "run": self.run.pk,
            "lead": self.lead.pk,
            "member": self.member.pk,
        }


def _decided(lead: User, case: Case) -> Decision:
    decision = services_cases.decision_adopt(
        actor=lead,
        case=case,
        kind="no_grounds",
        reasons="The provider supplied the documentation.",
        remedies="An action before the Court of Justice within two months (Art. 263 TFEU).",
    )
    return services_cases.decision_notify(actor=lead, decision=decision)


def build_world() -> World:
    lead = staff(Role.HEAD_OF_UNIT, "case-lead")
    member = staff(Role.POLICY_OFFICER, "case-member")
    other_lead = staff(Role.LEGAL_OFFICER, "other-lead")
    case = open_case(lead, OWN_PROVIDER, "Own provider's case")
    services_cases.case_team_add(actor=lead, case=case, user=member)
    services_cases.case_share(
        actor=lead, case=case, authority=authority(), reason="Market surveillance in BE."
    )
    rfi = send_rfi(lead, case)
    findings = send_findings(lead, case)
    visible = services_cases.document_add(
        actor=lead, case=case, upload=upload("letter.txt"), title="Letter", visible_to_provider=True
    )
    hidden = services_cases.document_add(
        actor=lead, case=case, upload=upload("note.txt"), title="Internal note"
    )
    decision = _decided(lead, case)
    other = open_case(other_lead, "Other Labs", "Other provider's case")
    other_rfi = send_rfi(other_lead, other)
    other_findings = send_findings(other_lead, other)
    other_document = services_cases.document_add(
        actor=other_lead,
        case=other,
        upload=upload("theirs.txt"),
        title="Their letter",
        visible_to_provider=True,
    )
    other_decision = _decided(other_lead, other)
    run = make_run(case.versions.get())
    return World(
        lead=lead,
        member=member,
        other_lead=other_lead,
        case=case,
        other=other,
        rfi=rfi,
        other_rfi=other_rfi,
        findings=findings,
        other_findings=other_findings,
        visible=visible,
        hidden=hidden,
        other_document=other_document,
        decision=decision,
        other_decision=other_decision,
        run=run,
    )


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors", [])}


# --- tests --------------------------------------------------------------------------------


def test_the_team_takes_each_step_through_the_api() -> None:
    lead = staff(Role.HEAD_OF_UNIT, "hou")
    client = signed_in_client(lead)
    version = registered_version(provider="Api Labs", model="Api model")
    provider = version.model.provider
    made = post(
        client,
        PREFIX,
        {
            "provider": provider.pk,
            "title": "API case",
            "origin": "ex_officio",
            "versions": [version.pk],
        },
    )
    assert made.status_code == 201, made.content
    case_id = made.json()["id"]
    assert made.json()["team"][0]["username"] == "hou"
    base = f"{PREFIX}{case_id}"

    officer = staff(Role.TECHNICAL_OFFICER, "techie")
    added = post(client, f"{base}/team", {"user": officer.pk})
    assert added.status_code == 201, added.content
    assert {m["username"] for m in added.json()} == {"hou", "techie"}
    removed = post(client, f"{base}/team/remove", {"user": officer.pk})
    assert removed.status_code == 200 and {m["username"] for m in removed.json()} == {"hou"}

    shared = post(client, f"{base}/shares", {"authority": authority().pk, "reason": "Joint work."})
    assert shared.status_code == 201, shared.content
    revoked = post(client, f"{base}/shares/{shared.json()['id']}/revoke", {})
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]

    rfi = post(client, f"{base}/requests", RFI)
    assert rfi.status_code == 201, rfi.content
    assert (
        rfi.json()["due_on"] == (today() + timedelta(days=14)).isoformat() or rfi.json()["due_on"]
    )

    meeting = post(
        client,
        f"{base}/meetings",
        {"held_on": today(), "purpose": "Dialogue", "attendees": "hou; provider", "notes": "n"},
    )
    assert meeting.status_code == 201, meeting.content
    not_sr = post(
        client,
        f"{base}/evaluations",
        {"ground": "systemic_risk", "board_consulted_on": today(), "board_consultation": "W."},
    )
    assert not_sr.status_code == 422 and "ground" in fields(not_sr), not_sr.content
    answerer = provider_member("Api Labs", "api-labs-user")
    services_cases.rfi_answer(
        actor=answerer,
        request=InformationRequest.objects.get(pk=rfi.json()["id"]),
        answer="Incomplete.",
    )
    evaluation = post(
        client,
        f"{base}/evaluations",
        {
            "ground": "insufficient_information",
            "board_consulted_on": today(),
            "board_consultation": "Written procedure.",
        },
    )
    assert evaluation.status_code == 201, evaluation.content
    if evaluation.status_code == 201:
        e = f"{base}/evaluations/{evaluation.json()['id']}"
        access = post(
            client,
            f"{e}/access-request",
            {
                "legal_basis": "Art. 92(3)",
                "purpose": "Evaluate",
                "reasons": "Risk",
                "means": "API access",
                "time_limit_days": 10,
                "fines_notice": "Art. 101(1)(d)",
            },
        )
        assert access.status_code == 200, access.content
        granted = post(client, f"{e}/access-granted", {})
        assert granted.status_code == 200 and granted.json()["access_granted_on"]
        expert = post(
            client,
            f"{e}/experts",
            {"name": "Dr Expert", "declaration_of_interests": "None.", "declared_on": today()},
        )
        assert expert.status_code == 201, expert.content
        run = make_run(version)
        linked = post(client, f"{e}/runs", {"run": run.pk})
        assert linked.status_code == 200 and linked.json()["runs"] == [run.pk]
        foreign = make_run(registered_version(provider="Elsewhere", model="X"))
        refused = post(client, f"{e}/runs", {"run": foreign.pk})
        assert refused.status_code == 422 and "run" in fields(refused)
        found = post(client, f"{e}/findings", {"findings": "Fine.", "serious_concern": False})
        assert found.status_code == 200, found.content

    document = client.post(
        f"{base}/documents",
        {"file": upload("v1.txt", b"first"), "title": "Memo", "visible_to_provider": "false"},
    )
    assert document.status_code == 201, document.content
    assert document.json()["sha256"] == hashlib.sha256(b"first").hexdigest()
    second = client.post(
        f"{base}/documents",
        {
            "file": upload("v2.txt", b"second"),
            "title": "Memo",
            "supersedes": str(document.json()["id"]),
        },
    )
    assert second.status_code == 201 and second.json()["version"] == 2
    got = client.get(f"{base}/documents/{document.json()['id']}")
    assert got.status_code == 200
    assert got["X-Content-SHA256"] == hashlib.sha256(b"first").hexdigest()

    findings = post(
        client,
        f"{base}/findings",
        {
            "findings": "The summary of training content is missing.",
            "measures_considered": "A measure under Art. 93(1)(a).",
            "answer_by": today() + timedelta(days=30),
        },
    )
    assert findings.status_code == 201, findings.content
    services_cases.findings_observe(
        actor=answerer,
        findings=PreliminaryFindings.objects.get(pk=findings.json()["id"]),
        observations="We will publish it.",
    )
    measure = post(
        client,
        f"{base}/measures",
        {
            "kind": "compliance",
            "description": "Publish the summary.",
            "grounds": "Art. 53(1)(d)",
            "due_on": today() + timedelta(days=30),
        },
    )
    assert measure.status_code == 201, measure.content
    if measure.status_code == 201:
        follow = post(
            client,
            f"{base}/measures/{measure.json()['id']}/follow-up",
            {"status": "complied", "follow_up": "Published."},
        )
        assert follow.status_code == 200 and follow.json()["status"] == "complied"

    closed = post(client, f"{base}/close", {"outcome": "complied", "reasons": "Complied."})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    detail = client.get(f"{base}")
    assert detail.status_code == 200 and detail.json()["view"] == "team"
    kinds = [s["kind"] for s in detail.json()["steps"]]
    assert kinds[0] == "opened" and kinds[-1] == "closed"


def test_refusals_name_the_field() -> None:
    lead = staff(Role.HEAD_OF_UNIT, "hou")
    client = signed_in_client(lead)
    case = open_case(lead, "Refused Labs")
    base = f"{PREFIX}{case.pk}"
    no_basis = post(client, f"{base}/requests", {**RFI, "legal_basis": ""})
    assert no_basis.status_code == 422 and "legal_basis" in fields(no_basis), no_basis.content
    no_notice = post(client, f"{base}/requests", {**RFI, "fines_notice": ""})
    assert no_notice.status_code == 422 and "fines_notice" in fields(no_notice)
    early = post(client, f"{base}/requests", {**RFI, "sent_on": "2026-07-01"})
    assert early.status_code == 422, early.content
    assert "2 August 2026" in early.json()["message"]
    future = post(client, f"{base}/requests", {**RFI, "sent_on": today() + timedelta(days=3)})
    assert future.status_code == 422, future.content
    short = post(
        client,
        f"{base}/findings",
        {"findings": "f", "measures_considered": "m", "answer_by": today() + timedelta(days=2)},
    )
    assert short.status_code == 422 and "answer_by" in fields(short), short.content
    urgent = post(
        client,
        f"{base}/findings",
        {
            "findings": "f",
            "measures_considered": "m",
            "answer_by": today() + timedelta(days=2),
            "urgent": True,
            "urgency_grounds": "Imminent harm.",
        },
    )
    assert urgent.status_code == 201, urgent.content
    fine = post(
        client,
        f"{base}/decisions",
        {
            "kind": "fine",
            "reasons": "r",
            "remedies": "x",
            "fine": {
                "ground": "information",
                "culpability": "negligence",
                "turnover_eur": "1000000000",
                "turnover_year": 2025,
                "amount_eur": "100000",
                "factors": FACTORS,
            },
        },
    )
    assert fine.status_code == 422 and "findings" in fields(fine), fine.content
    assert post(client, f"{base}/team", {"user": 10**12}).status_code == 422
    bad = post(client, f"{base}/commitments", {"meeting": 10**12, "text": "t"})
    assert bad.status_code == 422 and "meeting" in fields(bad)
    assert post(client, f"{PREFIX}{10**12}/requests", RFI).status_code == 404
    assert client.get(f"{PREFIX}{2**63}").status_code in (404, 422)
    assert post(client, f"{base}/shares/{10**12}/revoke", {}).status_code == 404


def test_register_filters_and_paginates() -> None:
    lead = staff(Role.HEAD_OF_UNIT, "hou")
    for number in range(3):
        open_case(lead, f"Labs {number}", f"Case {number}")
    client = signed_in_client(staff(Role.ADMINISTRATOR, "admin"))  # not on any team
    page = client.get(f"{PREFIX}?page_size=2")
    assert page.status_code == 200 and page.json()["count"] == 3
    assert len(page.json()["items"]) == 2
    assert page.json()["items"][0]["team"][0]["username"] == "hou"
    closed = client.get(f"{PREFIX}?status=closed")
    assert closed.json()["count"] == 0
    assert client.get(f"{PREFIX}?status=nonsense").status_code == 422
    csv = client.get(f"{PREFIX}register.csv")
    assert csv.status_code == 200 and b"Case 0" in b"".join(csv.streaming_content)
    # the register is not the file: someone not on the team cannot open it
    case = Case.objects.first()
    assert case is not None
    assert client.get(f"{PREFIX}{case.pk}").status_code == 403


def test_the_provider_answers_a_request_with_files_and_observes_findings() -> None:
    world = build_world()
    user = provider_member(OWN_PROVIDER, "provider-user")
    client = signed_in_client(user)
    url = f"{PREFIX}{world.case.pk}/requests/{world.rfi.pk}/answer"
    answered = client.post(
        url, {"answer": "Attached.", "files": [upload("a.txt", b"A"), upload("b.txt", b"B")]}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["answered_on"] and len(answered.json()["documents"]) == 2
    empty = client.post(
        f"{PREFIX}{world.other.pk}/requests/{world.other_rfi.pk}/answer", {"answer": "x"}
    )
    assert empty.status_code == 403
    wrong_case = client.post(
        f"{PREFIX}{world.other.pk}/requests/{world.rfi.pk}/answer", {"answer": "x"}
    )
    assert wrong_case.status_code == 404
    observed = client.post(
        f"{PREFIX}{world.case.pk}/findings/{world.findings.pk}/observations",
        {"observations": "We disagree."},
    )
    assert observed.status_code == 200, observed.content
    assert observed.json()["observations"] == "We disagree."
    mine = client.get(f"{PREFIX}{world.case.pk}")
    assert mine.status_code == 200 and mine.json()["view"] == "provider"
    body = mine.json()
    assert body["shares"] == [] and body["case"]["team"] == []
    assert world.hidden.pk not in {d["id"] for d in body["documents"]}
    assert world.visible.pk in {d["id"] for d in body["documents"]}
    assert client.get(f"{PREFIX}{world.other.pk}").status_code == 403
    listed = client.get(PREFIX).json()
    assert [c["id"] for c in listed["items"]] == [world.case.pk]


def test_opening_a_case_file_and_a_document_is_audited() -> None:
    world = build_world()
    client = signed_in_client(world.member)
    before = AuditEvent.objects.filter(action="supervision.case.opened").count()
    assert client.get(f"{PREFIX}{world.case.pk}").status_code == 200
    opened = AuditEvent.objects.filter(action="supervision.case.opened").order_by("-seq").first()
    assert opened is not None and opened.actor_id == world.member.pk
    assert AuditEvent.objects.filter(action="supervision.case.opened").count() == before + 1
    assert client.get(f"{PREFIX}{world.case.pk}/documents/{world.hidden.pk}").status_code == 200
    doc = AuditEvent.objects.filter(action="supervision.document.opened").order_by("-seq").first()
    assert doc is not None and doc.actor_id == world.member.pk
    assert doc.object_id == str(world.hidden.pk)
