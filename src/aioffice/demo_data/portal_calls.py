"""Portal demo (calls): loaded once by `aioffice.demo`, through the services; fictional
content written for the demo.

Two open calls with deadlines weeks ahead of the day the demo is loaded, one call closed
early, and a few applications with tiny generated PDF CVs. The applicants are fictional
(addresses under example.org, a domain reserved for examples): their confirmation e-mails
are not sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from aioffice.portal import services_calls as services
from aioffice.portal.choices import ContractType
from aioffice.portal.models_calls import Call

OPEN_CALLS: tuple[dict[str, Any], ...] = (
    {
        "title": "Technical specialist in AI model evaluation",
        "profile": "Machine-learning engineer or researcher with experience in evaluating "
        "large models (capabilities, safety, red-teaming)",
        "contract_type": ContractType.CONTRACT_AGENT,
        "grade": "FG IV",
        "place": "Brussels",
        "days": 30,
        "description": (
            "The AI Office evaluates general-purpose AI models with systemic risk. You will "
            "design and run evaluations, review the evaluation results that providers "
            "submit, and advise on the state of the art.\n\n"
            "You have a master's degree in computer science, statistics or a related field, "
            "at least three years of relevant experience, and a very good command of "
            "English."
        ),
    },
    {
        "title": "Legal officer — AI Act enforcement",
        "profile": "Lawyer with experience in EU law, competition or regulatory enforcement",
        "contract_type": ContractType.TEMPORARY_AGENT,
        "grade": "AD 7",
        "place": "Brussels",
        "days": 45,
        "description": (
            "You will prepare requests for information, evaluations and decisions on "
            "providers of general-purpose AI models, and advise the heads of unit on the "
            "procedures of the AI Act.\n\n"
            "You have a law degree, at least six years of experience in EU law, and a very "
            "good command of English or French."
        ),
    },
)
CLOSED_CALL: dict[str, Any] = {
    "title": "Policy officer — codes of practice",
    "profile": "Policy officer with experience in co-regulation and stakeholder processes",
    "contract_type": ContractType.SECONDED_NATIONAL_EXPERT,
    "grade": "",
    "place": "Brussels",
    "days": 10,
    "description": (
        "You will follow the drawing-up of codes of practice with providers, civil society "
        "and Member States. This call was closed before its deadline: enough applications "
        "were received."
    ),
}
APPLICANTS: tuple[tuple[int, str, str, str], ...] = (
    (0, "Alex Example", "alex.example@example.org", "evaluation"),
    (0, "Sam Sample", "sam.sample@example.org", "red-teaming"),
    (1, "Noa Placeholder", "noa.placeholder@example.org", "enforcement"),
    (2, "Kim Fictional", "kim.fictional@example.org", "codes of practice"),
)


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing `text` (ASCII), with a correct cross-reference
    table, written by hand (no PDF library needed)."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def is_loaded() -> bool:
    return Call.objects.filter(title=OPEN_CALLS[0]["title"]).exists()


def _call(actor: Any, spec: dict[str, Any]) -> Call:
    values = {k: v for k, v in spec.items() if k != "days"}
    call = services.call_create(
        actor=actor, deadline=timezone.now() + timedelta(days=spec["days"]), **values
    )
    return services.call_publish(actor=actor, call=call)


def load(*, users: dict[str, Any]) -> None:
    """Load the demo's calls and applications once (a second call changes nothing)."""
    actor = users.get("head") or users.get("admin")
    if actor is None or is_loaded():
        return
    calls = [_call(actor, spec) for spec in OPEN_CALLS]
    calls.append(_call(actor, CLOSED_CALL))
    # the applicants are fictional: their confirmations go nowhere
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index, name, email, topic in APPLICANTS:
            services.application_submit(
                call=calls[index],
                name=name,
                email=email,
                motivation=(
                    f"I would like to join the AI Office to work on {topic}. This is a "
                    "fictional application written for the demo."
                ),
                cv=SimpleUploadedFile(
                    f"cv-{name.split()[0].lower()}.pdf",
                    tiny_pdf(f"{name}: curriculum vitae (fictional, demo)"),
                    content_type="application/pdf",
                ),
                consent=True,
            )
    services.call_close(actor=actor, call=calls[2])
