"""The drafting API at /api/v1/drafting/, one router per part."""

from ninja import Router

from aioffice.drafting.api_adoption import router as adoption_router
from aioffice.drafting.api_analysis import router as analysis_router
from aioffice.drafting.api_consultations import router as consultations_router
from aioffice.drafting.api_drafts import router as drafts_router
from aioffice.drafting.api_projects import router as projects_router

router = Router()
router.add_router("/projects", projects_router)
router.add_router("/drafts", drafts_router)
router.add_router("/consultations", consultations_router)
router.add_router("/analysis", analysis_router)
router.add_router("/adoption", adoption_router)
