"""The `aioffice` command as a user runs it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aioffice.accounts.models import Membership, User
from aioffice.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own command, fixed arguments)
        [sys.executable, "-m", "aioffice", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "AIOFFICE_DEBUG": "1", **(env or {})},
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "No such command 'bogus'"),
        (["createstaff", "--username", "x"], "Missing option '--email'"),
        (["run", "--port", "0"], "--port"),
        (["audit", "verify", "--what"], "No such option"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_help_lists_the_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("run", "worker", "audit", "createstaff", "demo", "manage"):
        assert command in result.stdout


def test_createstaff_makes_an_office_member(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIOFFICE_NEW_PASSWORD", "Very-Strong-Passw0rd")
    code = main(
        [
            "createstaff",
            "--username",
            "lena",
            "--email",
            "lena@ec.example",
            "--role",
            "legal_officer",
        ]
    )
    assert code == 0
    user = User.objects.get(username="lena")
    assert user.is_office_staff
    assert Membership.objects.get(user=user).organisation.kind == "ai_office"
    assert user.check_password("Very-Strong-Passw0rd")


@pytest.mark.parametrize(
    ("password", "role", "message"),
    [
        ("short", "legal_officer", "error: password:"),
        ("Very-Strong-Passw0rd", "king", "error: --role:"),
    ],
)
def test_createstaff_refuses_bad_input(
    password: str,
    role: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIOFFICE_NEW_PASSWORD", password)
    code = main(["createstaff", "--username", "x", "--email", "x@ec.example", "--role", role])
    assert code == 2
    assert capsys.readouterr().err.startswith(message)
    assert not User.objects.filter(username="x").exists()


def test_demo_load_creates_every_role_once(
    capsys: pytest.CaptureFixture[str], settings: object, tmp_path: Path
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    assert main(["demo", "load"]) == 0
    out = capsys.readouterr().out
    assert "Demo logins (new)" in out
    stored_logins = json.loads((tmp_path / "demo-logins.json").read_text())
    for login in stored_logins:  # printed whole, whatever the terminal width
        assert login["password"] in out
        assert login["totp_key"] is None or login["totp_key"] in out
    roles = set(Membership.objects.values_list("role", flat=True))
    from aioffice.accounts.choices import Role

    assert roles == set(Role.values)
    stored = (tmp_path / "demo-logins.json").stat()
    assert oct(stored.st_mode & 0o777) == "0o600"
    users = User.objects.count()
    assert main(["demo", "load"]) == 0
    assert "Demo logins (new)" not in capsys.readouterr().out
    assert User.objects.count() == users
    assert main(["demo", "totp", "policy"]) == 0
    assert capsys.readouterr().out.strip().isdigit()
    assert main(["demo", "totp", "provider"]) == 2


def test_demo_load_is_refused_without_debug(
    capsys: pytest.CaptureFixture[str], settings: object
) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    assert main(["demo", "load"]) == 2
    assert "only for DEBUG" in capsys.readouterr().err
    assert not User.objects.exists()
    assert main(["demo", "totp", "policy"]) == 2


def test_manage_passes_through_to_django(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run("manage", "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_run_migrates_loads_the_demo_and_serves(tmp_path: Path) -> None:
    """What `make run` does after set-up, on a fresh SQLite database."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "AIOFFICE_DEBUG": "1",
        "AIOFFICE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603  (our own command)
        [sys.executable, "-m", "aioffice", "run", "--port", str(port), "--no-reload"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    status = response.status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json") as response:
            assert json.load(response)["openapi"].startswith("3.")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "Demo logins (new):" in output
    assert f"Serving European AI Office at http://127.0.0.1:{port}/" in output
    # a background worker ran beside the site and stopped with it
    started = re.search(r"Background worker started \(process (\d+)\)", output)
    assert started is not None, output
    worker = int(started.group(1))
    # the site waited for it, so it is gone, not a zombie (Linux: /proc)
    assert not Path(f"/proc/{worker}").exists()
    assert (tmp_path / "demo-logins.json").exists()
