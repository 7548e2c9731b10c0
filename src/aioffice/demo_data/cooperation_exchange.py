"""Demo data for cooperation, part exchange (loaded by `aioffice.demo._load_cooperation`,
after the authorities directory): the supervision demo's case shared with the French demo
authority, a shared document, an Art. 75(3) request answered, an Art. 75(2a) request open
and a support request to ECAT. Everything through the services (the clock computes each
due date as in real use); fictional content, marked "demo data".

Loaded once (the shared document's title marks it); a step the services refuse is left
out with a note in the log.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MARK = "Demo: notes of the joint inspection of Aurora Polaris deployments"
NOTE = "Fictional demo data."
FRENCH_ORGANISATION = "Autorité de surveillance du marché (démo)"
CASE_TITLE = "Demo: mitigation of chemical misuse in Aurora Polaris"


def is_loaded() -> bool:
    from aioffice.cooperation.models_exchange import SharedDocument

    return SharedDocument.objects.filter(title=MARK).exists()


def load(*, users: dict[str, Any]) -> None:
    """Load the exchange's demo once."""
    if is_loaded():
        return
    from aioffice.cooperation import services_exchange as services
    from aioffice.cooperation.models_authorities import Authority
    from aioffice.supervision import services_cases
    from aioffice.supervision.models import Case

    french = Authority.objects.filter(organisation__name=FRENCH_ORGANISATION, active=True).first()
    office = users.get("legal")
    member = users.get("authority")
    if french is None or office is None or member is None:
        logger.warning("exchange demo left out: no French demo authority or demo users")
        return
    today = timezone.now().date()

    def step(name: str, action: Any) -> Any:
        try:
            with transaction.atomic():
                return action()
        except (ValidationError, PermissionDenied) as exc:
            logger.warning("exchange demo: %s left out (%s)", name, exc)
            return None

    case = Case.objects.filter(title=CASE_TITLE).first()
    if case is not None and not case.shares.filter(
        authority_id=french.organisation_id, revoked_at=None
    ):
        step(
            "case share",
            lambda: services_cases.case_share(
                actor=office,
                case=case,
                authority=french.organisation,
                reason="Joint activity with the French market surveillance authority "
                "(Art. 74(11)). " + NOTE,
            ),
        )
    document = step(
        "shared document",
        lambda: services.document_upload(
            actor=office,
            upload=SimpleUploadedFile(
                "joint-inspection-notes.txt",
                ("Notes of the joint inspection (demo data). " + NOTE + "\n").encode(),
            ),
            title=MARK,
            description="What the joint inspection found at two deployers. " + NOTE,
            confidentiality="investigation",
            case=case,
        ),
    )
    if document is not None:
        step(
            "document share",
            lambda: services.document_share(
                actor=office,
                document=document,
                authority=french,
                reason="The authority takes part in the joint inspection. " + NOTE,
            ),
        )
    answered = step(
        "Art. 75(3) request",
        lambda: services.request_submit(
            actor=member,
            kind="msa_information",
            authority=french,
            subject="Demo: documentation of Aurora Polaris for a high-risk investigation",
            facts="A recruitment system built on Polaris is under investigation; we need the "
            "model's technical documentation to conclude it (Art. 75(3)). " + NOTE,
            operator_named="Aurora Models SE (demo)",
        ),
    )
    if answered is not None:
        step(
            "Art. 75(3) answer",
            lambda: services.request_answer(
                actor=office,
                request=answered,
                answer="The relevant parts of the Annex XI documentation are attached. " + NOTE,
                files=[
                    SimpleUploadedFile(
                        "annex-xi-extract.txt", ("Annex XI extract. " + NOTE + "\n").encode()
                    )
                ],
            ),
        )
    step(
        "Art. 75(2a) request",
        lambda: services.request_submit(
            actor=member,
            kind="msa_assessment",
            authority=french,
            subject="Demo: chatbot of a very large online platform without disclosure",
            facts="Users are not told they talk to an AI system (Art. 50(1)); the system is "
            "built on the provider's own GPAI model, so Art. 75(1)(a) applies. " + NOTE,
            operator_named="Northwind Intelligence Inc. (demo)",
        ),
    )
    step(
        "ECAT support request",
        lambda: services.request_submit(
            actor=users.get("policy") or office,
            kind="support",
            institution="ecat",
            subject="Demo: analysis of a recommender system's ranking signals",
            facts="Technical support for the assessment of a platform's recommender. " + NOTE,
            due_on=today + timedelta(days=60),
        ),
    )
