"""The portal's models, one module per part (content, help, updates, calls, checker)."""

from aioffice.portal.models_calls import Application, Call
from aioffice.portal.models_checker import CheckerEmail
from aioffice.portal.models_content import (
    GuidanceDocument,
    GuidanceFile,
    GuidanceVersion,
    NewsItem,
)
from aioffice.portal.models_help import Enquiry, LiteracyPractice, SupportStructure
from aioffice.portal.models_updates import (
    Bulletin,
    ConsentText,
    Delivery,
    Subscriber,
    Subscription,
)

__all__ = [
    "Application",
    "Bulletin",
    "Call",
    "CheckerEmail",
    "ConsentText",
    "Delivery",
    "Enquiry",
    "GuidanceDocument",
    "GuidanceFile",
    "GuidanceVersion",
    "LiteracyPractice",
    "NewsItem",
    "Subscriber",
    "Subscription",
    "SupportStructure",
]
