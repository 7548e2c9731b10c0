"""The cooperation API at /api/v1/cooperation/, one router per part."""

from ninja import Router

from aioffice.cooperation.api_authorities import router as authorities_router
from aioffice.cooperation.api_bodies import router as bodies_router
from aioffice.cooperation.api_database import router as database_router
from aioffice.cooperation.api_exchange import router as exchange_router
from aioffice.cooperation.api_international import router as international_router
from aioffice.cooperation.api_rwt import router as rwt_router
from aioffice.cooperation.api_sandboxes import router as sandboxes_router

router = Router()
router.add_router("/authorities", authorities_router)
router.add_router("/bodies", bodies_router)
router.add_router("/exchange", exchange_router)
router.add_router("/sandboxes", sandboxes_router)
router.add_router("/real-world-tests", rwt_router)
router.add_router("/database", database_router)
router.add_router("/international", international_router)
