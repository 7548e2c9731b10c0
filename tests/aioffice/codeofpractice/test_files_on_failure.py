"""A failed submission leaves no document behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from aioffice.registry.codeofpractice import services
from aioffice.registry.codeofpractice.models import (
    Chapter,
    FrameworkSubmission,
    ModelReportSubmission,
)

from .conftest import make_provider, make_version, pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.now().date()


def test_failed_submissions_remove_their_stored_documents(
    media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = make_provider("Alpha AI")
    version = make_version(provider, placed_on_market=TODAY)
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=TODAY
    )

    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.framework_submit(
            actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
        )
    with pytest.raises(RuntimeError):
        services.model_report_submit(actor=None, version=version, document=pdf())
    assert FrameworkSubmission.objects.count() == ModelReportSubmission.objects.count() == 0
    stored = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert stored == []


def test_the_lateness_of_a_submission_is_stored_with_aiacts_citations(media_root: Path) -> None:
    """Law as code: a decision affecting the provider (its `late` flag) keeps the facts,
    the reasons, the citations and the rules version."""
    from aiact import load_law

    provider = make_provider("Cited AI")
    version = make_version(provider, placed_on_market=TODAY)
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=TODAY
    )
    framework = services.framework_submit(
        actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
    )
    report = services.model_report_submit(actor=None, version=version, document=pdf())
    for submission in (framework, report):
        assert submission.citations and submission.reasons
        assert submission.rules_version == load_law().rules_version


def test_a_document_whose_file_is_gone_is_a_404_not_a_500(media_root: Path) -> None:
    from aioffice.accounts.choices import Role
    from aioffice.core.testing import make_user, signed_in_client

    provider = make_provider("Gone AI")
    make_version(provider, placed_on_market=TODAY)
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=TODAY
    )
    framework = services.framework_submit(
        actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
    )
    staff = signed_in_client(make_user(Role.LEGAL_OFFICER))
    url = f"/code-of-practice/frameworks/{framework.pk}/document"
    assert staff.get(url).status_code == 200
    framework.document.storage.delete(framework.document.name)
    assert staff.get(url).status_code == 404
