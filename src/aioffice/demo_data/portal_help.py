"""Portal demo (help for the public): loaded by `aioffice.demo`, through the services;
fictional content written for the demo.

Ten AI literacy practices of fictional organisations (each says so) across sectors, sizes,
Member States and languages, and one proposed by the public that waits for review;
support structures with generic names in several Member States (web pages and addresses
under example.org, a domain reserved for examples); two questions to the Office, one
answered and one waiting (fictional senders: no e-mail is sent). Each part is loaded once:
a second call changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.test.utils import override_settings

from aioffice.portal import services_help as services
from aioffice.portal.choices import OrganisationSize, Sector, SupportKind
from aioffice.portal.models_help import Enquiry, LiteracyPractice, SupportStructure

FICTIONAL = "A fictional example written for the demo."

PRACTICES: tuple[dict[str, Any], ...] = (
    {
        "title": "Monthly “try it together” sessions on writing assistants",
        "organisation": "Fjordline Dairy Cooperative (fictional)",
        "sector": Sector.MANUFACTURING,
        "organisation_size": OrganisationSize.MEDIUM,
        "member_state": "DK",
        "language": "en",
        "audience": "Office and sales staff",
        "description": (
            "Once a month, staff bring a real task and try the writing assistant on it "
            "together with a colleague from IT. They note where it helped, where it was "
            "wrong, and which data must never be pasted into it. The notes feed a one-page "
            f"house guide that is updated every quarter. {FICTIONAL}"
        ),
    },
    {
        "title": "A checklist before using AI in case handling",
        "organisation": "Municipality of Vallemora (fictional)",
        "sector": Sector.PUBLIC_ADMINISTRATION,
        "organisation_size": OrganisationSize.PUBLIC_BODY,
        "member_state": "IT",
        "language": "en",
        "audience": "Case handlers and their managers",
        "description": (
            "Before a team starts using an AI system in decisions about citizens, its case "
            "handlers follow a half-day course and a checklist: what the system does and "
            "does not do, how to check its output, when to overrule it, and whom to tell "
            f"when it goes wrong. {FICTIONAL}"
        ),
    },
    {
        "title": "Formation courte pour les conseillers clientèle",
        "organisation": "Banque Coopérative des Tilleuls (fictive)",
        "sector": Sector.FINANCE,
        "organisation_size": OrganisationSize.LARGE,
        "member_state": "FR",
        "language": "fr",
        "audience": "Conseillers clientèle",
        "description": (
            "Un module en ligne de quarante minutes explique aux conseillers comment "
            "l'outil de notation propose une décision, quelles sont ses limites connues et "
            "comment expliquer une décision au client. Un quiz final vérifie la "
            "compréhension ; le module est revu chaque année. Exemple fictif rédigé pour "
            "la démonstration."
        ),
    },
    {
        "title": "KI-Sprechstunde für die Pflege",
        "organisation": "Klinikverbund Lindenhöhe (fiktiv)",
        "sector": Sector.HEALTH,
        "organisation_size": OrganisationSize.LARGE,
        "member_state": "DE",
        "language": "de",
        "audience": "Pflegekräfte und Stationsleitungen",
        "description": (
            "Jede Woche beantwortet eine Ansprechperson Fragen der Pflegekräfte zu den "
            "KI-Systemen der Station: wie die Dienstplanung Vorschläge macht, warum die "
            "Sturzrisiko-Warnung auslöst und wann man ihr nicht folgen sollte. Häufige "
            "Fragen werden gesammelt und veröffentlicht. Ein fiktives Beispiel für die "
            "Demonstration."
        ),
    },
    {
        "title": "Pair programming with the code assistant, and its rules",
        "organisation": "Brightwave Software (fictional)",
        "sector": Sector.ICT,
        "organisation_size": OrganisationSize.SMALL,
        "member_state": "IE",
        "language": "en",
        "audience": "Developers",
        "description": (
            "New developers spend their first week pairing with a senior colleague who uses "
            "the code assistant. They learn to review its suggestions like a stranger's "
            "code, to check licences, and never to paste secrets or customer data into "
            f"prompts. {FICTIONAL}"
        ),
    },
    {
        "title": "A one-page guide for a family bakery",
        "organisation": "Panadería Olmo (fictional)",
        "sector": Sector.RETAIL,
        "organisation_size": OrganisationSize.MICRO,
        "member_state": "ES",
        "language": "en",
        "audience": "The owner and four employees",
        "description": (
            "The bakery uses an AI system to plan orders. The owner wrote a one-page guide: "
            "what the forecast is based on, why it can be wrong on holidays, and that the "
            "final order is always a person's decision. It is read with each new employee. "
            f"{FICTIONAL}"
        ),
    },
    {
        "title": "Teachers learn to spot and discuss AI-generated homework",
        "organisation": "Northfield Secondary School (fictional)",
        "sector": Sector.EDUCATION,
        "organisation_size": OrganisationSize.PUBLIC_BODY,
        "member_state": "NL",
        "language": "en",
        "audience": "Teachers",
        "description": (
            "Two workshops a year show teachers what chatbots can and cannot do, why "
            "detectors are unreliable, and how to design assignments that ask for the "
            f"pupil's own reasoning. {FICTIONAL}"
        ),
    },
    {
        "title": "Route planning: drivers may always say no",
        "organisation": "Baltic Freight Lines (fictional)",
        "sector": Sector.TRANSPORT,
        "organisation_size": OrganisationSize.MEDIUM,
        "member_state": "LT",
        "language": "en",
        "audience": "Drivers and dispatchers",
        "description": (
            "Drivers and dispatchers receive a short video and a pocket card explaining how "
            "the route-planning system decides, which data it uses, and how to report a "
            "route that is unsafe. Reports are reviewed every week with the supplier. "
            f"{FICTIONAL}"
        ),
    },
    {
        "title": "Volunteers learn what the helpline chatbot is for",
        "organisation": "Helping Hands Network (fictional)",
        "sector": Sector.CIVIL_SOCIETY,
        "organisation_size": OrganisationSize.NON_PROFIT,
        "member_state": "FI",
        "language": "en",
        "audience": "Volunteers answering the helpline",
        "description": (
            "Volunteers who supervise the helpline's chatbot follow an evening session on "
            "what it is allowed to answer, how to take over a conversation, and how to "
            f"recognise a person in distress whom it must hand over at once. {FICTIONAL}"
        ),
    },
    {
        "title": "An AI literacy path for a research lab",
        "organisation": "Institute for Applied Materials (fictional)",
        "sector": Sector.RESEARCH,
        "organisation_size": OrganisationSize.PUBLIC_BODY,
        "member_state": "PL",
        "language": "en",
        "audience": "Researchers, technicians and administrative staff",
        "description": (
            "Three levels — using, adapting and building AI systems — each with a short "
            "course and a practical exercise on the lab's own tools. Staff choose the level "
            f"that matches their work; the path is reviewed with them each year. {FICTIONAL}"
        ),
    },
)

PROPOSED: dict[str, Any] = {
    "title": "Lunch-and-learn on AI for a small energy co-operative",
    "organisation": "Sunridge Energy Co-op (fictional)",
    "sector": Sector.ENERGY,
    "organisation_size": OrganisationSize.SMALL,
    "member_state": "AT",
    "language": "en",
    "audience": "All members of staff",
    "description": (
        "A proposal sent through the public form, waiting for the staff's review: short "
        f"lunch sessions on the forecasting tools the co-op uses. {FICTIONAL}"
    ),
}


def _structure(
    name: str, kind: str, member_state: str, city: str, *, operational: bool = True
) -> dict[str, Any]:
    slug = name.lower().split(" (")[0].replace(" ", "-")
    return {
        "name": f"{name} (demo)",
        "kind": kind,
        "member_state": member_state,
        "city": city,
        "operator": "A national competent authority (demo)"
        if kind == SupportKind.SANDBOX
        else "A consortium of universities and companies (demo)",
        "description": {
            SupportKind.SANDBOX: "Providers develop and test AI systems under the supervision "
            "of the national authorities before placing them on the market.",
            SupportKind.TEF: "Facilities to test AI-based products in real or realistic "
            "conditions before they reach the market.",
            SupportKind.EDIH: "Advice, training and test-before-invest services for small "
            "businesses and public bodies adopting AI.",
            SupportKind.AI_FACTORY: "Computing capacity and expertise for start-ups, "
            "researchers and industry that train or adapt AI models.",
        }[SupportKind(kind)]
        + " Fictional, written for the demo.",
        "url": f"https://{slug}.example.org/",
        "email": f"contact@{slug}.example.org",
        "operational": operational,
        "active": True,
    }


STRUCTURES: tuple[dict[str, Any], ...] = (
    _structure("National AI regulatory sandbox France", SupportKind.SANDBOX, "FR", "Paris"),
    _structure("Digital innovation hub Loire", SupportKind.EDIH, "FR", "Nantes"),
    _structure("AI factory Rhône", SupportKind.AI_FACTORY, "FR", "Lyon"),
    _structure(
        "National AI regulatory sandbox Germany",
        SupportKind.SANDBOX,
        "DE",
        "Berlin",
        operational=False,
    ),
    _structure("Testing facility for health AI", SupportKind.TEF, "DE", "Munich"),
    _structure("Digital innovation hub Ruhr", SupportKind.EDIH, "DE", "Dortmund"),
    _structure("National AI regulatory sandbox Spain", SupportKind.SANDBOX, "ES", "Madrid"),
    _structure("AI factory Iberia", SupportKind.AI_FACTORY, "ES", "Barcelona"),
    _structure("Testing facility for agri-food AI", SupportKind.TEF, "IT", "Bologna"),
    _structure("Digital innovation hub Po valley", SupportKind.EDIH, "IT", "Turin"),
    _structure("National AI regulatory sandbox Netherlands", SupportKind.SANDBOX, "NL", "Utrecht"),
    _structure("AI factory Nordic", SupportKind.AI_FACTORY, "FI", "Kajaani"),
    _structure("Digital innovation hub Vistula", SupportKind.EDIH, "PL", "Warsaw"),
    _structure("Testing facility for smart manufacturing", SupportKind.TEF, "CZ", "Brno"),
)

QUESTIONS: tuple[dict[str, str], ...] = (
    {
        "name": "Robin Example",
        "email": "robin.example@example.org",
        "language": "en",
        "subject": "Does fine-tuning make us a provider? (demo)",
        "message": (
            "We fine-tune an open general-purpose model for our customers. Do we become the "
            "provider of a general-purpose AI model? (A fictional question for the demo.)"
        ),
    },
    {
        "name": "",
        "email": "curious.reader@example.org",
        "language": "fr",
        "subject": "Registre des modèles à risque systémique (démo)",
        "message": (
            "Où trouver la liste des modèles d'IA à usage général présentant un risque "
            "systémique ? (Question fictive pour la démonstration.)"
        ),
    },
)
ANSWER = (
    "Not always. Modifying a model makes you its provider only when the modification is "
    "significant; the Commission's guidelines on general-purpose AI models explain when "
    "that is the case. Use the compliance checker on our site for your own situation. "
    "(A fictional answer for the demo.)"
)


def _practices(actor: Any) -> None:
    existing = set(LiteracyPractice.objects.values_list("title", flat=True))
    for spec in PRACTICES:
        if spec["title"] not in existing:
            services.literacy_practice_create(actor=actor, published=True, **spec)
    if PROPOSED["title"] not in existing:
        services.literacy_practice_propose(actor=None, **PROPOSED)


def _structures(actor: Any) -> None:
    existing = set(SupportStructure.objects.values_list("name", flat=True))
    for spec in STRUCTURES:
        if spec["name"] not in existing:
            services.support_structure_create(actor=actor, **spec)


def _questions(answerer: Any) -> None:
    existing = set(Enquiry.objects.values_list("subject", flat=True))
    # the senders are fictional: their e-mails go nowhere
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index, spec in enumerate(QUESTIONS):
            if spec["subject"] in existing:
                continue
            sent = services.enquiry_submit(
                actor=None,
                name=spec["name"],
                email=spec["email"],
                language=spec["language"],
                subject=spec["subject"],
                message=spec["message"],
                base_url="http://localhost/",
            )
            if index == 0:
                services.enquiry_answer(actor=answerer, enquiry=sent.enquiry, answer=ANSWER)


def load(*, users: dict[str, Any]) -> None:
    """Load the demo's practices, support structures and questions (each once)."""
    editor = users.get("policy") or users.get("admin")
    if editor is None:
        return
    _practices(editor)
    _structures(editor)
    _questions(users.get("legal") or editor)
