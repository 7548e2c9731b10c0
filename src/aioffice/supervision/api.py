"""Supervision's API, mounted at /api/v1/supervision/: intake and triage (`/intake`),
cases and their steps (`/cases`), deadlines (`/deadlines`)."""

from ninja import Router

from aioffice.supervision.api_cases import router as cases_router
from aioffice.supervision.api_clock import router as clock_router
from aioffice.supervision.api_intake import router as intake_router

router = Router()
router.add_router("/intake", intake_router)
router.add_router("/cases", cases_router)
router.add_router("/deadlines", clock_router)
