"""Portal demo (updates): loaded once by `aioffice.demo`, through the services; fictional
content written for the demo.

A few confirmed subscribers (example.org addresses, which receive nothing: the demo's
e-mails go to Django's dummy backend) and one message already sent to them.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import get_connection

from aioffice.portal.choices import SubscriberStatus, Topic

SITE_URL = "http://127.0.0.1:8000/"
SUBSCRIBERS: list[tuple[str, str, list[str]]] = [
    ("ines.duarte@example.org", "en", [Topic.GPAI, Topic.CODE_OF_PRACTICE]),
    ("marc.lefevre@example.org", "fr", [Topic.GUIDANCE, Topic.GPAI]),
    ("jonas.weber@example.org", "de", [Topic.GPAI, Topic.ENFORCEMENT]),
    ("sofia.marino@example.org", "en", [Topic.AI_LITERACY, Topic.EVENTS]),
]
BULLETIN_SUBJECT = "Demo: the AI Office's updates on general-purpose AI models"
BULLETIN_BODY = (
    "Hello,\n\n"
    "This is a demo message to the subscribers of the AI Office's updates on "
    "general-purpose AI models.\n\n"
    "The public register of models with systemic risk and the list of Code of Practice "
    "signatories are on the portal, with the guidance library and the compliance checker.\n\n"
    "The AI Office (demo)"
)


def load(*, users: dict[str, Any]) -> None:
    """Load the demo's subscribers and sent message once (each step skipped when done)."""
    from aioffice.portal import services_updates as services
    from aioffice.portal import tasks_updates as tasks
    from aioffice.portal.models_updates import Bulletin, Subscriber

    quiet = get_connection("django.core.mail.backends.dummy.EmailBackend")
    for email, language, topics in SUBSCRIBERS:
        if Subscriber.objects.filter(email=email, status=SubscriberStatus.ACTIVE).exists():
            continue
        signup = services.subscriber_signup(
            actor=None,
            email=email,
            topics=topics,
            consent=True,
            language=language,
            site_url=SITE_URL,
            connection=quiet,
        )
        if signup.token:
            services.subscriber_confirm(actor=None, token=signup.token)
    author = users.get("policy")
    if author is None or Bulletin.objects.filter(subject=BULLETIN_SUBJECT).exists():
        return
    bulletin = services.bulletin_create(
        actor=author, subject=BULLETIN_SUBJECT, body=BULLETIN_BODY, topics=[Topic.GPAI]
    )
    services.bulletin_queue(actor=author, bulletin=bulletin, site_url=SITE_URL, enqueue=False)
    tasks.deliver(bulletin.pk, connection=quiet)
