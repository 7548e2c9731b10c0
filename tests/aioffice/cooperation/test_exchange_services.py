"""The exchange's services: documents stored with their SHA-256 and shared with named
authorities (linked to an organisation), revoked once; requests of each kind with the due
date aiact gives (or none, or the Office's), on the one clock, answered, declined,
withdrawn, reported on; bad input named by field; every change audited without text."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aiact import evaluate, load_law
from aioffice.accounts.choices import Role
from aioffice.cooperation import services_exchange as services
from aioffice.cooperation.models_exchange import DocumentShare, ExchangeRequest
from aioffice.core.models import AuditEvent
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

from .exchange_world import (
    document,
    es_authority,
    fr_authority,
    fr_member,
    head,
    media_root,
    msa_request,
    open_case,
    pdf,
    support_request,
    unlinked_authority,
    upload,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    media_root(settings, tmp_path)


def today() -> date:
    return timezone.now().date()


def due(clock: str, on: date) -> date:
    answer = evaluate("clock", {"clock": clock, "from": on.isoformat()}, law=load_law())
    return date.fromisoformat(answer["result"]["due"])


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


# --- documents ---------------------------------------------------------------------------------


def test_a_document_is_stored_with_its_sha256_and_audited_without_its_title() -> None:
    made = document("Secret title")
    assert made.sha256 == hashlib.sha256(b"memo bytes\n").hexdigest()
    assert made.size == len(b"memo bytes\n")
    assert made.content_type == "text/plain"
    event = AuditEvent.objects.get(action="cooperation.document.stored")
    assert "Secret title" not in str(event.after_json) + event.object_repr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ", "not accepted"),
        ("fake.pdf", b"hello", "not a valid PDF"),
        ("empty.txt", b"", "empty"),
        ("nul.txt", b"a\x00b", "NUL"),
        ("fake.docx", b"hello", "not a valid DOCX"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=head(), upload=SimpleUploadedFile(name, content), title="T")
    assert message in exc.value.message_dict["file"][0]


def test_a_pdf_is_accepted() -> None:
    made = services.document_upload(actor=head(), upload=pdf(), title="Report")
    assert made.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("title", "field"), [("", "title"), ("a\x00b", "title"), ("x" * 201, "title")]
)
def test_bad_titles_are_named(title: str, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=head(), upload=upload(), title=title)
    assert errors(exc) == {field}


def test_only_exchange_officers_store_and_share() -> None:
    for role in (Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            services.document_upload(actor=user(role, role), upload=upload(), title="T")
    made = document()
    with pytest.raises(PermissionDenied):
        services.document_share(
            actor=fr_member(), document=made, authority=fr_authority(), reason="r"
        )


def test_sharing_needs_an_authority_with_an_organisation_and_a_reason() -> None:
    made = document()
    with pytest.raises(ValidationError) as exc:
        services.document_share(
            actor=head(), document=made, authority=unlinked_authority(), reason="r"
        )
    assert errors(exc) == {"authority"}
    with pytest.raises(ValidationError) as exc:
        services.document_share(actor=head(), document=made, authority=None, reason="r")
    assert errors(exc) == {"authority"}
    with pytest.raises(ValidationError) as exc:
        services.document_share(actor=head(), document=made, authority=fr_authority(), reason="")
    assert errors(exc) == {"reason"}


def test_a_document_is_shared_once_at_a_time_and_revoked_once() -> None:
    made = document()
    share = services.document_share(
        actor=head(), document=made, authority=fr_authority(), reason="Need to know."
    )
    with pytest.raises(ValidationError) as exc:
        services.document_share(
            actor=head(), document=made, authority=fr_authority(), reason="again"
        )
    assert errors(exc) == {"authority"}
    stale = DocumentShare.objects.get(pk=share.pk)  # a second officer's page, loaded before
    services.document_revoke(actor=head(), share=share)
    with pytest.raises(ValidationError) as exc:
        services.document_revoke(actor=head(), share=stale)  # the race: refused, not a 500
    assert errors(exc) == {"share"}
    assert DocumentShare.objects.get(pk=share.pk).revoked_at is not None
    again = services.document_share(
        actor=head(), document=made, authority=fr_authority(), reason="Shared again."
    )
    assert again.pk != share.pk
    actions = list(
        AuditEvent.objects.filter(action__startswith="cooperation.document.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "cooperation.document.stored",
        "cooperation.document.shared",
        "cooperation.document.share_revoked",
        "cooperation.document.shared",
    ]


# --- requests ----------------------------------------------------------------------------------


def test_an_art_75_3_request_is_due_as_aiact_says_on_the_clock() -> None:
    request = msa_request()
    assert request.reference == f"MAR-{today().year}-0001"
    assert request.due_on == due("msa-reply", today())
    assert request.rules_version and request.reasons
    assert any("75(3)" in c for c in request.citations)
    deadline = Deadline.objects.get(source=f"cooperation.exchangerequest:{request.pk}")
    assert deadline.kind == DeadlineKind.MUTUAL_ASSISTANCE
    assert deadline.due_on == request.due_on and deadline.legal
    assert deadline.rules_version == request.rules_version
    assert msa_request(subject="Next").reference == f"MAR-{today().year}-0002"


def test_an_art_75_2a_request_comes_through_the_single_point_of_contact() -> None:
    request = msa_request("msa_assessment")
    assert request.due_on == due("msa-assessment", today())
    assert request.via_single_point_of_contact
    assert Deadline.objects.get(kind=DeadlineKind.MSA_ASSESSMENT).due_on == request.due_on
    assert any("75(2a)" in c for c in request.citations)


def test_an_art_75_2a_request_missing_its_items_is_refused_naming_them() -> None:
    with pytest.raises(ValidationError) as exc:
        msa_request("msa_assessment", operator_named="")
    assert errors(exc) == {"operator_named"}
    authority = fr_authority()
    authority.single_point_of_contact = False
    authority.save()
    with pytest.raises(ValidationError) as exc:
        msa_request("msa_assessment")
    assert errors(exc) == {"authority"}
    assert "single point of contact" in exc.value.message_dict["authority"][0]


def test_an_art_88_2_request_opens_no_deadline_and_says_why() -> None:
    request = msa_request("msa_chapter_v")
    assert request.due_on is None
    assert not Deadline.objects.filter(source=f"cooperation.exchangerequest:{request.pk}")
    assert "no period" in request.reasons[0]
    assert request.citations == ["AI Act, Art. 88(2)"]


def test_the_offices_requests_carry_the_date_it_sets() -> None:
    support = support_request()
    assert support.reference.startswith("SUP-")
    deadline = Deadline.objects.get(source=f"cooperation.exchangerequest:{support.pk}")
    assert deadline.kind == DeadlineKind.SUPPORT_REQUEST and not deadline.legal
    assistance = services.request_submit(
        actor=head(),
        kind="office_assistance",
        authority=es_authority(),
        subject="Inspection on site",
        facts="Assist the inspection (Art. 75(1b)).",
        due_on=today() + timedelta(days=20),
    )
    assert Deadline.objects.get(source=f"cooperation.exchangerequest:{assistance.pk}").kind == (
        DeadlineKind.MUTUAL_ASSISTANCE
    )
    with pytest.raises(ValidationError) as exc:
        services.request_submit(
            actor=head(), kind="support", institution="ecat", subject="s", facts="f"
        )
    assert errors(exc) == {"due_on"}
    with pytest.raises(ValidationError) as exc:
        services.request_submit(
            actor=head(),
            kind="support",
            institution="nasa",
            subject="s",
            facts="f",
            due_on=today() + timedelta(days=1),
        )
    assert errors(exc) == {"institution"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"subject": ""}, "subject"),
        ({"facts": "a\x00b"}, "facts"),
        ({"facts": 42}, "facts"),
        ({"operator_named": "x" * 201}, "operator_named"),
        ({"received_on": date(2000, 1, 1)}, "received_on"),
        ({"received_on": date(2999, 1, 1)}, "received_on"),
    ],
)
def test_bad_request_input_is_named(values: dict[str, Any], field: str) -> None:
    base: dict[str, Any] = {
        "kind": "msa_information",
        "subject": "s",
        "facts": "f",
        "authority": fr_authority(),
    }
    with pytest.raises(ValidationError) as exc:
        services.request_submit(actor=fr_member(), **{**base, **values})
    assert errors(exc) == {field}


def test_who_sends_which_request() -> None:
    with pytest.raises(PermissionDenied):  # staff do not write an authority's request
        services.request_submit(
            actor=head(), kind="msa_information", authority=fr_authority(), subject="s", facts="f"
        )
    with pytest.raises(PermissionDenied):  # nor does an authority for another one
        services.request_submit(
            actor=fr_member(),
            kind="msa_information",
            authority=es_authority(),
            subject="s",
            facts="f",
        )
    with pytest.raises(PermissionDenied):  # nor the Office's requests
        services.request_submit(
            actor=fr_member(),
            kind="support",
            institution="jrc",
            subject="s",
            facts="f",
            due_on=today() + timedelta(days=3),
        )


def test_assigning_gives_the_deadline_to_the_officer() -> None:
    request = msa_request()
    officer = user(Role.POLICY_OFFICER, "officer")
    services.request_assign(actor=head(), request=request, officer=officer)
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert Deadline.objects.get(source=f"cooperation.exchangerequest:{request.pk}").owner == officer
    with pytest.raises(ValidationError) as exc:
        services.request_assign(actor=head(), request=request, officer=fr_member())
    assert errors(exc) == {"officer"}


def test_an_answer_meets_the_deadline_or_is_late() -> None:
    request = msa_request()
    services.request_answer(actor=head(), request=request, answer="Here.", files=[upload()])
    request.refresh_from_db()
    assert request.status == "answered" and not request.late
    assert request.files.get().sha256 == hashlib.sha256(b"memo bytes\n").hexdigest()
    assert Deadline.objects.get(source=f"cooperation.exchangerequest:{request.pk}").status == (
        DeadlineStatus.MET
    )
    with pytest.raises(ValidationError) as exc:
        services.request_answer(actor=head(), request=request, answer="Again.")
    assert errors(exc) == {"status"}
    late = msa_request(subject="Late")
    ExchangeRequest.objects.filter(pk=late.pk).update(
        received_on=today() - timedelta(days=60), due_on=today() - timedelta(days=30)
    )
    late.refresh_from_db()
    services.request_answer(actor=head(), request=late, answer="Sorry.")
    late.refresh_from_db()
    assert late.late


def test_an_art_75_2a_answer_says_whether_the_office_acts() -> None:
    request = msa_request("msa_assessment")
    with pytest.raises(ValidationError) as exc:
        services.request_answer(actor=head(), request=request, answer="Hm.")
    assert errors(exc) == {"acts"}
    with pytest.raises(ValidationError) as exc:
        services.request_answer(actor=head(), request=msa_request(), answer="x", acts=True)
    assert errors(exc) == {"acts"}
    services.request_answer(
        actor=head(), request=request, answer="Outside Art. 75(1): national.", acts=False
    )
    request.refresh_from_db()
    assert request.status == "declined" and request.acts is False
    with pytest.raises(ValidationError) as exc:
        services.request_report(
            actor=head(), request=request, text="t", no_confidential_information=True
        )
    assert errors(exc) == {"request"}


def test_progress_reports_without_confidential_information_then_the_outcome() -> None:
    request = msa_request("msa_assessment")
    services.request_answer(actor=head(), request=request, answer="We act.", acts=True)
    with pytest.raises(ValidationError) as exc:
        services.request_report(
            actor=head(), request=request, text="t", no_confidential_information=False
        )
    assert errors(exc) == {"no_confidential_information"}
    services.request_report(
        actor=head(),
        request=request,
        text="Investigation opened.",
        no_confidential_information=True,
    )
    services.request_report(
        actor=head(),
        request=request,
        text="Commitments made binding.",
        no_confidential_information=True,
        outcome=True,
    )
    with pytest.raises(ValidationError) as exc:
        services.request_report(
            actor=head(), request=request, text="t", no_confidential_information=True
        )
    assert errors(exc) == {"outcome"}
    assert request.reports.count() == 2


def test_the_requesting_authority_withdraws_and_the_deadline_is_no_longer_due() -> None:
    request = msa_request()
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=head(), request=request)
    services.request_withdraw(actor=fr_member(), request=request)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert Deadline.objects.get(source=f"cooperation.exchangerequest:{request.pk}").status == (
        DeadlineStatus.CANCELLED
    )
    with pytest.raises(ValidationError):
        services.request_withdraw(actor=fr_member(), request=request)


def test_the_authority_asked_answers_the_offices_request() -> None:
    request = services.request_submit(
        actor=head(),
        kind="office_assistance",
        authority=fr_authority(),
        subject="Joint activity",
        facts="Art. 74(11).",
        due_on=today() + timedelta(days=10),
        case=open_case(),
    )
    services.request_answer(actor=fr_member(), request=request, answer="We join.")
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_by == fr_member()


def test_request_audit_events_hold_no_text() -> None:
    request = msa_request(subject="Very secret subject")
    services.request_answer(actor=head(), request=request, answer="Very secret answer")
    for event in AuditEvent.objects.filter(action__startswith="cooperation.request."):
        blob = f"{event.before_json}{event.after_json}{event.object_repr}"
        assert "secret" not in blob
