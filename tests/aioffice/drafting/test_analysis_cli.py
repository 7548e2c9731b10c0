"""`aioffice drafting analyse <id> --as <user>`: the run done in the foreground and what it
found printed; bad input is one line on stderr with exit status 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from aioffice.accounts.models import User
from aioffice.cli import app
from aioffice.drafting.models_analysis import AnalysisRun, RunStatus

from .analysis_world import World

pytestmark = pytest.mark.django_db


def test_analyse_runs_in_the_foreground(analysis_world: World, drafting_chair: User) -> None:
    pk = str(analysis_world.consultation.pk)
    result = CliRunner().invoke(app, ["drafting", "analyse", pk, "--as", "drafting-chair"])
    assert result.exit_code == 0, result.output
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.DONE
    assert run.requested_by == drafting_chair
    assert f"run {run.pk}: 19 feedback item(s) read with lexical-hash-v1" in result.output
    assert "1 campaign(s)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999", "--as", "drafting-chair"], "consultation: no consultation has the id"),
        (["{pk}", "--as", "nobody"], "--as: no active user is called 'nobody'"),
        (["{pk}", "--as", "drafting-member"], "--as: Only the Office and the project's chairs"),
        (["{pk}", "--as", "drafting-chair", "--theme-threshold", "7"], "theme_threshold: Enter"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    analysis_world: World,
    drafting_chair: User,
    drafting_member: User,
    args: list[str],
    message: str,
) -> None:
    pk = str(analysis_world.consultation.pk)
    argv = ["drafting", "analyse", *[a.format(pk=pk) for a in args]]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.output
    assert not AnalysisRun.objects.exists()
