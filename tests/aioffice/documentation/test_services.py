"""Documentation services: drafts, submission with recorded gaps, attachments, Annex XII
requests and answers — each audited, each one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aiact import load_law
from aioffice.core.models import AuditEvent
from aioffice.registry.documentation import selectors, services
from aioffice.registry.documentation.doctypes import load_doctypes
from aioffice.registry.documentation.models import (
    AnnexXIIRequest,
    DocumentAttachment,
    DocumentSubmission,
)

from .conftest import ANNEX_XII, downstream, make_provider, make_version, pdf

pytestmark = pytest.mark.django_db


def _types(version: Any) -> list[str]:
    return [k.type for k in selectors.required_types(selectors.obligation_statuses(version))]


def test_the_documents_a_version_needs_follow_aiacts_obligations() -> None:
    provider = make_provider("Prov")
    systemic = make_version(provider, "sr", flop=3.8e25)
    plain = make_version(provider, "plain", flop=5e24)
    unassessed = make_version(provider, "new", assess=False)
    assert _types(plain) == ["annex_xi_1", "annex_xii", "training_summary", "copyright_policy"]
    assert _types(systemic) == [
        "annex_xi_1",
        "annex_xi_2",
        "annex_xii",
        "training_summary",
        "copyright_policy",
        "framework",
        "model_report",
    ]
    assert _types(unassessed) == []


def test_a_draft_is_saved_and_changed_until_submitted_with_its_gaps_recorded() -> None:
    version = make_version(make_provider("Prov"))
    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xii", content={"licence": "MIT"}
    )
    again = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xii", content={"licence": "Apache-2.0"}
    )
    assert again.pk == draft.pk and again.number == 1 and again.content == {"licence": "Apache-2.0"}
    missing = [m.answers for m in selectors.missing_now(again)]
    assert "Annex XII 1(a)" in missing and "Annex XII 1(h)" not in missing
    done = services.submission_submit(actor=None, submission=again)
    assert done.status == "submitted" and done.complete is False
    assert {m["answers"] for m in done.missing} == set(missing)
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=None, submission=done)
    assert "status" in exc.value.message_dict
    # The next save starts draft #2; #1 stays as it was.
    second = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xii", content=ANNEX_XII
    )
    assert second.number == 2 and second.pk != done.pk
    services.submission_submit(actor=None, submission=second)
    assert selectors.current_submission(version, "annex_xii").pk == second.pk
    assert DocumentSubmission.objects.get(pk=done.pk).content == {"licence": "Apache-2.0"}
    actions = list(
        AuditEvent.objects.filter(action__startswith="documentation.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("documentation.submission.draft_saved") == 3
    assert actions.count("documentation.submission.submitted") == 2


def test_bad_values_are_refused_by_field_and_nothing_is_written() -> None:
    version = make_version(make_provider("Prov"))
    with pytest.raises(ValidationError) as exc:
        services.submission_save_draft(
            actor=None,
            version=version,
            doc_type="annex_xii",
            content={"parameters": "many", "release_date": "soon"},
        )
    assert set(exc.value.message_dict) == {"parameters", "release_date"}
    with pytest.raises(ValidationError) as exc:
        services.submission_save_draft(actor=None, version=version, doc_type="memo", content={})
    assert "doc_type" in exc.value.message_dict
    assert not DocumentSubmission.objects.exists()


def test_attachments_are_checked_and_stored_with_their_sha256(settings: Any) -> None:
    version = make_version(make_provider("Prov"))
    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="copyright_policy", content={}
    )
    assert "policy_document" in [m.key for m in selectors.missing_now(draft)]
    stored = services.attachment_add(
        actor=None, submission=draft, field_key="policy_document", upload=pdf()
    )
    assert len(stored.sha256) == 64 and stored.size > 0 and stored.content_type == "application/pdf"
    assert stored.file.name.startswith("documentation/")
    assert "policy_document" not in [m.key for m in selectors.missing_now(draft)]

    def refused(field: str, upload: Any) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as exc:
            services.attachment_add(actor=None, submission=draft, field_key=field, upload=upload)
        return exc.value.message_dict

    assert "field" in refused("policy_summary", pdf())
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary", "application/pdf")
    assert "not application/pdf" in refused("policy_document", fake)["file"][0]
    exe = SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")
    assert "takes" in refused("policy_document", exe)["file"][0]
    settings.DOCUMENTATION_MAX_UPLOAD_BYTES = 10
    assert "larger than" in refused("policy_document", pdf())["file"][0]
    settings.DOCUMENTATION_MAX_UPLOAD_BYTES = 10_000
    settings.DOCUMENTATION_CONTENT_TYPES = ["text/plain"]
    assert "takes text/plain, not application/pdf" in refused("policy_document", pdf())["file"][0]
    settings.DOCUMENTATION_CONTENT_TYPES = ["application/pdf"]
    services.submission_submit(actor=None, submission=draft)
    assert "cannot change" in refused("policy_document", pdf())["file"][0]
    assert DocumentAttachment.objects.count() == 1
    assert AuditEvent.objects.filter(action="documentation.attachment.added").count() == 1


def test_an_annex_xii_request_is_due_after_aiacts_period_and_answered_once() -> None:
    version = make_version(make_provider("Prov"))
    made = services.annex_xii_request_create(
        actor=None, requester=downstream(), version=version, message="For our HR assistant."
    )
    period = load_law().param("cop_downstream_information", made.asked_on)
    assert made.due_on == made.asked_on + timedelta(days=int(str(period.value)))
    assert made.period_status == "CODE" and "Transparency Measure 1.2" in made.period_basis
    assert not made.overdue_on(made.due_on)
    assert made.overdue_on(made.due_on + timedelta(days=1))

    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xii", content=ANNEX_XII
    )
    with pytest.raises(ValidationError, match="Submit the document"):
        services.annex_xii_request_answer(actor=None, made=made, submission=draft)
    draft = services.submission_submit(actor=None, submission=draft)
    other = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xi_1", content={}
    )
    with pytest.raises(ValidationError, match="Annex XII document"):
        services.annex_xii_request_answer(actor=None, made=made, submission=other)
    answered = services.annex_xii_request_answer(
        actor=None, made=made, submission=draft, note="See the guide."
    )
    assert answered.answer_id == draft.pk and answered.answered_on == made.asked_on
    assert not answered.overdue_on(made.due_on + timedelta(days=30))
    with pytest.raises(ValidationError, match="already answered"):
        services.annex_xii_request_answer(actor=None, made=made, submission=draft)
    assert AuditEvent.objects.filter(action__startswith="documentation.annex_xii").count() == 2


def test_only_a_downstream_provider_asks_and_it_says_what_for() -> None:
    provider = make_provider("Prov")
    version = make_version(provider)
    with pytest.raises(ValidationError) as exc:
        services.annex_xii_request_create(
            actor=None, requester=provider.organisation, version=version, message="x"
        )
    assert "requester" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.annex_xii_request_create(
            actor=None, requester=downstream(), version=version, message="  "
        )
    assert "message" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.annex_xii_request_create(
            actor=None, requester=downstream(), version=version, message="a\x00b"
        )
    assert "NUL" in exc.value.message_dict["message"][0]
    assert not AnnexXIIRequest.objects.exists()


def test_a_failed_attachment_leaves_no_file_and_a_nul_in_the_name_is_dropped(
    media_root: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = make_provider("Files AI")
    version = make_version(provider)
    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="copyright_policy", content={}
    )
    field = next(f.key for f in load_doctypes()["copyright_policy"].file_fields)
    real = services.audit.record

    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.attachment_add(actor=None, submission=draft, field_key=field, upload=pdf())
    assert DocumentAttachment.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    monkeypatch.setattr(services.audit, "record", real)
    kept = services.attachment_add(
        actor=None, submission=draft, field_key=field, upload=pdf("a\x00b.pdf")
    )
    assert "\x00" not in kept.original_name


def test_an_annex_xii_request_keeps_the_rules_version_of_its_due_date() -> None:
    version = make_version(make_provider("Versioned AI"))
    made = services.annex_xii_request_create(
        actor=None, requester=downstream(), version=version, message="For a hiring tool."
    )
    assert made.rules_version == load_law().rules_version
    assert made.period_basis and made.period_status
