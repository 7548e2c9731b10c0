"""Adoption pages: the public summary and CSV, the Office's forms, a signatory signing and
reporting through the pages, reports seen by the Office and the signatory only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.drafting import services_adoption as services
from aioffice.drafting.models_adoption import Adoption, CodeSignature, ImplementationReport

from .test_adoption_world import AdoptionWorld, adoption_world, opened, today

__all__ = ["adoption_world"]
pytestmark = pytest.mark.django_db


def test_the_office_adopts_and_opens_through_the_pages(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    slug = w.project.slug
    office = signed_in_client(w.runner)
    assert (
        signed_in_client(w.alpha_member).get(reverse("drafting:adopt", args=[slug])).status_code
        == 403
    )
    response = office.post(
        reverse("drafting:adopt", args=[slug]),
        {"draft": w.draft.pk, "adopted_on": str(today() - datetime.timedelta(days=5))},
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get(project=w.project)
    bad = office.post(
        reverse("drafting:signature_opening_new", args=[slug]),
        {"opens_on": str(today()), "report_every_months": 6, "first_report_due": str(today())},
    )
    assert bad.status_code == 422
    assert b"first report falls due after opening" in bad.content
    ok = office.post(
        reverse("drafting:signature_opening_new", args=[slug]),
        {
            "opens_on": str(today()),
            "report_every_months": 6,
            "first_report_due": str(today() + datetime.timedelta(days=90)),
        },
    )
    assert ok.status_code == 302
    assert adoption.signature_opening.report_every_months == 6


def test_a_signatory_signs_and_reports_and_the_public_sees_it(
    adoption_world: AdoptionWorld, client: Any
) -> None:
    w = adoption_world
    opened(w)
    slug = w.project.slug
    member = signed_in_client(w.alpha_member)
    response = member.post(
        reverse("drafting:sign", args=[slug]),
        {"provider": w.alpha.pk, "chapters": [w.transparency.pk, w.safety.pk]},
    )
    assert response.status_code == 302
    assert CodeSignature.objects.filter(provider=w.alpha).count() == 2
    hub = member.get(reverse("drafting:my_home"))
    assert b"codes-to-sign" in hub.content
    summary = client.get(reverse("drafting:adoption", args=[slug]))
    assert summary.status_code == 200
    assert b"Alpha Models (test)" in summary.content
    csv = b"".join(client.get(reverse("drafting:signatories_csv", args=[slug])).streaming_content)
    assert csv.count(b"Alpha Models (test)") == 2
    data = {"provider": w.alpha.pk, "narrative": "What we did (test)."}
    data.update({f"kpi_{k.pk}": "7" for k in w.kpis})
    response = member.post(reverse("drafting:report_new", args=[slug]), data)
    assert response.status_code == 302
    report = ImplementationReport.objects.get(provider=w.alpha)
    url = reverse("drafting:report", args=[slug, report.pk])
    assert member.get(url).status_code == 200
    assert signed_in_client(w.beta_member).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to sign in
    office = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "adoption-tech"))
    assert office.get(url).status_code == 200
    table = office.get(reverse("drafting:reports", args=[slug]))
    assert table.status_code == 200 and b"indicator-table" in table.content
    assert (
        signed_in_client(w.alpha_member).get(reverse("drafting:reports", args=[slug])).status_code
        == 403
    )
    indicators = b"".join(
        office.get(reverse("drafting:reports_csv", args=[slug])).streaming_content
    )
    assert b"Alpha Models (test)" in indicators and b",7,7" in indicators


def test_an_assessment_is_public_once_published(adoption_world: AdoptionWorld, client: Any) -> None:
    w = adoption_world
    opened(w)
    row = services.assessment_create(
        actor=w.assessor,
        draft=w.draft,
        assessed_on=today(),
        outcome="adequate",
        reasons="Covers the obligations (test).",
        board_opinion=w.opinion,
        board_opinion_note="Taken into account (test).",
    )
    url = reverse("drafting:assessment", args=[w.project.slug, row.pk])
    assert client.get(url).status_code == 404
    legal = signed_in_client(w.assessor)
    assert (
        legal.post(
            reverse("drafting:assessment_publish", args=[w.project.slug, row.pk])
        ).status_code
        == 302
    )
    page = client.get(url)
    assert page.status_code == 200
    assert b"Taken into account (test)." in page.content
