"""Demo data for cooperation, part authorities (loaded by `aioffice.demo._load_cooperation`,
first: the other parts refer to its authorities), through the services.

Every authority here is invented for the demo and says so in its name and tasks: none is a
real designation of a Member State. France: a general market surveillance authority, the
single point of contact, linked to the demo organisation "Autorité de surveillance du
marché (démo)" (the `authority` login). Spain: a data-protection market surveillance
authority of Art. 74(8) linked to "Agencia de protección de datos (demo)" (the `dpa` login),
a general one as single point of contact and a notifying authority. Germany, Italy and the
Netherlands: one or two invented authorities each. The other 22 Member States have no
designation recorded, which the directory shows as a gap. France's first report on its
authorities' resources is recorded as received; every Member State gets its open
resource-report deadline. Loaded once: a second call changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts.models import Organisation
from aioffice.cooperation import services_authorities as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models_authorities import Authority

DEMO = "Demo data: an invented authority, not a real designation of the Member State."
FRENCH_ORGANISATION = "Autorité de surveillance du marché (démo)"
SPANISH_ORGANISATION = "Agencia de protección de datos (demo)"
PUBLISHED_ON = date(2025, 7, 31)  # an invented publication date for the demo

AUTHORITIES: tuple[dict[str, Any], ...] = (
    {
        "member_state": "FR",
        "name": FRENCH_ORGANISATION,
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.GENERAL,
        "tasks": f"Market surveillance of AI systems in France (general remit). {DEMO}",
        "email": "contact@msa-fr.example.org",
        "phone": "+33 1 00 00 00 00",
        "website": "https://msa-fr.example.org",
        "address": "1 rue de l'Exemple\n75000 Paris",
        "contact_published_on": PUBLISHED_ON,
        "organisation": FRENCH_ORGANISATION,
        "single_point_of_contact": True,
    },
    {
        "member_state": "ES",
        "name": SPANISH_ORGANISATION,
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.DATA_PROTECTION,
        "tasks": (
            "Market surveillance of high-risk AI systems of Annex III points 1, 6, 7 and 8 "
            f"(Art. 74(8)). {DEMO}"
        ),
        "email": "ia@apd-es.example.org",
        "website": "https://apd-es.example.org",
        "contact_published_on": PUBLISHED_ON,
        "organisation": SPANISH_ORGANISATION,
    },
    {
        "member_state": "ES",
        "name": "Autoridad general de vigilancia del mercado de IA (demo)",
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.GENERAL,
        "tasks": f"Market surveillance of AI systems in Spain (general remit). {DEMO}",
        "email": "contacto@vigilancia-es.example.org",
        "website": "https://vigilancia-es.example.org",
        "contact_published_on": PUBLISHED_ON,
        "single_point_of_contact": True,
    },
    {
        "member_state": "ES",
        "name": "Autoridad notificante de IA (demo)",
        "kind": AuthorityKind.NOTIFYING,
        "tasks": f"Assessment, designation and notification of conformity bodies. {DEMO}",
        "email": "notificacion@ia-es.example.org",
        "contact_published_on": PUBLISHED_ON,
    },
    {
        "member_state": "DE",
        "name": "Marktüberwachungsbehörde für KI (Demo)",
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.GENERAL,
        "tasks": f"Market surveillance of AI systems in Germany (general remit). {DEMO}",
        "email": "ki@marktaufsicht-de.example.org",
        "website": "https://marktaufsicht-de.example.org",
        "contact_published_on": PUBLISHED_ON,
        "single_point_of_contact": True,
    },
    {
        "member_state": "DE",
        "name": "Notifizierende Behörde für KI (Demo)",
        "kind": AuthorityKind.NOTIFYING,
        "tasks": f"Notifying authority for conformity assessment bodies. {DEMO}",
        "email": "notifizierung@ki-de.example.org",
    },
    {
        "member_state": "IT",
        "name": "Autorità di vigilanza finanziaria sull'IA (demo)",
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.FINANCIAL,
        "tasks": (
            "Market surveillance of high-risk AI systems of regulated financial institutions "
            f"(Art. 74(6)). {DEMO}"
        ),
        "email": "ia@vigilanza-it.example.org",
    },
    {
        "member_state": "NL",
        "name": "Aanmeldende autoriteit AI (demo)",
        "kind": AuthorityKind.NOTIFYING,
        "tasks": f"Notifying authority for conformity assessment bodies. {DEMO}",
        "website": "https://aanmelding-nl.example.org",
    },
)

REPORT = (
    b"Demo data: an invented report of France on the resources of its national competent "
    b"authorities (Art. 70(6)). Not a real report.\n"
)


def load(*, users: dict[str, Any]) -> None:
    if Authority.objects.filter(name=FRENCH_ORGANISATION).exists():
        return
    actor = users.get("admin")
    for spec in AUTHORITIES:
        values = dict(spec)
        spoc = values.pop("single_point_of_contact", False)
        linked = values.pop("organisation", None)
        if linked is not None:
            values["organisation"] = Organisation.objects.filter(name=linked).first()
        created = services.authority_create(actor=actor, **values)
        if spoc:
            services.authority_set_single_point_of_contact(actor=actor, authority=created)
    today = timezone.now().date()
    first = services.resource_report_dates(today)[0]
    services.resource_report_record(
        actor=actor,
        member_state="FR",
        received_on=min(first - timedelta(days=2), today),
        due_on=first,
        upload=SimpleUploadedFile("resource-report-FR-demo.txt", REPORT, "text/plain"),
        summary=f"Staff and budget of the French authorities. {DEMO}",
    )
    services.sync_deadlines()
