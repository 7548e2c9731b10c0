"""`aioffice watchlist import` and `export`: one line per outcome, exit status 2 on bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aioffice.cli import main
from aioffice.registry.watchlist.models import WatchlistImport

from .conftest import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, content: bytes, name: str = "estimates.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_import_then_export(
    registered: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, csv_bytes(*ROWS))
    code = main(
        ["watchlist", "import", path, "--source", "Fictional", "--retrieved-on", "2026-11-20",
         "--map", "confidence=Confidence"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    made = WatchlistImport.objects.get()
    assert f"import #{made.pk}: 6 rows, 1 with errors" in out
    assert made.retrieved_on.isoformat() == "2026-11-20"
    assert main(["watchlist", "export", "--on", "import"]) == 0
    exported = capsys.readouterr().out.splitlines()
    assert exported[0].startswith("import,row,model")
    assert any("Quill-2" in line for line in exported)


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--map", "model"], None, "'model' is not field=column"),
        (["--map", "model=Nope"], None, "The file has no column 'Nope'"),
        (["--retrieved-on", "soon"], None, "not a date"),
        ([], b"Name,Flops\nA,1e25\n", "mapping.training_compute_flop"),
        ([], b"", "The file is empty"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    db: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    content: bytes | None,
    message: str,
) -> None:
    path = _file(tmp_path, csv_bytes(*ROWS) if content is None else content)
    code = main(["watchlist", "import", path, "--source", "x", *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], err
    assert not WatchlistImport.objects.exists()


def test_a_missing_file_and_an_unknown_import_are_refused(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["watchlist", "import", str(tmp_path / "nope.csv"), "--source", "x"]) == 2
    assert main(["watchlist", "export", "--import", "9"]) == 2
    assert "no such import" in capsys.readouterr().err
