"""A representative whose mandate ended sees nothing more of the provider: its
documentation, Annex XII requests, Frameworks, Model Reports, deadlines and compliance."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.core.testing import signed_in_client
from aioffice.registry import services as registry
from aioffice.registry.codeofpractice import services
from aioffice.registry.codeofpractice.models import Chapter
from aioffice.registry.documentation import services as documentation

from ..documentation.conftest import member_of
from .conftest import make_provider, make_version, pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.now().date()


def test_an_ended_mandate_ends_the_representatives_view(media_root: Path) -> None:
    provider = make_provider("Outside AI")
    version = make_version(provider, placed_on_market=TODAY)
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=TODAY
    )
    framework = services.framework_submit(
        actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
    )
    draft = documentation.submission_save_draft(
        actor=None, version=version, doc_type="annex_xi_1", content={}
    )
    representative = accounts.organisation_create(
        actor=None,
        name="Rep SA",
        kind=OrganisationKind.AUTHORISED_REPRESENTATIVE,
        country="BE",
        established_in_union=True,
    )
    mandate = registry.representative_appoint(
        actor=None,
        provider=provider,
        representative=representative,
        document=ContentFile(b"%PDF-1.4 mandate", name="mandate.pdf"),
        union_country="BE",
        tasks=["art54_3_a"],
        start=TODAY,
    )
    client = signed_in_client(member_of(representative, "rep"))
    assert client.get(f"/api/v1/documentation/versions/{version.pk}").status_code == 200
    urls_404 = [
        f"/api/v1/documentation/versions/{version.pk}",
        f"/api/v1/documentation/submissions/{draft.pk}",
        f"/documentation/versions/{version.pk}/",
        f"/code-of-practice/frameworks/{framework.pk}/document",
        f"/registry/versions/{version.pk}/compliance/",
        f"/api/v1/monitoring/versions/{version.pk}",
    ]
    counted = [
        "/api/v1/documentation/submissions",
        "/api/v1/code-of-practice/frameworks",
        "/api/v1/code-of-practice/deadlines",
        "/api/v1/monitoring/gaps",
    ]
    assert all(client.get(url).json()["count"] == 1 for url in counted)
    registry.representative_terminate(actor=None, mandate=mandate, reasons="Contract ended.")
    assert [client.get(url).status_code for url in urls_404] == [404] * len(urls_404)
    assert [client.get(url).json()["count"] for url in counted] == [0] * len(counted)
