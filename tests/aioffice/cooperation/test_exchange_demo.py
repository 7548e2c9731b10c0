"""The exchange's demo: after the whole demo, the French demo authority's login sees the
supervision demo's case, a shared document, an answered Art. 75(3) request and an open
Art. 75(2a) request; staff see the ECAT support request; loading twice adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aioffice import demo
from aioffice.accounts.models import User
from aioffice.cooperation.models_exchange import DocumentShare, ExchangeRequest, SharedDocument
from aioffice.core.testing import signed_in_client
from aioffice.demo_data import cooperation_exchange
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

API = "/api/v1/cooperation/exchange"


@pytest.fixture
def demo_var(settings: Any, tmp_path: Path) -> Path:
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_the_exchange_demo_is_loaded_once_and_seen_by_the_french_authority(
    demo_var: Path,
) -> None:
    demo.load_once()
    if not cooperation_exchange.is_loaded():
        pytest.skip("the authorities demo (the French demo authority) is not loaded yet")
    counts = (SharedDocument.objects.count(), ExchangeRequest.objects.count())
    cooperation_exchange.load(users={u.username: u for u in User.objects.all()})
    assert counts == (SharedDocument.objects.count(), ExchangeRequest.objects.count())
    assert DocumentShare.objects.filter(revoked_at=None).count() == 1
    kinds = dict(ExchangeRequest.objects.values_list("kind", "status"))
    assert kinds == {
        "msa_information": "answered",
        "msa_assessment": "received",
        "support": "received",
    }
    assert Deadline.objects.filter(kind=DeadlineKind.MSA_ASSESSMENT, status="open").count() == 1
    client = signed_in_client(User.objects.get(username="authority"))
    assert len(client.get(f"{API}/cases").json()["items"]) == 1
    assert len(client.get(f"{API}/documents").json()["items"]) == 1
    assert {r["kind"] for r in client.get(f"{API}/requests").json()["items"]} == {
        "msa_information",
        "msa_assessment",
    }
    spanish = signed_in_client(User.objects.get(username="dpa"))
    assert spanish.get(f"{API}/documents").json()["items"] == []
