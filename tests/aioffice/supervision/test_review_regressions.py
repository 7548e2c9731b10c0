"""Regressions found in review: bad input is a 4xx naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import signed_in_client
from aioffice.supervision.models import Case

from .test_case_api import build_world, media_root  # noqa: F401  (autouse: files under tmp_path)
from .test_intake_services import COMPLAINT, downstream_user, staff

pytestmark = pytest.mark.django_db

BEYOND = str(10**30)  # beyond any database's integer range


def test_ids_beyond_the_database_range_in_a_page_form_name_the_field() -> None:
    world = build_world()
    client = signed_in_client(world.lead)
    opened = client.post(
        reverse("supervision:case_new"),
        {
            "provider": world.case.provider_id,
            "title": "Beyond",
            "origin": "ex_officio",
            "versions": [BEYOND],
            "intakes": [BEYOND],
        },
    )
    assert opened.status_code == 200
    form = opened.context["form"]
    assert "versions" in form.errors and "intakes" in form.errors
    assert Case.objects.filter(title="Beyond").count() == 0

    decided = client.post(
        reverse("supervision:case_step", args=[world.case.pk, "decision"]),
        {
            "decision-kind": "measures",
            "decision-reasons": "r",
            "decision-remedies": "r",
            "decision-measures": [BEYOND],
        },
    )
    assert decided.status_code == 200
    bound: Any = dict((n, f) for n, _t, f, _files in decided.context["step_forms"])["decision"]
    assert "measures" in bound.errors


def test_ids_beyond_the_database_range_in_triage_name_the_field() -> None:
    from aioffice.supervision import services_intake

    complaint = services_intake.complaint_submit(
        actor=downstream_user(), provider=None, versions=[], **COMPLAINT
    )
    client = signed_in_client(staff(Role.LEGAL_OFFICER, "lea"))
    response = client.post(
        reverse("supervision:intake_action", args=[complaint.pk, "link_versions"]),
        {"link_versions-versions": [BEYOND]},
    )
    assert response.status_code == 422
    assert "versions" in response.context["forms"]["link_versions"].errors
