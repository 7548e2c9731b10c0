"""`aioffice drafting consultation list|import|export`: the consultations with their state and
counts; a CSV of letters entered through the service (all or nothing); all the feedback,
confidential responses included, streamed as CSV or JSON; bad input is one line on stderr,
exit status 2."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from tests.aioffice.drafting.consultations_world import World, build_world
from typer.testing import CliRunner

from aioffice.drafting.models_consultations import (
    Channel,
    Confidentiality,
    Consultation,
    Feedback,
    IdentityCheck,
    Response,
)
from aioffice.drafting.selectors_consultations import EXPORT_HEADER

pytestmark = pytest.mark.django_db

HEADER = "respondent,name,organisation,category,email,confidentiality,section,position,comment\n"


def invoke(*args: str) -> Any:
    from aioffice.cli import app

    return CliRunner().invoke(app, ["drafting", "consultation", *args])


@pytest.fixture
def cli_world(
    drafting_project: Any, drafting_group: Any, drafting_runner: Any, drafting_member: Any
) -> World:
    return build_world(drafting_project, drafting_group, drafting_runner, drafting_member)


def _letters(count: int) -> str:
    lines = [HEADER]
    for i in range(count):
        who = f"letter-{i // 2}"
        where, position = ("copyright", "oppose") if i % 2 else ("", "comment")
        lines.append(
            f"{who},Writer {i // 2},,rightholder,,anonymous,{where},{position},Letter {i}.\n"
        )
    return "".join(lines)


def test_list_shows_open_and_closed_with_counts(cli_world: World) -> None:
    wg = cli_world.wg  # opens tomorrow
    Consultation.objects.filter(pk=wg.pk).update(opens_at=timezone.now() + timedelta(days=1))
    result = invoke("list")
    assert result.exit_code == 0, result.output
    rows = {
        int(cells[1]): [c.strip() for c in cells[1:-1]]
        for line in result.output.splitlines()
        if (cells := line.split("│")) and len(cells) > 2 and cells[1].strip().isdigit()
    }
    assert set(rows) == set(Consultation.objects.values_list("pk", flat=True))
    public, done, closed = (
        rows[cli_world.public.pk],
        rows[cli_world.done.pk],
        rows[cli_world.closed.pk],
    )
    assert public[6:] == ["open", "3", "6"]
    assert done[6:] == ["published", "3", "6"]
    assert closed[6:] == ["closed", "0", "0"]
    assert rows[wg.pk][6] == "upcoming"
    assert "2 open, 2 closed, 1 upcoming" in result.output


def test_import_a_large_csv(cli_world: World, drafting_runner: Any, tmp_path: Path) -> None:
    consultation = cli_world.to_close
    file = tmp_path / "letters.csv"
    file.write_text(_letters(3000), encoding="utf-8")
    result = invoke("import", str(consultation.pk), str(file), "--as", "drafting-runner")
    assert result.exit_code == 0, result.output
    assert f"consultation {consultation.pk}: 1500 response(s) entered from 3000 row(s)" in (
        result.output
    )
    made = Response.objects.filter(consultation=consultation)
    assert made.count() == 1500
    assert {(r.channel, r.identity_check) for r in made} == {
        (Channel.IMPORT, IdentityCheck.OFFICE_IMPORT)
    }
    assert Feedback.objects.filter(response__consultation=consultation).count() == 3000


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_export_everything_streamed(cli_world: World, kind: str, tmp_path: Path) -> None:
    consultation = cli_world.public
    out = tmp_path / f"export.{kind}"
    result = invoke("export", str(consultation.pk), "--format", kind, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert tuple(rows[0]) == EXPORT_HEADER
    else:
        body = json.loads(text)
        assert body["consultation"] == consultation.pk
        rows = body["feedback"]
    assert len(rows) == 6
    assert {r["confidentiality"] for r in rows} == set(Confidentiality.values)
    confidential = [r for r in rows if r["confidentiality"] == Confidentiality.CONFIDENTIAL]
    assert {r["email"] for r in confidential} == {"confidential@example.org"}


def test_export_on_stdout(cli_world: World) -> None:
    result = invoke("export", str(cli_world.closed.pk))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [",".join(EXPORT_HEADER)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "999999", "{good}", "--as", "drafting-runner"], "consultation: no consult"),
        (["import", "{open}", "{good}", "--as", "nobody"], "--as: no active user is called"),
        (["import", "{open}", "{good}", "--as", "drafting-member"], "--as: Only the Office"),
        (["import", "{open}", "{missing}", "--as", "drafting-runner"], "file: cannot read"),
        (["import", "{open}", "{latin}", "--as", "drafting-runner"], "file: the file is not UTF-8"),
        (["import", "{open}", "{nocols}", "--as", "drafting-runner"], "file: the CSV has no colum"),
        (["import", "{open}", "{badrow}", "--as", "drafting-runner"], "rows[1].section: No sec"),
        (["import", "{open}", "{empty}", "--as", "drafting-runner"], "rows: There is nothing"),
        (["import", "{closed}", "{good}", "--as", "drafting-runner"], "consultation: The consul"),
        (["export", "999999"], "consultation: no consultation has the id 999999"),
        (["export", "{open}", "--format", "xml"], "--format: choose csv or json"),
        (["export", "{open}", "-o", "{nodir}"], "--output: cannot write"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli_world: World, drafting_member: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    files = {
        "good": tmp_path / "good.csv",
        "missing": tmp_path / "absent.csv",
        "latin": tmp_path / "latin.csv",
        "nocols": tmp_path / "nocols.csv",
        "badrow": tmp_path / "badrow.csv",
        "empty": tmp_path / "empty.csv",
        "nodir": tmp_path / "no" / "such" / "dir.csv",
    }
    files["good"].write_text(_letters(2), encoding="utf-8")
    files["latin"].write_bytes(
        (HEADER + "a,Zoë,,other,,public,,support,Très bien\n").encode("latin-1")
    )
    files["nocols"].write_text("who,what\nA,B\n", encoding="utf-8")
    files["badrow"].write_text(
        HEADER + "a,A,,other,,public,,support,Fine.\nb,B,,other,,public,nowhere,oppose,No.\n",
        encoding="utf-8",
    )
    files["empty"].write_text(HEADER, encoding="utf-8")
    values = {k: str(v) for k, v in files.items()}
    values |= {"open": str(cli_world.to_close.pk), "closed": str(cli_world.closed.pk)}
    before = Response.objects.count()
    result = invoke(*[a.format(**values) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert Response.objects.count() == before
