"""The case pages: the register (filters, pagination, CSV, query count), opening a case
(reports preselected), the case file with a form per step (errors next to the field the
service names, the fine ceiling, the hearing's minimum period, a pinned query count), the
provider's pages (requests with their Art. 91(4) contents, overdue flagged, answers with
documents, observations) and the shared authority's list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import principal, signed_in_client
from aioffice.supervision import services_cases
from aioffice.supervision.choices import IntakeKind
from aioffice.supervision.models import Case, InformationRequest, Intake

from .test_case_api import (  # noqa: F401
    RFI,
    build_world,
    media_root,
    open_case,
    provider_member,
    send_findings,
    send_rfi,
    staff,
    today,
    upload,
)

pytestmark = pytest.mark.django_db


def _intake(number: int) -> Intake:
    return Intake.objects.create(
        kind=IntakeKind.COMPLAINT, tracking_number=f"C-TEST-{number}", title=f"Report {number}"
    )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_register_lists_filters_and_exports() -> None:
    lead = staff(Role.HEAD_OF_UNIT, "hou")
    open_case(lead, "Alpha Labs", "Alpha case")
    closed = open_case(lead, "Beta Labs", "Beta case")
    services_cases.case_close(actor=lead, case=closed, outcome="discontinued", reasons="Moot.")
    client = signed_in_client(staff(Role.TECHNICAL_OFFICER, "tech"))
    page = client.get(reverse("supervision:case_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "Alpha case" in text and "Beta case" in text
    assert "hou" in text  # the team is in the register; the file is not
    assert 'data-testid="case-new"' not in text  # a technical officer does not open cases
    filtered = client.get(reverse("supervision:case_list"), {"status": "closed"}).content.decode()
    assert "Beta case" in filtered and "Alpha case" not in filtered
    by_provider = client.get(
        reverse("supervision:case_list"), {"provider": closed.provider_id}
    ).content.decode()
    assert "Beta case" in by_provider and "Alpha case" not in by_provider
    assert 'href="/office/supervision/cases.csv?' in by_provider
    csv = client.get(reverse("supervision:case_list_csv"), {"status": "closed"})
    body = b"".join(csv.streaming_content).decode()
    assert body.splitlines()[0].startswith("reference,title,provider")
    assert "Beta case" in body and "Alpha case" not in body
    fragment = client.get(reverse("supervision:case_list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"case-results" in fragment.content


def test_the_register_and_the_case_file_answer_in_a_fixed_number_of_queries() -> None:
    lead = staff(Role.HEAD_OF_UNIT, "hou")
    member = staff(Role.POLICY_OFFICER, "po")
    client = signed_in_client(lead)
    first = open_case(lead, "Query Labs", "Case 0")
    services_cases.case_team_add(actor=lead, case=first, user=member)
    register_few = _queries(client, reverse("supervision:case_list"))
    file_url = reverse("supervision:case_detail", args=[first.pk])
    file_few = _queries(client, file_url)
    for number in range(1, 8):
        case = open_case(lead, f"Query Labs {number}", f"Case {number}")
        services_cases.case_team_add(actor=lead, case=case, user=member)
        send_rfi(lead, first)
        services_cases.document_add(
            actor=lead, case=first, upload=upload(f"d{number}.txt", b"x" * number), title="D"
        )
    send_findings(lead, first)
    assert _queries(client, reverse("supervision:case_list")) <= register_few
    assert _queries(client, file_url) <= file_few + 2  # findings' own list, once
    assert file_few <= 60


def test_a_case_is_opened_from_reports_preselected_in_the_query_string() -> None:
    first, second, _third = _intake(1), _intake(2), _intake(3)
    lead = staff(Role.POLICY_OFFICER, "po")
    client = signed_in_client(lead)
    url = reverse("supervision:case_new")
    page = client.get(url, {"intake": [first.pk, second.pk, "x", "²"]}).content.decode()
    assert page.count("selected") >= 2
    assert f'value="{first.pk}" selected' in page and f'value="{second.pk}" selected' in page
    from aioffice.registry.testing import registered_version

    version = registered_version(provider="Opened Labs", model="Opened")
    made = client.post(
        url,
        {
            "provider": version.model.provider_id,
            "versions": [version.pk],
            "origin": "complaint",
            "title": "From complaints",
            "intakes": [first.pk, second.pk],
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    case = Case.objects.get(title="From complaints")
    assert made["Location"] == reverse("supervision:case_detail", args=[case.pk])
    assert set(case.intakes.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert case.team.get().user == lead
    bad = client.post(url, {"provider": version.model.provider_id, "origin": "complaint"})
    assert bad.status_code == 200 and 'id="id_title-error"' in bad.content.decode()
    refused = signed_in_client(staff(Role.ADMINISTRATOR, "admin")).get(url)
    assert refused.status_code == 403


def test_the_case_file_shows_its_sections_and_a_form_per_step() -> None:
    world = build_world()
    client = signed_in_client(world.lead)
    page = client.get(reverse("supervision:case_detail", args=[world.case.pk])).content.decode()
    for name in (
        "team_add",
        "share",
        "rfi",
        "dialogue",
        "evaluation",
        "access_request",
        "expert",
        "link_run",
        "measure",
        "follow_up",
        "commitments",
        "findings",
        "decision",
        "notify",
        "document",
        "close",
    ):
        assert f'data-testid="step-{name}"' in page, name
    assert 'data-testid="fine-ceiling"' in page and "15000000.00" in page
    assert 'data-testid="hearing-minimum"' in page
    assert world.visible.sha256 in page and world.hidden.sha256 in page
    assert "Not scanned" in page  # the scanner says it scans nothing
    assert world.decision.sha256 in page
    assert f"#{world.run.pk}" in page  # the case's version's run can be linked
    assert "Market surveillance in BE." in page  # the share and its reason


def test_a_step_refused_by_its_service_shows_the_error_next_to_the_field() -> None:
    world = build_world()
    client = signed_in_client(world.lead)
    url = reverse("supervision:case_step", args=[world.case.pk, "rfi"])
    early = client.post(
        url, {**{f"rfi-{k}": v for k, v in RFI.items()}, "rfi-sent_on": "2026-07-01"}
    )
    assert early.status_code == 200
    text = early.content.decode()
    assert 'id="id_rfi-sent_on-error"' in text and "2 August 2026" in text
    missing = client.post(url, {f"rfi-{k}": v for k, v in RFI.items() if k != "fines_notice"})
    assert 'id="id_rfi-fines_notice-error"' in missing.content.decode()
    short = client.post(
        reverse("supervision:case_step", args=[world.case.pk, "findings"]),
        {
            "findings-findings": "f",
            "findings-measures_considered": "m",
            "findings-answer_by": (today() + timedelta(days=3)).isoformat(),
        },
    )
    assert 'id="id_findings-answer_by-error"' in short.content.decode()
    fine = client.post(
        reverse("supervision:case_step", args=[world.other.pk, "decision"]),
        {"decision-kind": "fine", "decision-reasons": "r", "decision-remedies": "x"},
    )
    assert fine.status_code == 403  # not on that team
    done = client.post(url, {f"rfi-{k}": v for k, v in RFI.items()})
    assert done.status_code == 302 and done["Location"].endswith("#step-rfi")
    assert InformationRequest.objects.filter(case=world.case).count() == 2


def test_the_fine_ceiling_follows_the_turnover_entered() -> None:
    world = build_world()
    client = signed_in_client(world.lead)
    page = client.post(
        reverse("supervision:case_step", args=[world.case.pk, "decision"]),
        {
            "decision-kind": "fine",
            "decision-reasons": "r",
            "decision-remedies": "x",
            "decision-turnover_eur": "2000000000",
            "decision-amount_eur": "70000000",
        },
    )
    text = page.content.decode()
    assert "60000000.00" in text  # 3 % of EUR 2 billion
    assert 'id="id_decision-fine_ground-error"' in text


def test_the_provider_sees_its_requests_answers_them_and_sends_observations() -> None:
    world = build_world()
    late = services_cases.rfi_send(
        actor=world.lead, case=world.case, **{**RFI, "sent_on": today() - timedelta(days=30)}
    )
    client = signed_in_client(provider_member(world.case.provider.organisation.name, "own"))
    page = client.get(reverse("supervision:my_case", args=[world.case.pk])).content.decode()
    for text in (
        RFI["purpose"],
        RFI["information_required"],
        RFI["fines_notice"],
        "Art. 91(1)",
        late.due_on.isoformat(),
    ):
        assert text in page, text
    assert 'data-testid="overdue"' in page
    assert world.findings.answer_by.isoformat() in page
    answered = client.post(
        reverse("supervision:my_rfi_answer", args=[late.pk]),
        {
            f"rfi-{late.pk}-answer": "Here it is.",
            f"rfi-{late.pk}-documents": [upload("a.txt", b"a"), upload("b.txt", b"b")],
        },
    )
    assert answered.status_code == 302
    late.refresh_from_db()
    assert late.answered_on == today() and late.documents.count() == 2
    empty = client.post(reverse("supervision:my_rfi_answer", args=[world.rfi.pk]), {})
    assert empty.status_code == 200
    assert f'id="id_rfi-{world.rfi.pk}-answer-error"' in empty.content.decode()
    observed = client.post(
        reverse("supervision:my_findings_observe", args=[world.findings.pk]),
        {f"findings-{world.findings.pk}-observations": "We disagree."},
    )
    assert observed.status_code == 302
    world.findings.refresh_from_db()
    assert world.findings.observations == "We disagree."
    listing = client.get(reverse("supervision:my_cases")).content.decode()
    assert world.case.reference in listing and world.other.reference not in listing


def test_a_national_authority_lists_the_cases_shared_with_it() -> None:
    world = build_world()
    who = principal(Role.NATIONAL_AUTHORITY_MEMBER)
    page = who.client.get(reverse("supervision:shared_cases")).content.decode()
    assert world.case.reference in page and world.other.reference not in page
    share = world.case.shares.get()
    services_cases.case_share_revoke(actor=world.lead, share=share)
    page = who.client.get(reverse("supervision:shared_cases")).content.decode()
    assert world.case.reference not in page
    assert (
        who.client.get(reverse("supervision:case_detail", args=[world.case.pk])).status_code == 403
    )


def test_the_navigation_links_the_cases() -> None:
    staff_page = signed_in_client(staff(Role.POLICY_OFFICER, "po")).get(
        reverse("supervision:case_list")
    )
    assert reverse("supervision:case_list") in staff_page.content.decode()
    build_world()
    provider = signed_in_client(provider_member("Test gpai_provider", "own"))
    page = provider.get(reverse("supervision:my_cases")).content.decode()
    assert f'href="{reverse("supervision:my_cases")}"' in page
