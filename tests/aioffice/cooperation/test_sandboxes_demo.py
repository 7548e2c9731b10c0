"""The sandboxes' demo: the French sandbox operational and run by the French demo authority,
the Spanish one and the Union-level one planned, all published, and Aurora's application
waiting for a decision on the clock; loaded once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aioffice import demo
from aioffice.cooperation.models_sandboxes import Sandbox, SandboxApplication
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_var(settings: Any, tmp_path: Path) -> Path:
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_the_demo_sandboxes_and_auroras_pending_application(demo_var: Path) -> None:
    demo.load_once()
    boxes = {s.member_state or "EU": s for s in Sandbox.objects.all()}
    assert boxes["FR"].status == "operational" and boxes["FR"].operating_authority is not None
    assert boxes["FR"].operating_authority.organisation.name.endswith("(démo)")
    assert boxes["ES"].status == "planned" and boxes["EU"].level == "union"
    assert all(s.published and "demo" in s.description.lower() for s in boxes.values())
    application = SandboxApplication.objects.get()
    assert application.status == "pending" and application.applicant.name == "Aurora Models SE"
    assert Deadline.objects.filter(kind=DeadlineKind.SANDBOX_DECISION, status="open").count() == 1
    demo.load_once()
    assert Sandbox.objects.count() == 3 and SandboxApplication.objects.count() == 1
