"""Settings come from the environment; production settings pass Django's deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def _django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AIOFFICE_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their server
    return subprocess.run(  # noqa: S603  (our own command)
        [sys.executable, "-m", "django", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "aioffice.settings", **env},
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path: Path) -> None:
    env = _env_example()
    env["AIOFFICE_SECRET_KEY"] = "k" * 20 + "-Zq8#n2Lw!pX4vR7tY1uE9oI3aS6dF0gH5jK"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["AIOFFICE_VAR_DIR"] = str(tmp_path)
    env["AIOFFICE_STATIC_ROOT"] = str(tmp_path / "static")
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_collectstatic_works_with_the_production_storage(tmp_path: Path) -> None:
    """The production storage (whitenoise's manifest) follows every reference in the CSS:
    the assets must not point at source maps that are not shipped."""
    env = _env_example()
    env["AIOFFICE_SECRET_KEY"] = "k" * 20 + "-Zq8#n2Lw!pX4vR7tY1uE9oI3aS6dF0gH5jK"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["AIOFFICE_VAR_DIR"] = str(tmp_path)
    env["AIOFFICE_STATIC_ROOT"] = str(tmp_path / "static")
    result = _django(["collectstatic", "--noinput"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    assert (tmp_path / "static" / "ecl" / "styles" / "ecl-ec.css").is_file()


def test_env_example_lists_every_variable_the_settings_read() -> None:
    source = (ROOT / "src/aioffice/settings.py").read_text()
    import re

    read = set(re.findall(r'"(AIOFFICE_[A-Z_]+)"', source)) - {
        "AIOFFICE_PROJECT_DIR",  # where the checkout is: found from the package
        "AIOFFICE_TESTING",  # set by the test runner only
        "AIOFFICE_NEW_PASSWORD",
    }
    read.add("DATABASE_URL")
    assert read <= set(_env_example()), read - set(_env_example())


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _django(["check"], {"AIOFFICE_DEBUG": "0", "AIOFFICE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "AIOFFICE_SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_named(tmp_path: Path) -> None:
    result = _django(["check"], {"AIOFFICE_DEBUG": "maybe", "AIOFFICE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "AIOFFICE_DEBUG: expected true or false" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(self: object, sql: str, params: object = None) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_a_well_formed_request_id_is_echoed(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-0123456789")
    assert response["X-Request-ID"] == "trace-0123456789"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>"
