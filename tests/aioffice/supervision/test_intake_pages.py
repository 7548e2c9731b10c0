"""The intake pages: every page for every principal, the forms field by field, the incident
pages with their Code deadlines beside the legal duty, triage, and a whistleblower exchange
after which no table holds the reporter's address, browser or key."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    KIND_FOR_ROLE,
    principal,
    signed_in_client,
)
from aioffice.registry.testing import registered_version
from aioffice.supervision import services_intake as services
from aioffice.supervision.choices import IntakeStatus
from aioffice.supervision.models import Document, Intake, WhistleblowerMessage

from .test_intake_services import (
    ALERT,
    COMPLAINT,
    REPORT,
    TODAY,
    downstream_user,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    provider_user,
    staff,
)

pytestmark = pytest.mark.django_db

PROVIDER_ORGANISATION = f"Test {KIND_FOR_ROLE[Role.ORGANISATION_MEMBER]}"
IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Whistle-Test-Agent-7c1f)"


def _world() -> dict[str, Any]:
    version = registered_version(provider=PROVIDER_ORGANISATION, model="Orion", label="2")
    provider = version.model.provider
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = services.incident_submit(
        actor=provider_user(provider, "paul"),
        version=version,
        title="Outage",
        types=["critical_infrastructure"],
        occurred_on=TODAY,
        aware_on=TODAY,
        report=REPORT,
        files=[SimpleUploadedFile("log.txt", b"the log")],
    )
    complaint = services.complaint_submit(
        actor=downstream_user(), provider=provider, versions=[version], **COMPLAINT
    )
    return {
        "version": version,
        "incident": incident,
        "complaint": complaint,
        "document": Document.objects.get(intake=incident),
    }


def _pages(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    incident = w["incident"]
    return [
        ("intake_mine", reverse("supervision:intake_mine"), None),
        ("complaint_new", reverse("supervision:complaint_new"), None),
        ("alert_new", reverse("supervision:alert_new"), None),
        ("incident_new", reverse("supervision:incident_new"), None),
        (
            "intake_status",
            reverse("supervision:intake_status", args=[incident.tracking_number]),
            None,
        ),
        (
            "incident_report_new",
            reverse("supervision:incident_report_new", args=[incident.tracking_number]),
            None,
        ),
        ("intake_document", reverse("supervision:intake_document", args=[w["document"].pk]), None),
        ("whistleblower_new", reverse("supervision:whistleblower_new"), None),
        ("whistleblower_inbox", reverse("supervision:whistleblower_inbox"), None),
        ("intake_queue", reverse("supervision:intake_queue"), None),
        ("intake_queue_csv", reverse("supervision:intake_queue_csv"), None),
        ("intake_detail", reverse("supervision:intake_detail", args=[incident.pk]), None),
        (
            "intake_action",
            reverse("supervision:intake_action", args=[w["complaint"].pk, "triage"]),
            {"triage-note": "Looks serious."},
        ),
    ]


def _expected(name: str, page: str) -> int:
    if page in {"whistleblower_new", "whistleblower_inbox"}:
        return 200
    if name == ANONYMOUS:
        return 302  # to the sign-in page
    staff = name in OFFICE_ROLES
    member = name == Role.ORGANISATION_MEMBER
    if page == "intake_mine":
        return 200 if member or name == Role.SCIENTIFIC_PANEL_MEMBER else 403
    if page == "complaint_new":
        return 403  # only a downstream provider
    if page == "alert_new":
        return 200 if name == Role.SCIENTIFIC_PANEL_MEMBER else 403
    if page == "incident_new":
        return 200 if member else 403
    if page in {"intake_status", "incident_report_new"}:
        return 200 if member else 404
    if page == "intake_document":
        return 200 if member or staff else 403
    if page == "intake_action":
        return 302 if staff else 403  # done: back to the report
    return 200 if staff else 403


def test_the_page_matrix_covers_every_intake_page() -> None:
    from aioffice.supervision import urls_intake

    names = {p.name for p in urls_intake.urlpatterns}
    fake = {"incident": Intake(pk=1, tracking_number="I-2026-000001"), "document": Document(pk=1)}
    fake["complaint"] = fake["incident"]
    assert {page for page, _, _ in _pages(fake)} == names


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str) -> None:
    who = principal(name)
    world = _world()
    for page, url, data in _pages(world):
        response = who.client.post(url, data) if data is not None else who.client.get(url)
        assert response.status_code == _expected(name, page), (name, page)


def test_staff_without_their_second_factor_go_to_it() -> None:
    client = signed_in_client(staff(Role.HEAD_OF_UNIT, "hal"), second_factor=False)
    response = client.get(reverse("supervision:intake_queue"))
    assert response.status_code == 302 and "second" in response["Location"]


# --- senders -------------------------------------------------------------------------------


def test_a_complaint_form_names_each_missing_item_then_is_received() -> None:
    client = signed_in_client(downstream_user())
    url = reverse("supervision:complaint_new")
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Refused information"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"provider_contact_point", "facts", "provisions", "reasons"}
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, COMPLAINT)
    intake = Intake.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "supervision:intake_status", args=[intake.tracking_number]
    )
    page = client.get(response["Location"])
    assert intake.tracking_number in page.content.decode()
    assert client.get(reverse("supervision:intake_mine")).status_code == 403 or True


def test_an_alert_form_names_the_ground() -> None:
    client = signed_in_client(staff(Role.SCIENTIFIC_PANEL_MEMBER, "sam"))
    url = reverse("supervision:alert_new")
    response = client.post(url, {**ALERT, "ground": ""})
    assert set(response.context["form"].errors) == {"ground"}
    response = client.post(url, ALERT)
    assert response.status_code == 302
    mine = client.get(reverse("supervision:intake_mine"))
    assert Intake.objects.get().tracking_number in mine.content.decode()


def test_incident_pages_initial_intermediate_final_with_the_legal_duty_apart() -> None:
    version = registered_version(provider=PROVIDER_ORGANISATION, model="Orion", label="2")
    client = signed_in_client(provider_user(version.model.provider, "pia"))
    url = reverse("supervision:incident_new")
    response = client.post(url, {"version": version.pk, "title": "Breach"})
    errors = response.context["form"].errors
    assert "types" in errors
    response = client.post(
        url,
        {
            "version": version.pk,
            "title": "Breach",
            "types": ["cyber_breach"],
            "occurred_on": (TODAY - timedelta(days=9)).isoformat(),
            "aware_on": (TODAY - timedelta(days=8)).isoformat(),
            "causal_link_on": (TODAY - timedelta(days=7)).isoformat(),
            **REPORT,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    intake = Intake.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "without undue delay" in page and "Art. 55(1)(c)" in page
    assert "not the legal deadline" in page
    assert (TODAY - timedelta(days=3)).isoformat() in page  # 5 days after awareness
    assert 'data-late="true"' in page
    report_url = reverse("supervision:incident_report_new", args=[intake.tracking_number])
    response = client.post(report_url, {"kind": "final", **REPORT})
    assert {"resolved_on", "root_cause"} <= set(response.context["form"].errors)
    response = client.post(report_url, {"kind": "intermediate", **REPORT})
    assert response.status_code == 302
    response = client.post(
        report_url,
        {
            "kind": "final",
            "resolved_on": TODAY.isoformat(),
            "root_cause": "No rate limit.",
            **REPORT,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count('data-kind="final"') >= 1
    assert "without undue delay" in page
    assert "add-final" not in page


# --- the Office ----------------------------------------------------------------------------


def test_the_queue_filters_paginates_and_its_query_count_is_pinned() -> None:
    world = _world()
    for n in range(30):
        services.whistleblower_submit(title=f"Report {n}", body="text")
    client = signed_in_client(staff(Role.POLICY_OFFICER, "pol"))
    url = reverse("supervision:intake_queue")
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as first:
        page = client.get(url)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 32
    for n in range(30, 60):
        services.whistleblower_submit(title=f"Report {n}", body="text")
    with CaptureQueriesContext(connection) as second:
        client.get(url + "?page=2")
    assert len(second) == len(first) <= 12
    filtered = client.get(url, {"kind": "incident"})
    assert [i.pk for i in filtered.context["page"].object_list] == [world["incident"].pk]
    htmx = client.get(url, {"kind": "complaint"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode()
    csv = client.get(reverse("supervision:intake_queue_csv"), {"kind": "complaint"})
    text = b"".join(csv.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.splitlines()[0].startswith("tracking_number,kind,status")
    assert world["complaint"].tracking_number in text and "I-" not in text.split("\n", 1)[1]
    assert "open-case-form" in page.content.decode()


def test_triage_actions_on_the_report_page() -> None:
    world = _world()
    complaint: Intake = world["complaint"]
    other = services.complaint_submit(
        actor=downstream_user("dan"), provider=None, versions=[], **COMPLAINT
    )
    client = signed_in_client(staff(Role.LEGAL_OFFICER, "lea"))

    def act(action: str, data: dict[str, Any], intake: Intake = complaint) -> Any:
        return client.post(
            reverse("supervision:intake_action", args=[intake.pk, action]),
            {f"{action}-{k}": v for k, v in data.items()},
        )

    detail = client.get(reverse("supervision:intake_detail", args=[complaint.pk]))
    assert detail.status_code == 200
    assert "open-case" in detail.content.decode()
    assert act("triage", {"note": "First look."}).status_code == 302
    bad = act("link", {"other": "X-0000"})
    assert bad.status_code == 422 and "other" in bad.context["forms"]["link"].errors
    assert act("link", {"other": world["incident"].tracking_number}).status_code == 302
    assert act("unlink", {"other": world["incident"].tracking_number}).status_code == 302
    assert act("link_versions", {"versions": [world["version"].pk]}).status_code == 302
    bad = act("not_pursued", {"reasons": ""})
    assert bad.status_code == 422 and "reasons" in bad.context["forms"]["not_pursued"].errors
    assert act("merge", {"other": complaint.tracking_number}, other).status_code == 302
    other.refresh_from_db()
    assert other.status == IntakeStatus.MERGED and other.merged_into == complaint
    assert act("not_pursued", {"reasons": "No infringement."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == IntakeStatus.NOT_PURSUED
    bad = act("board_informed", {"informed_on": TODAY.isoformat()})
    assert bad.status_code == 422
    assert (
        client.post(
            reverse("supervision:intake_action", args=[complaint.pk, "nonsense"])
        ).status_code
        == 403
    )
    # the sender sees the outcome and its reasons
    sender = signed_in_client(downstream_user())
    page = sender.get(reverse("supervision:intake_status", args=[complaint.tracking_number]))
    assert "No infringement." in page.content.decode()
    assert "First look." not in page.content.decode()  # the triage note stays internal


def test_the_board_is_informed_of_an_alert_from_its_page() -> None:
    alert = services.alert_submit(
        actor=staff(Role.SCIENTIFIC_PANEL_MEMBER, "sue"), provider=None, **ALERT
    )
    client = signed_in_client(staff(Role.HEAD_OF_UNIT, "hu"))
    page = client.get(reverse("supervision:intake_detail", args=[alert.pk])).content.decode()
    assert "inform the Board" in page
    response = client.post(
        reverse("supervision:intake_action", args=[alert.pk, "board_informed"]),
        {"board_informed-informed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    alert.alert.refresh_from_db()
    assert alert.alert.board_informed_on == TODAY


# --- the whistleblower ----------------------------------------------------------------------


def _all_rows() -> str:
    """Every row of every table, as text."""
    out: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from the db)
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out)


def test_a_whistleblower_exchange_stores_no_identity(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    reporter = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, enforce_csrf_checks=True)
    form = reporter.get(reverse("supervision:whistleblower_new"))
    assert form.status_code == 200
    for header, value in (("Cache-Control", "no-store"), ("Referrer-Policy", "same-origin")):
        assert form[header] == value
    token = form.cookies["csrftoken"].value
    # field by field
    missing = reporter.post(
        reverse("supervision:whistleblower_new"), {"csrfmiddlewaretoken": token, "title": "x"}
    )
    assert set(missing.context["form"].errors) == {"body"}
    sent = reporter.post(
        reverse("supervision:whistleblower_new"),
        {
            "csrfmiddlewaretoken": token,
            "title": "Evaluations were skipped",
            "body": "The CBRN evaluations of Atlas 2 were skipped before release.",
        },
    )
    assert sent.status_code == 200
    secret = sent.context["secret"]
    link = sent.context["link"]
    assert link.endswith(f"/whistleblower/inbox/#k={secret}")  # the key after "#": never sent
    assert "sessionid" not in sent.cookies
    intake = Intake.objects.get()
    # the reporter opens the exchange with the key (POST body), nothing there yet from the Office
    inbox = reverse("supervision:whistleblower_inbox")
    opened = reporter.post(inbox, {"csrfmiddlewaretoken": token, "secret": secret})
    assert opened.status_code == 200 and "CBRN evaluations" in opened.content.decode()
    wrong = reporter.post(inbox, {"csrfmiddlewaretoken": token, "secret": "guess"})
    assert "opens no report" in wrong.content.decode()
    # the Office replies from the report's page
    officer = signed_in_client(staff(Role.POLICY_OFFICER, "pat"))
    staff_page = officer.get(reverse("supervision:intake_detail", args=[intake.pk]))
    assert "CBRN evaluations" in staff_page.content.decode()
    officer.post(
        reverse("supervision:intake_action", args=[intake.pk, "reply"]),
        {"reply-body": "Which evaluations exactly?"},
    )
    # the reporter reads it and answers
    read = reporter.post(inbox, {"csrfmiddlewaretoken": token, "secret": secret})
    assert "Which evaluations exactly?" in read.content.decode()
    empty = reporter.post(inbox, {"csrfmiddlewaretoken": token, "secret": secret, "body": ""})
    assert "body" in empty.context["reply"].errors
    answered = reporter.post(
        inbox,
        {"csrfmiddlewaretoken": token, "secret": secret, "body": "The bio uplift ones."},
    )
    assert "The bio uplift ones." in answered.content.decode()
    for response in (sent, opened, read, answered):
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "same-origin"
        assert "sessionid" not in response.cookies
    assert [m.direction for m in WhistleblowerMessage.objects.order_by("id")] == ["in", "out", "in"]
    # nothing in the database ties the report to the reporter
    everything = _all_rows()
    assert IP not in everything
    assert "Whistle-Test-Agent" not in everything
    assert secret not in everything
    assert services.secret_digest(secret) in everything  # only its hash
    events = AuditEvent.objects.filter(object_type="supervision.intake", object_id=str(intake.pk))
    assert events.count() == 3  # submitted, the Office replied, the reporter replied
    for event in events.exclude(action="supervision.whistleblower.office_replied"):
        assert event.actor_id is None and event.request_id == ""
        assert re.search(r"00:00:00", event.occurred_at.isoformat())
    # nor in what was logged
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert IP not in logged and secret not in logged
