"""`aioffice cooperation exchange requests`: the open requests by default, all with --all,
filtered by kind; an unknown kind is one line on stderr and exit status 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aioffice.cli import app
from aioffice.cooperation import services_exchange as services

from .exchange_world import head, media_root, msa_request, support_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    media_root(settings, tmp_path)


def test_the_requests_open_by_default_all_on_request_and_by_kind() -> None:
    answered = msa_request(subject="First")
    services.request_answer(actor=head(), request=answered, answer="Done.")
    open_one = msa_request(subject="Second")
    support = support_request()
    runner = CliRunner()
    result = runner.invoke(app, ["cooperation", "exchange", "requests"])
    assert result.exit_code == 0, result.output
    assert open_one.reference in result.output and support.reference in result.output
    assert answered.reference not in result.output
    assert "2 request(s)" in result.output
    result = runner.invoke(app, ["cooperation", "exchange", "requests", "--all"])
    assert answered.reference in result.output and "3 request(s)" in result.output
    result = runner.invoke(app, ["cooperation", "exchange", "requests", "--kind", "support"])
    assert support.reference in result.output and "1 request(s)" in result.output


def test_an_unknown_kind_is_exit_status_2() -> None:
    result = CliRunner().invoke(app, ["cooperation", "exchange", "requests", "--kind", "gossip"])
    assert result.exit_code == 2
    assert "kind: must be one of" in result.output
