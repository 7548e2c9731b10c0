"""Adoption services on the real database: adopt, open, sign (with the registry's
signatures), withdraw, assess through aiact, publish in the library, report on the clock."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.core.models import AuditEvent
from aioffice.drafting import services_adoption as services
from aioffice.drafting.choices import ProjectStatus
from aioffice.drafting.models_adoption import CodeSignature, ImplementationReport
from aioffice.drafting.models_drafts import DraftStatus
from aioffice.portal.models_content import GuidanceDocument
from aioffice.registry.codeofpractice.models import Signature as RegistrySignature
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

from .test_adoption_world import AdoptionWorld, adopted, adoption_world, opened, today

__all__ = ["adoption_world"]
pytestmark = pytest.mark.django_db


def test_adopt_makes_the_draft_final_and_the_project_adopted(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    adoption = adopted(w)
    w.draft.refresh_from_db()
    w.project.refresh_from_db()
    assert w.draft.status == DraftStatus.FINAL
    assert w.project.status == ProjectStatus.ADOPTED
    assert adoption.reference == "C(2026) test"
    event = AuditEvent.objects.filter(action="drafting.adoption.adopted").get()
    assert "C(2026)" not in (event.after_json or "")
    with pytest.raises(ValidationError) as err:
        adopted(w)
    assert "draft" in err.value.message_dict


def test_adopt_refuses_others_and_unpublished(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    with pytest.raises(PermissionDenied):
        services.adopt(actor=w.alpha_member, draft=w.draft, adopted_on=today())
    w.draft.status = DraftStatus.WORKING
    w.draft.save()
    with pytest.raises(ValidationError) as err:
        services.adopt(actor=w.runner, draft=w.draft, adopted_on=today())
    assert "draft" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.adopt(
            actor=w.runner, draft=w.draft, adopted_on=today() + datetime.timedelta(days=1)
        )
    assert "adopted_on" in err.value.message_dict


def test_opening_checks_its_dates(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    adoption = adopted(w)
    for field, kwargs in [
        ("first_report_due", {"first_report_due": today() - datetime.timedelta(days=25)}),
        ("report_every_months", {"report_every_months": 0}),
        ("closes_on", {"closes_on": today() - datetime.timedelta(days=29)}),
        ("opens_on", {"opens_on": today() - datetime.timedelta(days=31)}),
    ]:
        values = {
            "opens_on": today() - datetime.timedelta(days=20),
            "report_every_months": 6,
            "first_report_due": today() + datetime.timedelta(days=60),
            **kwargs,
        }
        with pytest.raises(ValidationError) as err:
            services.opening_create(actor=w.runner, adoption=adoption, **values)
        assert field in err.value.message_dict
    opened(w, adoption)
    with pytest.raises(ValidationError):
        opened(w, adoption)


def test_signing_records_the_registry_signature_and_opens_the_first_report(
    adoption_world: AdoptionWorld,
) -> None:
    w = adoption_world
    opening = opened(w)
    made = services.sign(
        actor=w.alpha_member, opening=opening, provider=w.alpha, chapters=[w.transparency, w.safety]
    )
    assert [s.chapter_id for s in made] == [w.transparency.pk, w.safety.pk]
    registry = RegistrySignature.objects.filter(provider=w.alpha, withdrawn_on__isnull=True)
    assert sorted(registry.values_list("chapter", flat=True)) == [
        "safety_and_security",
        "transparency",
    ]
    assert all(s.registry_signature_id for s in made)
    deadline = Deadline.objects.get(kind=DeadlineKind.CODE_REPORT, provider=w.alpha)
    assert deadline.due_on == opening.first_report_due
    assert deadline.provider_to_act and not deadline.legal
    assert deadline.rules_version and deadline.reasons
    # a second chapter signed later opens no second deadline
    with pytest.raises(ValidationError) as err:
        services.sign(actor=w.alpha_member, opening=opening, provider=w.alpha, chapters=[w.safety])
    assert "chapters" in err.value.message_dict
    assert Deadline.objects.filter(kind=DeadlineKind.CODE_REPORT).count() == 1


def test_only_the_providers_members_sign_for_it(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    opening = opened(w)
    with pytest.raises(PermissionDenied):
        services.sign(actor=w.beta_member, opening=opening, provider=w.alpha, chapters=[w.safety])
    with pytest.raises(PermissionDenied):
        services.sign(actor=w.runner, opening=opening, provider=w.alpha, chapters=[w.safety])
    with pytest.raises(ValidationError) as err:
        services.sign(actor=w.beta_member, opening=opening, provider=w.beta, chapters=[w.kpis[0]])
    assert "chapters" in err.value.message_dict


def test_paper_signature_and_withdrawal_follow_the_registry(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    opening = opened(w)
    [row] = services.signature_record(
        actor=w.runner,
        opening=opening,
        provider=w.beta,
        chapters=[w.safety],
        signed_on=today() - datetime.timedelta(days=5),
    )
    assert row.signed_on == today() - datetime.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        services.signature_withdraw(actor=w.alpha_member, signature=row, reasons="Not ours.")
    services.signature_withdraw(actor=w.beta_member, signature=row, reasons="We stop (test).")
    row.refresh_from_db()
    assert row.withdrawn_on == today()
    assert RegistrySignature.objects.get(pk=row.registry_signature_id).withdrawn_on == today()
    deadline = Deadline.objects.get(kind=DeadlineKind.CODE_REPORT, provider=w.beta)
    assert deadline.status == DeadlineStatus.CANCELLED
    event = AuditEvent.objects.filter(action="drafting.signature.withdrawn").get()
    assert "We stop" not in (event.after_json or "")
    # signed again: a new current signature, a new registry signature
    [again] = services.sign(
        actor=w.beta_member, opening=opening, provider=w.beta, chapters=[w.safety]
    )
    assert again.registry_signature_id != row.registry_signature_id


def test_assessment_after_the_amendment_needs_the_boards_opinion(
    adoption_world: AdoptionWorld,
) -> None:
    w = adoption_world
    adopted(w)
    values = {"draft": w.draft, "assessed_on": today(), "outcome": "adequate", "reasons": "Fine."}
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=w.runner, **values)  # a policy officer does not assess
    with pytest.raises(ValidationError) as err:
        services.assessment_create(actor=w.assessor, **values)
    assert "board_opinion" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.assessment_create(actor=w.assessor, board_opinion=w.opinion, **values)
    assert "board_opinion_note" in err.value.message_dict
    row = services.assessment_create(
        actor=w.assessor, board_opinion=w.opinion, board_opinion_note="Followed.", **values
    )
    assert row.procedure == "amended"
    assert row.covers == ["Art. 53", "Art. 55"]
    assert row.rules_version and row.law_reasons and row.citations
    assert row.published_on is None
    services.assessment_publish(actor=w.assessor, assessment=row)
    row.refresh_from_db()
    assert row.published_on == today()


def test_an_assessment_before_the_amendment_raises_open_question_12(
    adoption_world: AdoptionWorld,
) -> None:
    w = adoption_world
    w.draft.published_on = datetime.date(2026, 6, 1)
    w.draft.save()
    row = services.assessment_create(
        actor=w.assessor,
        draft=w.draft,
        assessed_on=datetime.date(2026, 7, 1),
        outcome="partly",
        reasons="Assessed under the original text (test).",
    )
    assert row.procedure == "original"
    assert row.board_opinion is None
    assert "12" in (services.open_question_of(assessment=row, used_on=today()) or "")
    assert services.open_question_of(assessment=row, used_on=datetime.date(2026, 7, 2)) is None


def test_publish_in_the_library_stores_each_language(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    adoption = adopted(w)
    files = {
        "en": SimpleUploadedFile("code-en.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        "fr": SimpleUploadedFile("code-fr.pdf", b"%PDF-1.4 essai", content_type="application/pdf"),
    }
    services.publish_library(actor=w.runner, adoption=adoption, files=files)
    adoption.refresh_from_db()
    assert adoption.library_slug == w.project.slug
    assert adoption.published_languages == ["en", "fr"]
    document = GuidanceDocument.objects.get(slug=adoption.library_slug)
    assert document.published and document.kind == "code_of_practice"
    stored = document.versions.get().files.order_by("language")
    assert [f.language for f in stored] == ["en", "fr"]
    assert all(len(f.sha256) == 64 for f in stored)
    with pytest.raises(ValidationError) as err:
        services.publish_library(
            actor=w.runner,
            adoption=adoption,
            files={"xx": SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")},
            number="2.0",
            change_note="Corrected.",
        )
    assert "files" in err.value.message_dict


def test_a_report_closes_its_period_and_opens_the_next(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    opening = opened(w)
    services.sign(actor=w.alpha_member, opening=opening, provider=w.alpha, chapters=[w.safety])
    values = {w.kpis[0].pk: "3 incidents", w.kpis[1].pk: "12 evaluations"}
    with pytest.raises(PermissionDenied):
        services.report_submit(
            actor=w.beta_member, opening=opening, provider=w.alpha, narrative="x", values=values
        )
    with pytest.raises(ValidationError) as err:
        services.report_submit(
            actor=w.alpha_member,
            opening=opening,
            provider=w.alpha,
            narrative="Measures (test).",
            values={w.kpis[0].pk: "3"},
        )
    assert f"kpi_{w.kpis[1].pk}" in err.value.message_dict
    report = services.report_submit(
        actor=w.alpha_member,
        opening=opening,
        provider=w.alpha,
        narrative="Measures taken and their outcomes (test).",
        values=values,
        upload=SimpleUploadedFile("report.txt", b"our report", content_type="text/plain"),
    )
    assert report.due_on == opening.first_report_due
    assert not report.late
    assert len(report.sha256) == 64 and report.size == 10
    assert {v.indicator_id: v.value for v in report.indicators.all()} == values
    rows = Deadline.objects.filter(kind=DeadlineKind.CODE_REPORT, provider=w.alpha)
    assert rows.get(status=DeadlineStatus.MET).due_on == opening.first_report_due
    following = rows.get(status=DeadlineStatus.OPEN)
    assert following.due_on > opening.first_report_due
    second = services.report_submit(
        actor=w.alpha_member, opening=opening, provider=w.alpha, narrative="Next.", values=values
    )
    assert second.due_on == following.due_on
    assert second.period_start == report.due_on
    assert ImplementationReport.objects.filter(provider=w.alpha).count() == 2


def test_a_report_after_its_due_date_is_late(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    adoption = adopted(w)
    opening = services.opening_create(
        actor=w.runner,
        adoption=adoption,
        opens_on=today() - datetime.timedelta(days=20),
        report_every_months=1,
        first_report_due=today() - datetime.timedelta(days=3),
    )
    services.signature_record(
        actor=w.runner,
        opening=opening,
        provider=w.alpha,
        chapters=[w.transparency],
        signed_on=today() - datetime.timedelta(days=10),
    )
    report = services.report_submit(
        actor=w.alpha_member,
        opening=opening,
        provider=w.alpha,
        narrative="Late (test).",
        values={k.pk: "1" for k in w.kpis},
    )
    assert report.late
    assert report.due_on == today() - datetime.timedelta(days=3)
    assert CodeSignature.objects.filter(provider=w.alpha).count() == 1


def test_the_final_version_follows_the_consultations(adoption_world: AdoptionWorld) -> None:
    """A project is not adopted while a consultation on it runs (or is still to open)."""
    from aioffice.drafting import services_consultations
    from aioffice.drafting.models_consultations import Audience

    w = adoption_world
    now = timezone.now()
    running = services_consultations.consultation_open(
        actor=w.runner,
        draft=w.draft,
        title="Last call (test)",
        audience=Audience.PUBLIC,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as err:
        services.adopt(actor=w.runner, draft=w.draft, adopted_on=today())
    assert "consultation" in err.value.message_dict["draft"][0]
    services_consultations.consultation_close(actor=w.runner, consultation=running)
    assert services.adopt(actor=w.runner, draft=w.draft, adopted_on=today()).pk
