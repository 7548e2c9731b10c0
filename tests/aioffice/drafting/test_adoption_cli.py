"""`aioffice drafting adoption …`: the signatories of a code as a table (withdrawn ones with
--all), the open implementation-report deadlines (by code, up to a day); bad input is one
line on stderr with exit status 2."""

from __future__ import annotations

import datetime

import pytest
from typer.testing import CliRunner

from aioffice.cli import app
from aioffice.drafting import services_adoption as services

from .test_adoption_world import AdoptionWorld, adoption_world, opened, today

__all__ = ["adoption_world"]
pytestmark = pytest.mark.django_db


def _signed(w: AdoptionWorld) -> None:
    opening = opened(w)
    services.signature_record(
        actor=w.runner,
        opening=opening,
        provider=w.alpha,
        chapters=[w.transparency, w.safety],
        signed_on=today() - datetime.timedelta(days=3),
    )
    (beta,) = services.signature_record(
        actor=w.runner, opening=opening, provider=w.beta, chapters=[w.safety], signed_on=today()
    )
    services.signature_withdraw(actor=w.runner, signature=beta, reasons="Left (test).")


def test_the_signatories_table(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    _signed(w)
    runner = CliRunner()
    result = runner.invoke(app, ["drafting", "adoption", "signatories", w.project.slug])
    assert result.exit_code == 0, result.output
    assert result.output.count("Alpha Models (test)") == 2
    assert "Beta Models (test)" not in result.output
    assert "2 signature(s)" in result.output
    result = runner.invoke(app, ["drafting", "adoption", "signatories", w.project.slug, "--all"])
    assert result.exit_code == 0, result.output
    assert "Beta Models (test)" in result.output and "3 signature(s)" in result.output
    assert today().isoformat() in result.output  # signed and withdrawn today


def test_the_reports_due(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    _signed(w)  # Alpha owes its first report; Beta withdrew, so owes none
    runner = CliRunner()
    result = runner.invoke(app, ["drafting", "adoption", "reports-due"])
    assert result.exit_code == 0, result.output
    due = today() + datetime.timedelta(days=60)  # the world's first report date
    line = f"{due.isoformat()}\t{w.project.slug}\tAlpha Models (test)\t60"
    assert line in result.output.splitlines()
    assert "Beta" not in result.output and "1 report(s) due" in result.output
    args = ["drafting", "adoption", "reports-due", "--project", w.project.slug]
    early = (due - datetime.timedelta(days=1)).isoformat()
    result = runner.invoke(app, [*args, "--before", early])
    assert result.exit_code == 0 and "0 report(s) due" in result.output
    result = runner.invoke(app, [*args, "--before", due.isoformat()])
    assert result.exit_code == 0 and "1 report(s) due" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["signatories", "no-such-code"], "slug: no adopted code is called 'no-such-code'"),
        (["signatories", "test-code"], "slug: no adopted code is called 'test-code'"),
        (["reports-due", "--project", "nope"], "--project: no adopted code is called 'nope'"),
        (["reports-due", "--before", "26/11/2026"], "--before: not a date as YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    adoption_world: AdoptionWorld, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["drafting", "adoption", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
