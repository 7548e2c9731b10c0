"""Demo data for drafting, part analysis: one finished analysis run of the demo's public
consultation (version 1 of the demo code), made at once (not by the worker) with the
embedder the settings give (MiniLM where it is installed, the lexical one otherwise), so
that its campaigns, themes and suggested sections are there to read. Loads once: a
consultation that already has a finished run is left as it is."""

from __future__ import annotations

from typing import Any

from aioffice.demo_data.drafting_consultations import PUBLIC_TITLE
from aioffice.drafting import services_analysis as services
from aioffice.drafting.models_analysis import AnalysisRun, RunStatus
from aioffice.drafting.models_consultations import Consultation


def load(*, users: dict[str, Any]) -> None:
    consultation = Consultation.objects.filter(title=PUBLIC_TITLE).first()
    if consultation is None:
        return
    if AnalysisRun.objects.filter(consultation=consultation, status=RunStatus.DONE).exists():
        return
    run = services.run_request(actor=users["policy"], consultation=consultation, enqueue=False)
    services.run_execute(run.pk)
