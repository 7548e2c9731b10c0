"""Signatures, withdrawals, COP-01, Frameworks and Model Reports through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aiact import evaluate, load_law
from aioffice.core.models import AuditEvent
from aioffice.registry.codeofpractice import selectors, services
from aioffice.registry.codeofpractice.models import Chapter, Signature

from .conftest import make_provider, make_version, pdf

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
S_AND_S = Chapter.SAFETY_AND_SECURITY


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _clock(name: str, start: date, **extra: object) -> dict[str, object]:
    answer = evaluate("clock", {"clock": name, "from": start.isoformat(), **extra}, law=load_law())
    result: dict[str, object] = answer["result"]  # type: ignore[assignment]
    return result


# --- signatures and COP-01 ---------------------------------------------------------------------


def test_a_signature_is_recorded_and_audited() -> None:
    provider = make_provider("Alpha AI")
    signature = services.signature_add(
        actor=None,
        provider=provider,
        chapter=Chapter.TRANSPARENCY,
        signed_on=date(2025, 8, 1),
        source="https://example.eu/signatories",
    )
    assert signature.withdrawn_on is None
    event = AuditEvent.objects.filter(action="codeofpractice.signature.added").get()
    assert event.object_id == str(signature.pk)


def test_a_second_current_signature_of_a_chapter_is_refused() -> None:
    provider = make_provider("Alpha AI")
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.COPYRIGHT, signed_on=date(2025, 8, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.signature_add(
            actor=None, provider=provider, chapter=Chapter.COPYRIGHT, signed_on=date(2025, 9, 1)
        )
    assert "withdraw that signature first" in _errors(exc)["chapter"][0]
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    ("chapter", "signed_on", "field"),
    [
        ("ethics", date(2025, 8, 1), "chapter"),
        (Chapter.COPYRIGHT, TODAY + timedelta(days=1), "signed_on"),
    ],
)
def test_bad_signatures_are_refused_naming_the_field(
    chapter: str, signed_on: date, field: str
) -> None:
    provider = make_provider("Alpha AI")
    with pytest.raises(ValidationError) as exc:
        services.signature_add(actor=None, provider=provider, chapter=chapter, signed_on=signed_on)
    assert field in _errors(exc)
    assert not Signature.objects.exists()


def test_withdrawal_before_the_signature_or_without_reasons_is_refused() -> None:
    provider = make_provider("Alpha AI")
    signature = services.signature_add(
        actor=None, provider=provider, chapter=S_AND_S, signed_on=date(2025, 8, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.signature_withdraw(
            actor=None, signature=signature, withdrawn_on=date(2025, 7, 1), reasons="Changed."
        )
    assert "2025-08-01" in _errors(exc)["withdrawn_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.signature_withdraw(
            actor=None, signature=signature, withdrawn_on=date(2025, 9, 1), reasons="  "
        )
    assert "reasons" in _errors(exc)
    signature.refresh_from_db()
    assert signature.withdrawn_on is None


def test_withdraw_then_sign_again_and_cop_01_on_each_day() -> None:
    provider = make_provider("Alpha AI")
    other = make_provider("Beta AI")
    signature = services.signature_add(
        actor=None, provider=provider, chapter=S_AND_S, signed_on=date(2025, 8, 1)
    )
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.COPYRIGHT, signed_on=date(2025, 8, 1)
    )
    services.signature_withdraw(
        actor=None, signature=signature, withdrawn_on=date(2025, 10, 1), reasons="Reorganised."
    )
    with pytest.raises(ValidationError) as exc:
        services.signature_withdraw(
            actor=None, signature=signature, withdrawn_on=date(2025, 10, 2), reasons="Again."
        )
    assert "signature" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.signature_add(
            actor=None, provider=provider, chapter=S_AND_S, signed_on=date(2025, 9, 1)
        )
    assert "2025-10-01" in _errors(exc)["signed_on"][0]
    services.signature_add(
        actor=None, provider=provider, chapter=S_AND_S, signed_on=date(2026, 1, 1)
    )

    def status(day: date, chapter: str = S_AND_S) -> str:
        return selectors.signatory_status(provider, chapter, day)

    assert status(date(2025, 7, 31)) == "not_signed"
    assert status(date(2025, 8, 1)) == "signed"
    assert status(date(2025, 10, 1)) == "opted_out"  # still a signatory of copyright
    assert status(date(2026, 1, 1)) == "signed"
    assert status(date(2025, 9, 1), Chapter.TRANSPARENCY) == "opted_out"
    assert selectors.signatory_status(other, S_AND_S, TODAY) == "not_signed"
    assert AuditEvent.objects.filter(action="codeofpractice.signature.withdrawn").count() == 1


# --- Frameworks ------------------------------------------------------------------------------


def test_only_signatories_of_the_safety_chapter_with_systemic_risk_submit_a_framework() -> None:
    provider = make_provider("Alpha AI")
    make_version(provider)
    with pytest.raises(ValidationError) as exc:
        services.framework_submit(
            actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
        )
    assert "not_signed" in _errors(exc)["provider"][0]
    small = make_provider("Small AI")
    make_version(small, compute=1e23, notify=False)
    services.signature_add(actor=None, provider=small, chapter=S_AND_S, signed_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.framework_submit(
            actor=None, provider=small, document=pdf(), framework_version="1", confirmed_on=TODAY
        )
    assert "no model with systemic risk" in _errors(exc)["provider"][0]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("empty.pdf", b""), "empty"),
        (pdf("notes.pdf", b"just text, not a PDF"), "PDF"),
    ],
)
def test_a_framework_document_must_be_a_pdf(upload: object, message: str) -> None:
    provider = make_provider("Alpha AI")
    make_version(provider)
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.framework_submit(
            actor=None,
            provider=provider,
            document=upload,  # type: ignore[arg-type]
            framework_version="1",
            confirmed_on=TODAY,
        )
    assert message in _errors(exc)["document"][0]


def test_a_framework_stores_aiacts_cop_04_dates_and_the_late_flag() -> None:
    provider = make_provider("Alpha AI")
    placed = TODAY - timedelta(days=60)
    make_version(provider, placed_on_market=placed)
    services.signature_add(
        actor=None, provider=provider, chapter=S_AND_S, signed_on=date(2025, 8, 1)
    )
    submission = services.framework_submit(
        actor=None, provider=provider, document=pdf(), framework_version="2.1", confirmed_on=TODAY
    )
    expected = _clock("cop-framework", TODAY, placing=placed.isoformat())
    assert submission.notified_on == TODAY
    assert submission.confirm_by.isoformat() == expected["confirm_by"]  # type: ignore[union-attr]
    assert submission.access_by.isoformat() == expected["ai_office_access_by"]  # type: ignore[union-attr]
    assert submission.late  # placed two months ago: the Framework was due before placing
    assert submission.rules_version == load_law().rules_version
    assert any("COP-04" in r for r in submission.reasons)
    assert len(submission.sha256) == 64 and submission.size > 0
    assert submission.content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="codeofpractice.framework.submitted").exists()


def test_a_framework_in_time_is_not_late() -> None:
    provider = make_provider("Alpha AI")
    make_version(provider, placed_on_market=TODAY + timedelta(days=90))
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    submission = services.framework_submit(
        actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
    )
    assert not submission.late


# --- Model Reports -----------------------------------------------------------------------------


def test_model_reports_interim_then_full_with_refresh_for_the_most_capable() -> None:
    provider = make_provider("Alpha AI")
    version = make_version(provider, placed_on_market=TODAY)
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    interim = services.model_report_submit(
        actor=None, version=version, document=pdf("interim.pdf"), kind="interim"
    )
    expected = _clock("cop-model-report", TODAY, most_capable=True, last_report=TODAY.isoformat())
    assert interim.due == TODAY and not interim.late and interim.refresh_by is None
    full = services.model_report_submit(
        actor=None, version=version, document=pdf("report.pdf"), most_capable=True
    )
    assert full.due.isoformat() == expected["report_by_with_interim"]  # type: ignore[union-attr]
    assert full.refresh_by.isoformat() == expected["refresh_by"]  # type: ignore[union-attr]
    assert not full.late


def test_a_model_report_after_placing_without_interim_is_late() -> None:
    provider = make_provider("Alpha AI")
    version = make_version(provider, placed_on_market=TODAY - timedelta(days=30))
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    report = services.model_report_submit(actor=None, version=version, document=pdf())
    assert report.late and report.due == version.placed_on_market


def test_model_reports_are_refused_without_the_chapter_or_systemic_risk() -> None:
    provider = make_provider("Alpha AI")
    version = make_version(provider)
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.COPYRIGHT, signed_on=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        services.model_report_submit(actor=None, version=version, document=pdf())
    assert "opted_out" in _errors(exc)["version"][0]
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    small = make_version(provider, "Small", compute=1e23, notify=False)
    with pytest.raises(ValidationError) as exc:
        services.model_report_submit(actor=None, version=small, document=pdf())
    assert "no systemic risk" in _errors(exc)["version"][0]
    with pytest.raises(ValidationError) as exc:
        services.model_report_submit(actor=None, version=version, document=pdf(), kind="draft")
    assert "kind" in _errors(exc)


def test_dates_may_come_as_iso_text_from_data_files() -> None:
    provider = make_provider("Alpha AI")
    signature = services.signature_add(
        actor=None,
        provider=provider,
        chapter=Chapter.TRANSPARENCY,
        signed_on="2025-08-01",  # type: ignore[arg-type]
        source="demo data",
    )
    assert signature.signed_on == date(2025, 8, 1)
    with pytest.raises(ValidationError) as exc:
        services.signature_add(
            actor=None,
            provider=provider,
            chapter=Chapter.COPYRIGHT,
            signed_on="1 August 2025",  # type: ignore[arg-type]
        )
    assert "signed_on" in _errors(exc)


def test_dates_the_rules_cannot_count_from_are_refused_not_a_server_error() -> None:
    provider = make_provider("Alpha AI")
    make_version(provider)
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.framework_submit(
            actor=None,
            provider=provider,
            document=pdf(),
            framework_version="1",
            confirmed_on=TODAY,
            placing_on=date(1, 1, 2),
        )
    assert "placing_on" in _errors(exc)
