"""Consultations whose period ran out: `close_elapsed` closes their closing deadline on the one
clock (met), in one transaction audited once, leaving the consultations and their responses
as they are; the worker's round and `aioffice drafting consultation close-elapsed` call it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from tests.aioffice.drafting.consultations_world import World, build_world, close_in_the_past
from typer.testing import CliRunner

from aioffice.cli import app
from aioffice.core.models import AuditEvent
from aioffice.drafting import services_consultations as services
from aioffice.drafting.models_consultations import Consultation, Response
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.clock import source_of
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

ACTION = "drafting.consultation.period_ended"


@pytest.fixture
def elapsed_world(
    drafting_project: Any, drafting_group: Any, drafting_runner: Any, drafting_member: Any
) -> World:
    return build_world(drafting_project, drafting_group, drafting_runner, drafting_member)


def _deadline(consultation: Consultation) -> Deadline:
    return Deadline.objects.get(
        source=source_of(consultation), kind=DeadlineKind.CONSULTATION_CLOSE
    )


def _responses(consultation: Consultation) -> list[tuple[Any, ...]]:
    return list(
        Response.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("id", "reference", "confidentiality", "submitted_at", "name", "email")
    )


def test_the_elapsed_periods_end_on_the_clock_once(elapsed_world: World) -> None:
    world = elapsed_world
    public = close_in_the_past(world.public)  # three responses, its period over
    before = _responses(public)
    assert len(before) == 3
    assert _deadline(world.closed).status == DeadlineStatus.OPEN
    assert _deadline(public).status == DeadlineStatus.OPEN

    assert services.close_elapsed() == 2

    for ended in (world.closed, public):
        deadline = _deadline(ended)
        assert deadline.status == DeadlineStatus.MET
        assert deadline.closed_at is not None
    for still_open in (world.to_close, world.wg):
        assert _deadline(still_open).status == DeadlineStatus.OPEN
    assert _deadline(world.done).status == DeadlineStatus.MET  # closed when published
    # the consultations and their responses are as they were
    public.refresh_from_db()
    assert public.closed_early_at is None
    assert public.responses_published_at is None
    assert _responses(public) == before
    event = AuditEvent.objects.get(action=ACTION)
    assert event.actor is None
    assert event.after["count"] == 2
    assert event.after["consultations"] == sorted([world.closed.pk, public.pk])
    assert "Name public" not in (event.after_json or "")

    # again: nothing left to end, nothing audited
    assert services.close_elapsed() == 0
    assert AuditEvent.objects.filter(action=ACTION).count() == 1


def test_the_period_ends_at_its_closing_moment(elapsed_world: World) -> None:
    to_close = elapsed_world.to_close
    closes = to_close.opens_at + datetime.timedelta(days=10)  # before the others' close
    Consultation.objects.filter(pk=to_close.pk).update(closes_at=closes)
    assert services.close_elapsed(now=closes - datetime.timedelta(microseconds=1)) == 1
    assert _deadline(elapsed_world.closed).status == DeadlineStatus.MET
    assert _deadline(to_close).status == DeadlineStatus.OPEN
    assert services.close_elapsed(now=closes) == 1
    assert _deadline(to_close).status == DeadlineStatus.MET
    assert _deadline(elapsed_world.public).status == DeadlineStatus.OPEN


def test_an_early_close_leaves_nothing_to_end(elapsed_world: World) -> None:
    world = elapsed_world
    services.consultation_close(actor=world.runner, consultation=world.to_close)
    assert _deadline(world.to_close).status == DeadlineStatus.MET
    assert services.close_elapsed() == 1  # `closed` only
    assert AuditEvent.objects.get(action=ACTION).after["consultations"] == [world.closed.pk]


def test_the_command_ends_them_now(elapsed_world: World) -> None:
    result = CliRunner().invoke(app, ["drafting", "consultation", "close-elapsed"])
    assert result.exit_code == 0, result.output
    assert "1 consultation period(s) ended on the clock" in result.output
    assert _deadline(elapsed_world.closed).status == DeadlineStatus.MET
    result = CliRunner().invoke(app, ["drafting", "consultation", "close-elapsed"])
    assert "0 consultation period(s) ended" in result.output
