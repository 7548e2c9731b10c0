"""The services of the portal's help for the public: practices and structures (audited,
validated field by field), questions to the Office (tracking number, key stored as a
digest only, e-mails after the commit, answer and close once), the purge after the
retention period; and no personal data in the audit trail. The data helpers here are
shared by the other test_help modules."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.portal import selectors_help as selectors
from aioffice.portal import services_help as services
from aioffice.portal.choices import EnquiryStatus
from aioffice.portal.models_help import Enquiry, LiteracyPractice, SupportStructure

PRACTICE: dict[str, Any] = {
    "title": "Lunchtime sessions on chatbots",
    "organisation": "Fjord Dairy Cooperative (fictional)",
    "sector": "manufacturing",
    "organisation_size": "medium",
    "member_state": "DK",
    "language": "en",
    "description": "Monthly sessions where staff try the assistant and discuss its limits.",
    "audience": "All staff",
    "url": "https://fjord.example.org/ai",
}

STRUCTURE: dict[str, Any] = {
    "name": "National AI regulatory sandbox (demo)",
    "kind": "sandbox",
    "member_state": "FR",
    "city": "Paris",
    "operator": "Market surveillance authority (demo)",
    "description": "A sandbox for providers of high-risk AI systems.",
    "url": "https://sandbox.example.org/",
    "email": "sandbox@example.org",
    "operational": True,
    "active": True,
}

QUESTION: dict[str, str] = {
    "name": "Ana Example",
    "email": "ana@example.org",
    "language": "en",
    "subject": "Fine-tuning",
    "message": "Does fine-tuning a model make me its provider?",
}


def practice(*, published: bool = True, **changes: Any) -> LiteracyPractice:
    return services.literacy_practice_create(
        actor=None, published=published, **{**PRACTICE, **changes}
    )


def structure(**changes: Any) -> SupportStructure:
    return services.support_structure_create(actor=None, **{**STRUCTURE, **changes})


def enquiry(*, now: datetime | None = None, **changes: str) -> services.SubmittedEnquiry:
    return services.enquiry_submit(
        actor=None, base_url="http://testserver/", now=now, **{**QUESTION, **changes}
    )


def enquiry_row(**changes: str) -> Enquiry:
    return enquiry(**changes).enquiry


pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
PERSONAL = ("Ana Example", "ana@example.org", "fine-tuning a model")


def _trail() -> str:
    return " ".join(
        f"{e.object_repr} {e.before_json or ''} {e.after_json or ''} {e.actor_label}"
        for e in AuditEvent.objects.filter(action__startswith="portal.")
    )


# --- practices and structures --------------------------------------------------------------


def test_a_practice_is_created_updated_published_and_withdrawn_with_an_audit_event_each() -> None:
    staff = make_user(Role.POLICY_OFFICER)
    made = services.literacy_practice_create(actor=staff, **PRACTICE)
    assert made.published is False
    services.literacy_practice_update(actor=staff, practice=made, title="Coffee and chatbots")
    services.literacy_practice_publish(actor=staff, practice=made, published=True)
    services.literacy_practice_publish(actor=staff, practice=made, published=True)  # no change
    services.literacy_practice_publish(actor=staff, practice=made, published=False)
    made.refresh_from_db()
    assert made.title == "Coffee and chatbots" and made.published is False
    actions = list(
        AuditEvent.objects.filter(
            object_type="portal.literacypractice", object_id=str(made.pk)
        ).values_list("action", flat=True)
    )
    assert actions == [
        "portal.literacy_practice.created",
        "portal.literacy_practice.updated",
        "portal.literacy_practice.published",
        "portal.literacy_practice.withdrawn",
    ]
    updated = AuditEvent.objects.get(action="portal.literacy_practice.updated")
    assert "Lunchtime" in (updated.before_json or "") and "Coffee" in (updated.after_json or "")


def test_a_practice_with_a_bad_value_names_the_field_and_is_not_saved() -> None:
    with pytest.raises(ValidationError) as caught:
        services.literacy_practice_create(actor=None, **{**PRACTICE, "sector": "astrology"})
    assert set(caught.value.message_dict) == {"sector"}
    with pytest.raises(ValidationError) as caught:
        services.literacy_practice_create(actor=None, **{**PRACTICE, "url": "not a url"})
    assert set(caught.value.message_dict) == {"url"}
    made = practice()
    with pytest.raises(ValidationError) as caught:
        services.literacy_practice_update(actor=None, practice=made, member_state="XX")
    assert set(caught.value.message_dict) == {"member_state"}
    made.refresh_from_db()
    assert made.member_state == "DK"
    assert LiteracyPractice.objects.count() == 1


def test_only_the_practice_fields_are_editable() -> None:
    with pytest.raises(TypeError):
        services.literacy_practice_create(actor=None, **PRACTICE, proposed_by_public=True)


def test_a_proposed_practice_waits_unpublished_and_is_marked() -> None:
    proposed = services.literacy_practice_propose(actor=None, **PRACTICE)
    assert proposed.published is False and proposed.proposed_by_public is True
    assert not selectors.literacy_practices_published().exists()
    event = AuditEvent.objects.get(action="portal.literacy_practice.proposed")
    assert event.actor_label == "system"


def test_the_search_ignores_case_beyond_ascii_and_needs_every_word() -> None:
    practice(title="Schulungen für Ärztinnen", organisation="Klinik Süd (fictional)")
    practice(title="Other", description="Nothing here")
    assert [p.title for p in selectors.literacy_practices_published(q="ÄRZTINNEN")] == [
        "Schulungen für Ärztinnen"
    ]
    assert selectors.literacy_practices_published(q="klinik schulungen").count() == 1
    assert selectors.literacy_practices_published(q="klinik nothing").count() == 0


def test_a_structure_is_created_and_updated_with_its_changes_audited() -> None:
    staff = make_user(Role.ADMINISTRATOR)
    made = services.support_structure_create(actor=staff, **STRUCTURE)
    services.support_structure_update(actor=staff, structure=made, operational=False)
    event = AuditEvent.objects.get(action="portal.support_structure.updated")
    assert event.after_json == '{"operational":false}'
    with pytest.raises(ValidationError) as caught:
        services.support_structure_create(actor=staff, **{**STRUCTURE, "kind": "castle"})
    assert set(caught.value.message_dict) == {"kind"}
    assert SupportStructure.objects.count() == 1


def test_the_overview_has_the_27_with_counts_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    structure()
    structure(name="Planned sandbox (demo)", operational=False)
    structure(kind="edih", name="Hub (demo)")
    structure(kind="edih", name="Hidden hub (demo)", active=False)
    with django_assert_num_queries(1):
        rows = selectors.support_overview()
    assert len(rows) == 27
    france = next(r for r in rows if r.code == "FR")
    assert france.counts == {"sandbox": 2, "edih": 1}
    assert france.sandboxes_operational == 1
    assert france.name == "France"


def test_the_sandbox_date_comes_from_aiact_as_amended_with_the_first_date_beside() -> None:
    deadline = selectors.sandbox_deadline(NOW.date())
    assert deadline.due.isoformat() == "2027-08-02"
    assert deadline.amended and "2026/1744" in deadline.citation
    assert deadline.as_published is not None and deadline.as_published.isoformat() == "2026-08-02"
    before = selectors.sandbox_deadline(datetime(2026, 7, 1).date())
    assert before.due.isoformat() == "2026-08-02" and before.as_published is None


# --- questions to the Office ---------------------------------------------------------------


@override_settings(PORTAL_ENQUIRY_RETENTION_DAYS=30)
def test_a_question_gets_a_tracking_number_a_key_stored_as_a_digest_and_an_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = enquiry(now=NOW)
    row = sent.enquiry
    assert row.tracking_number == f"Q-2026-{row.pk:06d}"
    assert row.key_sha256 == hashlib.sha256(sent.key.encode()).hexdigest()
    assert sent.key not in str(Enquiry.objects.values().get())
    assert row.retain_until == (NOW + timedelta(days=30)).date()
    assert row.status == EnquiryStatus.RECEIVED
    assert sent.status_url == (
        f"http://testserver/contact/question/{row.tracking_number}/{sent.key}/"
    )
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert row.tracking_number in message.subject
    assert sent.status_url in message.body
    assert "30 days" in message.body


def test_no_email_leaves_before_the_commit() -> None:
    enquiry()
    assert mail.outbox == []


def test_a_question_without_an_address_names_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        enquiry(email="not an address")
    assert set(caught.value.message_dict) == {"email"}
    assert not Enquiry.objects.exists()


def test_a_refusing_mail_server_does_not_undo_the_question(
    django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    with (
        override_settings(EMAIL_BACKEND="tests.aioffice.portal.test_help_services.Refusing"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = enquiry()
    assert Enquiry.objects.filter(pk=sent.enquiry.pk).exists()
    assert "not sent" in caplog.text and "ana@example.org" not in caplog.text


class Refusing:
    """A mail backend whose server refuses every message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")


def test_the_status_page_opens_only_with_the_right_key() -> None:
    sent = enquiry()
    number = sent.enquiry.tracking_number
    assert selectors.enquiry_by_key(number, sent.key) == sent.enquiry
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.enquiry_by_key(number, sent.key + "x")
    with pytest.raises(Http404):
        selectors.enquiry_by_key("Q-2026-999999", sent.key)


def test_an_answer_is_stored_emailed_and_given_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = make_user(Role.LEGAL_OFFICER)
    row = enquiry_row()
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.enquiry_answer(
            actor=staff, enquiry=row, answer="Not always & it depends."
        )
    assert answered.status == EnquiryStatus.ANSWERED
    assert answered.answered_by == staff and answered.answered_at is not None
    (message,) = mail.outbox
    assert "Not always & it depends." in message.body  # plain text, not escaped
    with pytest.raises(ValidationError) as caught:
        services.enquiry_answer(actor=staff, enquiry=row, answer="Again")
    assert set(caught.value.message_dict) == {"answer"}
    with pytest.raises(ValidationError) as caught:
        services.enquiry_close(actor=staff, enquiry=row, reason="Late", notify=False)
    assert set(caught.value.message_dict) == {"reason"}


def test_an_empty_answer_or_reason_names_the_field() -> None:
    row = enquiry_row()
    with pytest.raises(ValidationError) as caught:
        services.enquiry_answer(actor=None, enquiry=row, answer="   ")
    assert set(caught.value.message_dict) == {"answer"}
    with pytest.raises(ValidationError) as caught:
        services.enquiry_close(actor=None, enquiry=row, reason="", notify=True)
    assert set(caught.value.message_dict) == {"reason"}


def test_closing_keeps_the_reason_and_tells_the_sender_only_if_asked(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = make_user(Role.HEAD_OF_UNIT)
    quiet, told = enquiry_row(), enquiry_row()
    with django_capture_on_commit_callbacks(execute=True):
        services.enquiry_close(actor=staff, enquiry=quiet, reason="Spam", notify=False)
        services.enquiry_close(actor=staff, enquiry=told, reason="Ask your authority", notify=True)
    quiet.refresh_from_db()
    assert quiet.status == EnquiryStatus.CLOSED and quiet.close_reason == "Spam"
    (message,) = mail.outbox
    assert told.tracking_number in message.subject and "Ask your authority" in message.body


@override_settings(PORTAL_ENQUIRY_RETENTION_DAYS=10)
def test_the_purge_deletes_the_questions_past_their_retention_and_records_numbers_only() -> None:
    old = enquiry_row()
    Enquiry.objects.filter(pk=old.pk).update(retain_until=NOW.date() - timedelta(days=1))
    last_day = enquiry_row()
    Enquiry.objects.filter(pk=last_day.pk).update(retain_until=NOW.date())
    assert services.enquiries_purge(now=NOW) == 1
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [last_day.pk]
    event = AuditEvent.objects.get(action="portal.enquiry.purged")
    assert old.tracking_number in (event.after_json or "")
    assert services.enquiries_purge(now=NOW) == 0
    assert AuditEvent.objects.filter(action="portal.enquiry.purged").count() == 1


def test_the_audit_trail_holds_no_personal_data() -> None:
    staff = make_user(Role.POLICY_OFFICER)
    row = enquiry_row()
    services.enquiry_answer(actor=staff, enquiry=row, answer="About fine-tuning a model: no.")
    closed = enquiry_row()
    services.enquiry_close(
        actor=staff, enquiry=closed, reason="Ana Example asked twice", notify=True
    )
    Enquiry.objects.update(retain_until=NOW.date() - timedelta(days=1))
    services.enquiries_purge(now=NOW)
    trail = _trail()
    assert row.tracking_number in trail
    for value in PERSONAL:
        assert value.lower() not in trail.lower()
    received = AuditEvent.objects.filter(action="portal.enquiry.received").first()
    assert received is not None and received.actor_label == "system"


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_loads_once_through_the_services() -> None:
    from aioffice.demo_data import portal_help

    users = {"policy": make_user(Role.POLICY_OFFICER), "legal": make_user(Role.LEGAL_OFFICER)}
    portal_help.load(users=users)
    counts = (
        LiteracyPractice.objects.count(),
        SupportStructure.objects.count(),
        Enquiry.objects.count(),
        AuditEvent.objects.count(),
    )
    portal_help.load(users=users)
    assert counts == (
        LiteracyPractice.objects.count(),
        SupportStructure.objects.count(),
        Enquiry.objects.count(),
        AuditEvent.objects.count(),
    )
    published = selectors.literacy_practices_published()
    assert 8 <= published.count() <= 12
    assert all(
        "fictional" in p.organisation or "fictive" in p.organisation or "fiktiv" in p.organisation
        for p in published
    )
    assert LiteracyPractice.objects.filter(published=False, proposed_by_public=True).count() == 1
    assert len({p.sector for p in published}) >= 8 and len({p.member_state for p in published}) >= 8
    states = set(SupportStructure.objects.values_list("member_state", flat=True))
    assert len(states) >= 5
    for s in SupportStructure.objects.all():
        assert (
            "(demo)" in s.name
            and s.url.endswith(".example.org/")
            and s.email.endswith(".example.org")
        )
    assert sorted(Enquiry.objects.values_list("status", flat=True)) == ["answered", "received"]
    assert mail.outbox == []
