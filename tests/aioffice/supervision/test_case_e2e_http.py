"""End to end over HTTP, on the real database (SQLite here; PostgreSQL with DATABASE_URL):
a downstream provider's complaint → a case opened from it on the staff pages → a request for
information through the API → the provider's answer through the API with a document → an
Art. 92 evaluation with a linked run → preliminary findings → the provider's observations
through its page → a fine decision within the ceiling → the PDF downloaded and its SHA-256
checked → notified → the provider sees it and downloads it → the case closed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import TEST_PASSWORD, organisation, signed_in_client
from aioffice.registry.testing import registered_version
from aioffice.supervision.choices import IntakeKind
from aioffice.supervision.models import Case, Complaint, Decision, Intake

from .test_case_api import FACTORS, RFI, make_run, media_root, provider_member, staff  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/supervision/cases/"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    response = client.post(url, json.dumps(body, default=str), content_type="application/json")
    assert response.status_code in (200, 201), (url, response.content[:1000])
    return response.json()


def _complaint(version: Any) -> Intake:
    """The downstream provider's complaint, through the intake service where it is."""
    downstream = organisation(OrganisationKind.DOWNSTREAM_PROVIDER, "Downstream Apps")
    user = accounts.user_create(
        actor=None, username="downstream", email="d@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None, user=user, organisation=downstream, role=Role.ORGANISATION_MEMBER
    )
    content = {
        "provider_contact_point": "compliance@nimbus.example",
        "facts": "The model's documentation was refused to us.",
        "provisions": "Art. 53(1)(b)",
        "reasons": "Downstream providers are entitled to it.",
    }
    try:
        from aioffice.supervision import services_intake
    except ImportError:  # the intake part is not there: its rows, made directly
        intake = Intake.objects.create(
            kind=IntakeKind.COMPLAINT,
            tracking_number="C-E2E-1",
            title="Documentation refused",
            submitted_by=user,
            organisation=downstream,
            provider=version.model.provider,
        )
        intake.versions.add(version)
        Complaint.objects.create(intake=intake, **content)
        return intake
    return services_intake.complaint_submit(
        actor=user,
        provider=version.model.provider,
        versions=[version],
        title="Documentation refused",
        **content,
    )


def test_complaint_to_fine_decision_notified_and_closed() -> None:
    version = registered_version(provider="Nimbus AI", model="Nimbus", label="2.0")
    intake = _complaint(version)

    # the head of unit opens the case from the complaint on the staff pages
    hou = staff(Role.HEAD_OF_UNIT, "hou")
    office = signed_in_client(hou)
    form = office.get(reverse("supervision:case_new"), {"intake": intake.pk}).content.decode()
    assert f'value="{intake.pk}" selected' in form
    opened = office.post(
        reverse("supervision:case_new"),
        {
            "provider": version.model.provider_id,
            "versions": [version.pk],
            "origin": "complaint",
            "title": "Nimbus documentation",
            "intakes": [intake.pk],
        },
    )
    assert opened.status_code == 302, opened.content.decode()[:3000]
    case = Case.objects.get(title="Nimbus documentation")
    base = f"{API}{case.pk}"

    # a request for information (Art. 91) through the API
    rfi = _post(office, f"{base}/requests", RFI)
    assert rfi["due_on"] and not rfi["overdue"]

    # the provider answers through the API with a document
    provider = signed_in_client(provider_member("Nimbus AI", "nimbus-user"))
    mine = provider.get(API).json()
    assert [c["id"] for c in mine["items"]] == [case.pk]
    evidence = b"%PDF-1.4 the technical documentation\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    answered = provider.post(
        f"{base}/requests/{rfi['id']}/answer",
        {
            "answer": "Our documentation is attached.",
            "files": [SimpleUploadedFile("annex-xi.pdf", evidence, "application/pdf")],
        },
    )
    assert answered.status_code == 200, answered.content
    [document_id] = answered.json()["documents"]
    got = office.get(f"{base}/documents/{document_id}")
    assert got["X-Content-SHA256"] == hashlib.sha256(evidence).hexdigest()

    # an Art. 92 evaluation: the Board consulted, a run of the case's version linked
    evaluation = _post(
        office,
        f"{base}/evaluations",
        {
            "ground": "insufficient_information",
            "board_consulted_on": rfi["sent_on"],
            "board_consultation": "Written consultation of the Board.",
        },
    )
    run = make_run(version)
    linked = _post(office, f"{base}/evaluations/{evaluation['id']}/runs", {"run": run.pk})
    assert linked["runs"] == [run.pk]

    # preliminary findings, with the ten working days
    page = office.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="hearing-minimum"' in page
    from aioffice.supervision.views_cases import hearing_minimum

    minimum = hearing_minimum()
    assert minimum is not None
    findings = _post(
        office,
        f"{base}/findings",
        {
            "findings": "The documentation is incomplete.",
            "measures_considered": "A fine under Art. 101(1)(b).",
            "answer_by": minimum,
        },
    )
    too_early = office.post(
        f"{base}/decisions",
        json.dumps(
            {
                "kind": "fine",
                "reasons": "r",
                "remedies": "x",
                "fine": {
                    "ground": "information",
                    "culpability": "negligence",
                    "turnover_eur": "2000000000",
                    "turnover_year": 2025,
                    "amount_eur": "1000000",
                    "factors": FACTORS,
                },
            }
        ),
        content_type="application/json",
    )
    assert too_early.status_code == 422  # no fine without a hearing

    # the provider's observations through its page
    observed = provider.post(
        reverse("supervision:my_findings_observe", args=[findings["id"]]),
        {f"findings-{findings['id']}-observations": "The omission was inadvertent."},
    )
    assert observed.status_code == 302

    # the fine decision, within the ceiling, the factors weighed
    over = office.post(
        f"{base}/decisions",
        json.dumps(
            {
                "kind": "fine",
                "reasons": "r",
                "remedies": "x",
                "findings": findings["id"],
                "fine": {
                    "ground": "information",
                    "culpability": "negligence",
                    "turnover_eur": "2000000000",
                    "turnover_year": 2025,
                    "amount_eur": "60000000.01",
                    "factors": FACTORS,
                },
            }
        ),
        content_type="application/json",
    )
    assert over.status_code == 422 and "60000000.00" in over.content.decode()
    decision = _post(
        office,
        f"{base}/decisions",
        {
            "kind": "fine",
            "findings": findings["id"],
            "reasons": "Incomplete information in answer to a request (Art. 101(1)(b)).",
            "remedies": "Payment within three months; action before the Court of Justice.",
            "fine": {
                "ground": "information",
                "culpability": "negligence",
                "turnover_eur": "2000000000",
                "turnover_year": 2025,
                "amount_eur": "1000000",
                "factors": FACTORS,
            },
        },
    )
    assert decision["fine"]["ceiling_eur"] in ("60000000.00", "60000000")
    pdf = office.get(f"{base}/decisions/{decision['id']}/decision.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == pdf["X-Content-SHA256"] == decision["sha256"]

    # not notified yet: the provider does not see it
    hidden = provider.get(reverse("supervision:my_decision_pdf", args=[decision["id"]]))
    assert hidden.status_code == 403
    notified = _post(office, f"{base}/decisions/{decision['id']}/notify", {})
    assert notified["notified_on"]

    # the provider sees it, on its page and through the API, and downloads it
    page = provider.get(reverse("supervision:my_case", args=[case.pk])).content.decode()
    assert "1000000" in page and decision["sha256"] in page
    theirs = provider.get(reverse("supervision:my_decision_pdf", args=[decision["id"]]))
    assert hashlib.sha256(b"".join(theirs.streaming_content)).hexdigest() == decision["sha256"]
    detail = provider.get(base).json()
    assert [d["id"] for d in detail["decisions"]] == [decision["id"]]
    assert detail["evaluations"] == [] and detail["case"]["team"] == []

    # closed with its outcome
    closed = _post(office, f"{base}/close", {"outcome": "fined", "reasons": "Fine imposed."})
    assert closed["status"] == "closed" and closed["outcome"] == "fined"
    steps = [s["kind"] for s in office.get(base).json()["steps"]]
    for kind in (
        "opened",
        "rfi_sent",
        "rfi_answered",
        "evaluation_opened",
        "run_linked",
        "findings_sent",
        "hearing_answered",
        "decision",
        "closed",
    ):
        assert kind in steps, (kind, steps)
    assert Decision.objects.get(pk=decision["id"]).fine.amount_eur == 1000000
    opened_events = AuditEvent.objects.filter(
        action="supervision.case.opened", object_id=str(case.pk)
    )
    assert opened_events.filter(actor_id=hou.pk).exists()
    assert opened_events.exclude(actor_id=hou.pk).exists()  # the provider's openings too
