"""Portal demo (content): guidance documents with versions and PDF files in English, French
and German, and news items; loaded once by `aioffice.demo`, through the services.

Everything here is written for the demo, in our own words: the entries on Commission
publications summarise them and point to them; the questions and answers, the draft
factsheet and the items marked "fictional" are invented. Facts come from the project's
legal reference (AI-ACT.md); the dates and thresholds of the AI Act are read from `aiact`'s
parameters, not written here. Loading is idempotent and resumable: a document, a version or
a news item already there is left as it is.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from aiact import load_law
from aioffice.portal import services_content as services
from aioffice.portal.choices import GuidanceKind, Topic
from aioffice.portal.models_content import GuidanceDocument, NewsItem

LANGUAGES = ("en", "fr", "de")
DATE_FORMATS = {"en": "j F Y", "fr": "j F Y", "de": "j. F Y"}
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

NOTICE = {
    "en": "Written for the demonstration of this platform: a summary in our own words, not an "
    "official document of the European Commission. The official publication is the text "
    "that counts.",
    "fr": "Rédigé pour la démonstration de cette plateforme : un résumé avec nos propres mots, "
    "et non un document officiel de la Commission européenne. Seule la publication "
    "officielle fait foi.",
    "de": "Für die Demonstration dieser Plattform verfasst: eine Zusammenfassung in eigenen "
    "Worten, kein offizielles Dokument der Europäischen Kommission. Maßgeblich ist allein "
    "die amtliche Veröffentlichung.",
}
FICTIONAL = {
    "en": "Fictional document written for the demonstration of this platform. The facts it "
    "states come from the AI Act and the published Code of Practice.",
    "fr": "Document fictif rédigé pour la démonstration de cette plateforme. Les faits qu'il "
    "mentionne proviennent du règlement sur l'IA et du code de bonnes pratiques publié.",
    "de": "Fiktives Dokument für die Demonstration dieser Plattform. Die genannten Tatsachen "
    "stammen aus der KI-Verordnung und dem veröffentlichten Verhaltenskodex.",
}
VERSION_LINE = {
    "en": "Version {number} of {day}",
    "fr": "Version {number} du {day}",
    "de": "Version {number} vom {day}",
}
CHANGE_HEADING = {
    "en": "What changed in this version",
    "fr": "Ce qui change dans cette version",
    "de": "Was sich in dieser Version ändert",
}


def _day(value: date, language: str) -> str:
    with translation.override(language):
        return str(formats.date_format(value, DATE_FORMATS[language]))


def _power_of_ten(value: Decimal) -> str:
    exponent = value.adjusted()
    if value == Decimal(10) ** exponent:
        return "10" + str(exponent).translate(SUPERSCRIPT)
    return f"{value:E}"


def facts(today: date) -> dict[str, Any]:
    """The AI Act's dates and thresholds the texts cite, from `aiact` (as amended, today)."""
    law = load_law()
    return {
        "chapter_v_from": law.date("chapter_v_from", today),
        "legacy_by": law.date("gpai_legacy_comply_by", today),
        "chapter_ix_from": law.date("chapter_ix_from", today),
        "art101_from": law.date("art101_from", today),
        "flop": _power_of_ten(law.decimal("gpai_indicative_flop", today)),
        "fraction": f"1/{law.integer('modifier_compute_divisor', today)}",
    }


def _fill(text: str, values: dict[str, Any], language: str) -> str:
    shown = {k: _day(v, language) if isinstance(v, date) else v for k, v in values.items()}
    return text.format(**shown)


# --- guidance ----------------------------------------------------------------------------------

GUIDELINES = {
    "slug": "guidelines-scope-gpai-obligations",
    "kind": GuidanceKind.GUIDELINES,
    "topic": Topic.GPAI,
    "title": {
        "en": "Guidelines on the scope of the obligations for providers of general-purpose AI "
        "models",
        "fr": "Lignes directrices sur la portée des obligations des fournisseurs de modèles "
        "d'IA à usage général",
        "de": "Leitlinien zum Umfang der Pflichten der Anbieter von KI-Modellen mit "
        "allgemeinem Verwendungszweck",
    },
    "summary": "Our summary of the Commission's Guidelines (C(2025) 5045 final, content "
    "approved on 18 July 2025): when a model is a general-purpose AI model, who its provider "
    "is, when a modification makes someone a provider, and how the obligations will be "
    "enforced. The Guidelines are not binding. Written for the demo: read the Commission's "
    "publication for the text itself.",
    "notice": NOTICE,
    "sections": [
        {
            "paragraphs": {
                "en": [
                    "The Commission's Guidelines (C(2025) 5045 final; content approved on 18 "
                    "July 2025) explain how the Commission understands the obligations of "
                    "Chapter V of the AI Act for providers of general-purpose AI models. They "
                    "are not binding: only the Court of Justice of the European Union "
                    "interprets the AI Act authoritatively."
                ],
                "fr": [
                    "Les lignes directrices de la Commission (C(2025) 5045 final ; contenu "
                    "approuvé le 18 juillet 2025) expliquent comment la Commission comprend "
                    "les obligations du chapitre V du règlement sur l'IA pour les fournisseurs "
                    "de modèles d'IA à usage général. Elles ne sont pas contraignantes : seule "
                    "la Cour de justice de l'Union européenne interprète le règlement avec "
                    "autorité."
                ],
                "de": [
                    "Die Leitlinien der Kommission (C(2025) 5045 final; Inhalt am 18. Juli "
                    "2025 gebilligt) erläutern, wie die Kommission die Pflichten aus Kapitel V "
                    "der KI-Verordnung für Anbieter von KI-Modellen mit allgemeinem "
                    "Verwendungszweck versteht. Sie sind nicht verbindlich: Verbindlich "
                    "auslegen kann die KI-Verordnung nur der Gerichtshof der Europäischen "
                    "Union."
                ],
            },
        },
        {
            "heading": {
                "en": "What the Guidelines cover",
                "fr": "Ce que couvrent les lignes directrices",
                "de": "Worum es in den Leitlinien geht",
            },
            "points": {
                "en": [
                    "When is a model a general-purpose AI model? As an indication, when it was "
                    "trained with more than {flop} floating-point operations and can generate "
                    "language (text or speech), or images or video from text. The indication "
                    "works both ways: the generality the model actually shows decides.",
                    "A model's lifecycle starts with its large pre-training run; later "
                    "development by or for the same provider is the same model, not a new one.",
                    "Who the provider is, and what placing a model on the market means (an "
                    "API, a download from a repository, a cloud service, integration into "
                    "one's own chatbot or app, among others).",
                    "A downstream actor who modifies a model becomes its provider, as an "
                    "indication, when the modification uses more than {fraction} of the "
                    "original model's training compute; the obligations then cover the "
                    "modification only.",
                    "Models placed on the market before {chapter_v_from} must comply by "
                    "{legacy_by}.",
                    "The Commission can request information, evaluate models and order "
                    "measures from {chapter_ix_from}, and fine providers from {art101_from}.",
                ],
                "fr": [
                    "Quand un modèle est-il un modèle d'IA à usage général ? À titre "
                    "indicatif, lorsqu'il a été entraîné avec plus de {flop} opérations en "
                    "virgule flottante et qu'il peut générer du langage (texte ou parole), ou "
                    "des images ou des vidéos à partir de texte. L'indication vaut dans les "
                    "deux sens : c'est la généralité effective du modèle qui compte.",
                    "Le cycle de vie d'un modèle commence avec son grand pré-entraînement ; "
                    "les développements ultérieurs par le même fournisseur ou pour son compte "
                    "concernent le même modèle, et non un nouveau.",
                    "Qui est le fournisseur, et ce que signifie la mise sur le marché d'un "
                    "modèle (une API, un téléchargement depuis un dépôt, un service en nuage, "
                    "l'intégration dans son propre agent conversationnel ou sa propre "
                    "application, entre autres).",
                    "Un acteur en aval qui modifie un modèle en devient le fournisseur, à "
                    "titre indicatif, lorsque la modification utilise plus de {fraction} de "
                    "la puissance de calcul d'entraînement du modèle d'origine ; ses "
                    "obligations ne portent alors que sur la modification.",
                    "Les modèles mis sur le marché avant le {chapter_v_from} doivent être "
                    "en conformité au plus tard le {legacy_by}.",
                    "La Commission peut demander des informations, évaluer des modèles et "
                    "ordonner des mesures à partir du {chapter_ix_from}, et infliger des "
                    "amendes aux fournisseurs à partir du {art101_from}.",
                ],
                "de": [
                    "Wann ist ein Modell ein KI-Modell mit allgemeinem Verwendungszweck? Als "
                    "Anhaltspunkt, wenn es mit mehr als {flop} Gleitkommaoperationen "
                    "trainiert wurde und Sprache (Text oder gesprochene Sprache) oder aus Text "
                    "Bilder oder Videos erzeugen kann. Der Anhaltspunkt gilt in beide "
                    "Richtungen: Entscheidend ist die tatsächliche Allgemeinheit des Modells.",
                    "Der Lebenszyklus eines Modells beginnt mit seinem großen Vortraining; "
                    "spätere Entwicklungen durch denselben Anbieter oder in seinem Auftrag "
                    "betreffen dasselbe Modell, kein neues.",
                    "Wer Anbieter ist und was Inverkehrbringen eines Modells bedeutet (unter "
                    "anderem eine API, ein Download aus einem Repository, ein Cloud-Dienst "
                    "oder die Integration in einen eigenen Chatbot oder eine eigene App).",
                    "Wer ein Modell nachgelagert verändert, wird als Anhaltspunkt dann zu "
                    "dessen Anbieter, wenn die Veränderung mehr als {fraction} der "
                    "Trainingsrechenleistung des ursprünglichen Modells nutzt; die Pflichten "
                    "betreffen dann nur die Veränderung.",
                    "Modelle, die vor dem {chapter_v_from} in Verkehr gebracht wurden, müssen "
                    "die Pflichten bis zum {legacy_by} erfüllen.",
                    "Die Kommission kann ab dem {chapter_ix_from} Informationen anfordern, "
                    "Modelle bewerten und Maßnahmen anordnen und ab dem {art101_from} "
                    "Geldbußen gegen Anbieter verhängen.",
                ],
            },
        },
    ],
    "versions": [
        {"number": "1.0", "published_on": date(2025, 7, 18), "change_note": {}},
        {
            "number": "2.0",
            "published_on": date(2025, 11, 19),
            "change_note": {
                "en": "The Guidelines were reported re-issued as C(2025) 7719 final of 19 "
                "November 2025, with renumbered paragraphs; this entry now says so.",
                "fr": "Les lignes directrices auraient été publiées à nouveau sous la "
                "référence C(2025) 7719 final du 19 novembre 2025, avec une nouvelle "
                "numérotation des paragraphes ; cette fiche le mentionne désormais.",
                "de": "Die Leitlinien wurden Berichten zufolge als C(2025) 7719 final vom 19. "
                "November 2025 mit neu nummerierten Randnummern neu herausgegeben; dieser "
                "Eintrag erwähnt das nun.",
            },
        },
    ],
    "published": True,
}

TEMPLATE = {
    "slug": "template-training-content-summary",
    "kind": GuidanceKind.TEMPLATE,
    "topic": Topic.GUIDANCE,
    "title": {
        "en": "Template for the public summary of training content",
        "fr": "Modèle pour le résumé public du contenu d'entraînement",
        "de": "Vorlage für die öffentliche Zusammenfassung der Trainingsinhalte",
    },
    "summary": "Every provider of a general-purpose AI model, open-source models included, "
    "publishes a sufficiently detailed summary of the content used to train the model, on the "
    "AI Office's template (Art. 53(1)(d)). This entry, written for the demo, outlines the "
    "template's three sections; the Commission published the Explanatory Notice and Template "
    "on 24 July 2025.",
    "notice": NOTICE,
    "sections": [
        {
            "paragraphs": {
                "en": [
                    "Article 53(1)(d) of the AI Act requires every provider of a "
                    "general-purpose AI model, open-source models included, to draw up and "
                    "publish a sufficiently detailed summary of the content used for training, "
                    "on the template of the AI Office. The summary should be comprehensive in "
                    "scope rather than technically detailed, while protecting trade secrets "
                    "(Recital 107)."
                ],
                "fr": [
                    "L'article 53, paragraphe 1, point d), du règlement sur l'IA impose à tout "
                    "fournisseur d'un modèle d'IA à usage général, y compris en source "
                    "ouverte, d'élaborer et de publier un résumé suffisamment détaillé du "
                    "contenu utilisé pour l'entraînement, selon le modèle du Bureau de l'IA. "
                    "Le résumé doit être complet dans sa portée plutôt que détaillé sur le "
                    "plan technique, tout en protégeant les secrets d'affaires (considérant "
                    "107)."
                ],
                "de": [
                    "Nach Artikel 53 Absatz 1 Buchstabe d der KI-Verordnung erstellt und "
                    "veröffentlicht jeder Anbieter eines KI-Modells mit allgemeinem "
                    "Verwendungszweck, auch eines quelloffenen, eine hinreichend detaillierte "
                    "Zusammenfassung der für das Training verwendeten Inhalte nach der Vorlage "
                    "des Büros für Künstliche Intelligenz. Sie soll umfassend statt technisch "
                    "detailliert sein und Geschäftsgeheimnisse wahren (Erwägungsgrund 107)."
                ],
            },
        },
        {
            "heading": {
                "en": "The three sections of the template",
                "fr": "Les trois sections du modèle",
                "de": "Die drei Abschnitte der Vorlage",
            },
            "points": {
                "en": [
                    "1. General information: the provider (and its authorised representative, "
                    "for providers outside the Union), the model and its versions, the date it "
                    "was placed on the Union market, its modalities, and the overall size of "
                    "the training data per modality.",
                    "2. List of data sources: publicly available datasets; private datasets "
                    "obtained from third parties; data crawled or scraped by or for the "
                    "provider (with a summary of the main domain names); user data; synthetic "
                    "data; other sources.",
                    "3. Relevant data processing aspects: the measures taken to respect "
                    "reservations of rights under Article 4(3) of Directive (EU) 2019/790 and "
                    "to remove illegal content.",
                ],
                "fr": [
                    "1. Informations générales : le fournisseur (et son mandataire, pour les "
                    "fournisseurs établis hors de l'Union), le modèle et ses versions, la date "
                    "de sa mise sur le marché de l'Union, ses modalités et la taille globale "
                    "des données d'entraînement par modalité.",
                    "2. Liste des sources de données : jeux de données publics ; jeux de "
                    "données privés obtenus auprès de tiers ; données moissonnées par le "
                    "fournisseur ou pour son compte (avec un résumé des principaux noms de "
                    "domaine) ; données des utilisateurs ; données synthétiques ; autres "
                    "sources.",
                    "3. Aspects pertinents du traitement des données : les mesures prises pour "
                    "respecter les réservations de droits au titre de l'article 4, paragraphe "
                    "3, de la directive (UE) 2019/790 et pour retirer les contenus illicites.",
                ],
                "de": [
                    "1. Allgemeine Angaben: der Anbieter (und sein Bevollmächtigter bei "
                    "Anbietern außerhalb der Union), das Modell und seine Versionen, der Tag "
                    "des Inverkehrbringens in der Union, seine Modalitäten und der "
                    "Gesamtumfang der Trainingsdaten je Modalität.",
                    "2. Liste der Datenquellen: öffentlich verfügbare Datensätze; von Dritten "
                    "erhaltene private Datensätze; vom Anbieter oder in seinem Auftrag "
                    "gecrawlte Daten (mit einer Zusammenfassung der wichtigsten "
                    "Domainnamen); Nutzerdaten; synthetische Daten; sonstige Quellen.",
                    "3. Relevante Aspekte der Datenverarbeitung: die Maßnahmen zur Wahrung "
                    "von Rechtevorbehalten nach Artikel 4 Absatz 3 der Richtlinie (EU) "
                    "2019/790 und zur Entfernung rechtswidriger Inhalte.",
                ],
            },
            "paragraphs": {
                "en": [
                    "Providers of models placed on the market before {chapter_v_from} publish "
                    "their summary by {legacy_by}."
                ],
                "fr": [
                    "Les fournisseurs de modèles mis sur le marché avant le {chapter_v_from} "
                    "publient leur résumé au plus tard le {legacy_by}."
                ],
                "de": [
                    "Anbieter von Modellen, die vor dem {chapter_v_from} in Verkehr gebracht "
                    "wurden, veröffentlichen ihre Zusammenfassung bis zum {legacy_by}."
                ],
            },
        },
    ],
    "versions": [{"number": "1.0", "published_on": date(2025, 7, 24), "change_note": {}}],
    "published": True,
}

_Q_SIGNATORIES = {
    "heading": {
        "en": "Who has signed?",
        "fr": "Qui a signé ?",
        "de": "Wer hat unterzeichnet?",
    },
    "paragraphs": {
        "en": [
            "The register of signatories on this portal lists each provider's signature per "
            "chapter, with the date of any withdrawal."
        ],
        "fr": [
            "Le registre des signataires de ce portail indique la signature de chaque "
            "fournisseur par chapitre, avec la date d'un éventuel retrait."
        ],
        "de": [
            "Das Register der Unterzeichner auf diesem Portal zeigt die Unterzeichnung jedes "
            "Anbieters je Kapitel, mit dem Datum eines etwaigen Rücktritts."
        ],
    },
    "from_version": 2,
}

QUESTIONS = {
    "slug": "code-of-practice-questions-and-answers",
    "kind": GuidanceKind.FAQ,
    "topic": Topic.CODE_OF_PRACTICE,
    "title": {
        "en": "Questions and answers on the General-Purpose AI Code of Practice",
        "fr": "Questions et réponses sur le code de bonnes pratiques pour l'IA à usage général",
        "de": "Fragen und Antworten zum Verhaltenskodex für KI mit allgemeinem Verwendungszweck",
    },
    "summary": "Fictional questions and answers written for the demo: what the Code of "
    "Practice published on 10 July 2025 contains, whether providers must sign it, whether "
    "they can sign only some chapters, and where to find who signed what.",
    "notice": FICTIONAL,
    "sections": [
        {
            "heading": {
                "en": "What is the General-Purpose AI Code of Practice?",
                "fr": "Qu'est-ce que le code de bonnes pratiques pour l'IA à usage général ?",
                "de": "Was ist der Verhaltenskodex für KI mit allgemeinem Verwendungszweck?",
            },
            "paragraphs": {
                "en": [
                    "A voluntary code published by the AI Office on 10 July 2025, drafted by "
                    "independent chairs with many stakeholders. It has three chapters: "
                    "Transparency (with a Model Documentation Form), Copyright, and Safety and "
                    "Security, which concerns only providers of models with systemic risk."
                ],
                "fr": [
                    "Un code volontaire publié par le Bureau de l'IA le 10 juillet 2025, "
                    "rédigé par des présidents indépendants avec de nombreuses parties "
                    "prenantes. Il comporte trois chapitres : transparence (avec un formulaire "
                    "de documentation du modèle), droit d'auteur, et sûreté et sécurité, qui "
                    "ne concerne que les fournisseurs de modèles présentant un risque "
                    "systémique."
                ],
                "de": [
                    "Ein freiwilliger Kodex, den das Büro für Künstliche Intelligenz am 10. "
                    "Juli 2025 veröffentlicht hat, ausgearbeitet von unabhängigen Vorsitzenden "
                    "mit vielen Beteiligten. Er hat drei Kapitel: Transparenz (mit einem "
                    "Formular zur Modelldokumentation), Urheberrecht sowie Sicherheit und "
                    "Gefahrenabwehr, das nur Anbieter von Modellen mit systemischem Risiko "
                    "betrifft."
                ],
            },
        },
        {
            "heading": {
                "en": "Must a provider sign it?",
                "fr": "Un fournisseur doit-il le signer ?",
                "de": "Muss ein Anbieter ihn unterzeichnen?",
            },
            "paragraphs": {
                "en": [
                    "No. Providers may rely on codes of practice to demonstrate that they "
                    "comply with Articles 53 and 55 of the AI Act until a harmonised standard "
                    "is published; those who do not sign show compliance by other adequate "
                    "means. Signing does not give a presumption of conformity."
                ],
                "fr": [
                    "Non. Les fournisseurs peuvent s'appuyer sur des codes de bonnes pratiques "
                    "pour démontrer qu'ils respectent les articles 53 et 55 du règlement sur "
                    "l'IA jusqu'à la publication d'une norme harmonisée ; ceux qui ne signent "
                    "pas démontrent leur conformité par d'autres moyens appropriés. La "
                    "signature ne vaut pas présomption de conformité."
                ],
                "de": [
                    "Nein. Anbieter können sich auf Verhaltenskodizes stützen, um die "
                    "Einhaltung der Artikel 53 und 55 der KI-Verordnung nachzuweisen, bis eine "
                    "harmonisierte Norm veröffentlicht ist; wer nicht unterzeichnet, weist sie "
                    "mit anderen geeigneten Mitteln nach. Die Unterzeichnung begründet keine "
                    "Konformitätsvermutung."
                ],
            },
        },
        {
            "heading": {
                "en": "Can a provider sign only some chapters?",
                "fr": "Un fournisseur peut-il ne signer que certains chapitres ?",
                "de": "Kann ein Anbieter nur einzelne Kapitel unterzeichnen?",
            },
            "paragraphs": {
                "en": [
                    "Yes. Providers sign chapter by chapter; a provider that does not sign a "
                    "chapter loses the benefit of the Code for that chapter."
                ],
                "fr": [
                    "Oui. Les fournisseurs signent chapitre par chapitre ; un fournisseur qui "
                    "ne signe pas un chapitre perd le bénéfice du code pour ce chapitre."
                ],
                "de": [
                    "Ja. Unterzeichnet wird Kapitel für Kapitel; wer ein Kapitel nicht "
                    "unterzeichnet, verliert für dieses Kapitel den Vorteil des Kodex."
                ],
            },
        },
        _Q_SIGNATORIES,
    ],
    "versions": [
        {"number": "1.0", "published_on": date(2025, 7, 10), "change_note": {}},
        {
            "number": "1.1",
            "published_on": date(2025, 8, 1),
            "change_note": {
                "en": "Added the question on who has signed: the list of signatories was "
                "first published on 1 August 2025.",
                "fr": "Ajout de la question sur les signataires : leur liste a été publiée "
                "pour la première fois le 1er août 2025.",
                "de": "Frage nach den Unterzeichnern ergänzt: Ihre Liste wurde am 1. August "
                "2025 erstmals veröffentlicht.",
            },
        },
    ],
    "published": True,
}

FACTSHEET = {
    "slug": "factsheet-gpai-dates",
    "kind": GuidanceKind.FACTSHEET,
    "topic": Topic.GPAI,
    "title": {"en": "Factsheet: when the rules for general-purpose AI models apply"},
    "summary": "A draft written for the demo, not yet published: the dates from which the "
    "obligations of providers of general-purpose AI models and the Commission's powers apply.",
    "notice": {"en": "Draft written for the demonstration of this platform; not published."},
    "sections": [
        {
            "points": {
                "en": [
                    "The obligations of providers of general-purpose AI models (Articles "
                    "53-55) apply from {chapter_v_from}.",
                    "Models placed on the market before {chapter_v_from} comply by {legacy_by}.",
                    "The Commission's powers to request information, evaluate models and "
                    "order measures apply from {chapter_ix_from}; fines from {art101_from}.",
                ]
            }
        }
    ],
    "versions": [{"number": "0.1", "published_on": None, "change_note": {}}],
    "published": False,
}

DOCUMENTS = (GUIDELINES, TEMPLATE, QUESTIONS, FACTSHEET)


def _sections(
    spec: dict[str, Any], version: int, language: str, values: dict[str, Any]
) -> list[dict[str, Any]]:
    sections = []
    for section in spec["sections"]:
        if section.get("from_version", 1) > version:
            continue
        sections.append(
            {
                "heading": section.get("heading", {}).get(language, ""),
                "paragraphs": [
                    _fill(p, values, language)
                    for p in section.get("paragraphs", {}).get(language, [])
                ],
                "points": [
                    _fill(p, values, language) for p in section.get("points", {}).get(language, [])
                ],
            }
        )
    return sections


def render_pdf(spec: dict[str, Any], version: int, language: str, values: dict[str, Any]) -> bytes:
    """One language of one version of a demo document, as PDF (WeasyPrint, fetching
    nothing)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    number_spec = spec["versions"][version - 1]
    published_on = number_spec["published_on"] or values["today"]
    html = render_to_string(
        "portal/content/demo_document.html",
        {
            "language": language,
            "title": spec["title"][language],
            "version_line": VERSION_LINE[language].format(
                number=number_spec["number"], day=_day(published_on, language)
            ),
            "notice": spec["notice"][language],
            "sections": _sections(spec, version, language, values),
            "change_heading": CHANGE_HEADING[language],
            "change_note": number_spec["change_note"].get(language, ""),
        },
    )
    progress = logging.getLogger("weasyprint.progress")  # seven INFO lines a PDF
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    finally:
        progress.setLevel(level)
    return pdf


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the demo documents fetch nothing ({url})")


def _load_document(spec: dict[str, Any], actor: Any, values: dict[str, Any]) -> None:
    document = GuidanceDocument.objects.filter(slug=spec["slug"]).first()
    if document is None:
        document = services.guidance_create(
            actor=actor,
            slug=spec["slug"],
            title=spec["title"]["en"],
            summary=spec["summary"],
            kind=spec["kind"],
            topic=spec["topic"],
        )
    languages = [code for code in LANGUAGES if code in spec["title"]]
    for index, version in enumerate(spec["versions"], start=1):
        if document.versions.filter(number=version["number"]).exists():
            continue
        files = {
            language: ContentFile(
                render_pdf(spec, index, language, values), name=f"{spec['slug']}.pdf"
            )
            for language in languages
        }
        for upload in files.values():
            upload.content_type = "application/pdf"  # type: ignore[attr-defined]  # as an upload says
        services.guidance_version_add(
            actor=actor,
            document=document,
            number=version["number"],
            published_on=min(version["published_on"] or values["today"], values["today"]),
            change_note=version["change_note"].get("en", ""),
            files=files,
        )
    document.refresh_from_db()
    if spec["published"] and not document.published:
        services.guidance_publish(actor=actor, document=document)


# --- news --------------------------------------------------------------------------------------


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _news(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The demo's news items; `published_at` None for a draft, "later" for a scheduled one."""
    code_body = {
        "en": "The AI Office published the General-Purpose AI Code of Practice on 10 July 2025. "
        "Independent chairs and vice-chairs drafted it in a process open to many stakeholders."
        "\n\nThe Code has three chapters: Transparency, with a Model Documentation Form; "
        "Copyright; and Safety and Security, which concerns only providers of models with "
        "systemic risk. Providers sign it chapter by chapter. Signing is voluntary and does not "
        "give a presumption of conformity.\n\nWritten for the demo of this platform, in our "
        "own words.",
        "fr": "Le Bureau de l'IA a publié le code de bonnes pratiques pour l'IA à usage général "
        "le 10 juillet 2025. Des présidents et vice-présidents indépendants l'ont rédigé dans "
        "un processus ouvert à de nombreuses parties prenantes.\n\nLe code comporte trois "
        "chapitres : transparence, avec un formulaire de documentation du modèle ; droit "
        "d'auteur ; et sûreté et sécurité, qui ne concerne que les fournisseurs de modèles "
        "présentant un risque systémique. Les fournisseurs le signent chapitre par chapitre. "
        "La signature est volontaire et ne vaut pas présomption de conformité.\n\nRédigé pour "
        "la démonstration de cette plateforme, avec nos propres mots.",
        "de": "Das Büro für Künstliche Intelligenz hat den Verhaltenskodex für KI mit "
        "allgemeinem Verwendungszweck am 10. Juli 2025 veröffentlicht. Unabhängige Vorsitzende "
        "und stellvertretende Vorsitzende haben ihn in einem Verfahren mit vielen Beteiligten "
        "ausgearbeitet.\n\nDer Kodex hat drei Kapitel: Transparenz, mit einem Formular zur "
        "Modelldokumentation; Urheberrecht; sowie Sicherheit und Gefahrenabwehr, das nur "
        "Anbieter von Modellen mit systemischem Risiko betrifft. Anbieter unterzeichnen ihn "
        "Kapitel für Kapitel. Die Unterzeichnung ist freiwillig und begründet keine "
        "Konformitätsvermutung.\n\nFür die Demonstration dieser Plattform in eigenen Worten "
        "verfasst.",
    }
    obligations_body = {
        "en": "From {chapter_v_from}, providers of general-purpose AI models placed on the "
        "Union market keep technical documentation, inform the providers who integrate their "
        "models, put in place a copyright policy and publish a summary of their training "
        "content. Providers of models with systemic risk also evaluate their models, assess "
        "and mitigate systemic risks, report serious incidents and ensure cybersecurity."
        "\n\nModels placed on the market before {chapter_v_from} comply by {legacy_by}."
        "\n\nWritten for the demo of this platform, in our own words.",
        "fr": "À partir du {chapter_v_from}, les fournisseurs de modèles d'IA à usage général "
        "mis sur le marché de l'Union tiennent une documentation technique, informent les "
        "fournisseurs qui intègrent leurs modèles, mettent en place une politique en matière "
        "de droit d'auteur et publient un résumé du contenu d'entraînement. Les fournisseurs "
        "de modèles présentant un risque systémique évaluent en outre leurs modèles, évaluent "
        "et atténuent les risques systémiques, signalent les incidents graves et assurent la "
        "cybersécurité.\n\nLes modèles mis sur le marché avant le {chapter_v_from} doivent "
        "être en conformité au plus tard le {legacy_by}.\n\nRédigé pour la démonstration de "
        "cette plateforme, avec nos propres mots.",
        "de": "Ab dem {chapter_v_from} führen Anbieter von KI-Modellen mit allgemeinem "
        "Verwendungszweck, die in der Union in Verkehr gebracht werden, eine technische "
        "Dokumentation, informieren die Anbieter, die ihre Modelle integrieren, richten eine "
        "Strategie zur Einhaltung des Urheberrechts ein und veröffentlichen eine "
        "Zusammenfassung der Trainingsinhalte. Anbieter von Modellen mit systemischem Risiko "
        "bewerten zudem ihre Modelle, bewerten und mindern systemische Risiken, melden "
        "schwerwiegende Vorfälle und sorgen für Cybersicherheit.\n\nModelle, die vor dem "
        "{chapter_v_from} in Verkehr gebracht wurden, müssen die Pflichten bis zum {legacy_by} "
        "erfüllen.\n\nFür die Demonstration dieser Plattform in eigenen Worten verfasst.",
    }
    return [
        *[
            {
                "slug": "code-of-practice-published" + ("" if lang == "en" else f"-{lang}"),
                "language": lang,
                "topic": Topic.CODE_OF_PRACTICE,
                "title": title,
                "summary": summary,
                "body": code_body[lang],
                "published_at": _noon(date(2025, 7, 10)),
            }
            for lang, title, summary in (
                (
                    "en",
                    "The General-Purpose AI Code of Practice is published",
                    "Three chapters: Transparency, Copyright, and Safety and Security. Signing "
                    "is voluntary.",
                ),
                (
                    "fr",
                    "Le code de bonnes pratiques pour l'IA à usage général est publié",
                    "Trois chapitres : transparence, droit d'auteur, et sûreté et sécurité. La "
                    "signature est volontaire.",
                ),
                (
                    "de",
                    "Der Verhaltenskodex für KI mit allgemeinem Verwendungszweck ist "
                    "veröffentlicht",
                    "Drei Kapitel: Transparenz, Urheberrecht sowie Sicherheit und "
                    "Gefahrenabwehr. Die Unterzeichnung ist freiwillig.",
                ),
            )
        ],
        {
            "slug": "template-training-content-available",
            "language": "en",
            "topic": Topic.GUIDANCE,
            "title": "The template for the public summary of training content is available",
            "summary": "Every provider of a general-purpose AI model publishes a summary of "
            "its training content on the AI Office's template.",
            "body": "The Commission published the Explanatory Notice and Template for the "
            "public summary of training content on 24 July 2025. Every provider of a "
            "general-purpose AI model, open-source models included, uses it to publish the "
            "summary that Article 53(1)(d) of the AI Act requires.\n\nThe template has three "
            "sections: general information, the list of data sources, and relevant data "
            "processing aspects. Our outline is in the guidance library.\n\nWritten for the "
            "demo of this platform, in our own words.",
            "published_at": _noon(date(2025, 7, 24)),
        },
        *[
            {
                "slug": "gpai-obligations-apply" + ("" if lang == "en" else f"-{lang}"),
                "language": lang,
                "topic": Topic.GPAI,
                "title": title,
                "summary": _fill(summary, values, lang),
                "body": _fill(obligations_body[lang], values, lang),
                "published_at": _noon(values["chapter_v_from"]),
            }
            for lang, title, summary in (
                (
                    "en",
                    "The obligations of providers of general-purpose AI models apply",
                    "From {chapter_v_from}: documentation, copyright policy, training-content "
                    "summary, and more for models with systemic risk.",
                ),
                (
                    "fr",
                    "Les obligations des fournisseurs de modèles d'IA à usage général s'appliquent",
                    "À partir du {chapter_v_from} : documentation, politique en matière de "
                    "droit d'auteur, résumé du contenu d'entraînement, et davantage pour les "
                    "modèles présentant un risque systémique.",
                ),
                (
                    "de",
                    "Die Pflichten der Anbieter von KI-Modellen mit allgemeinem "
                    "Verwendungszweck gelten",
                    "Ab dem {chapter_v_from}: Dokumentation, Urheberrechtsstrategie, "
                    "Zusammenfassung der Trainingsinhalte und mehr für Modelle mit "
                    "systemischem Risiko.",
                ),
            )
        ],
        {
            "slug": "commission-enforcement-powers-apply",
            "language": "en",
            "topic": Topic.ENFORCEMENT,
            "title": "The Commission's enforcement powers for general-purpose AI models apply",
            "summary": _fill(
                "From {chapter_ix_from} the Commission can request information, evaluate "
                "models, order measures and, from {art101_from}, impose fines.",
                values,
                "en",
            ),
            "body": _fill(
                "From {chapter_ix_from}, the Commission can request documentation and "
                "information from providers of general-purpose AI models (Article 91), "
                "evaluate their models (Article 92) and request measures (Article 93). From "
                "{art101_from}, it can fine providers who infringe the AI Act (Article 101)."
                "\n\nWritten for the demo of this platform, in our own words.",
                values,
                "en",
            ),
            "published_at": _noon(values["chapter_ix_from"]),
        },
        {
            "slug": "fictional-portal-opens",
            "language": "en",
            "topic": Topic.EVENTS,
            "title": "Fictional: the AI Office opens its public portal",
            "summary": "A fictional news item written for the demo: guidance, news, the "
            "compliance checker, sign-up for updates and calls for expression of interest, "
            "in English, French and German.",
            "body": "This news item is fictional, written for the demonstration of this "
            "platform.\n\nThe portal publishes the registers of models with systemic risk and "
            "of the Code of Practice signatories, a library of guidance with every version "
            "and language, the news, a compliance checker driven by the AI Act as code, "
            "sign-up for updates by e-mail, and calls for expression of interest.",
            "published_at": values["now"],
        },
        {
            "slug": "fictional-information-session",
            "language": "en",
            "topic": Topic.EVENTS,
            "title": "Fictional: an information session on the Code of Practice",
            "summary": "A fictional, scheduled news item: the public sees it only once its "
            "publication time has come.",
            "body": "This news item is fictional, written for the demonstration of this "
            "platform: it shows a news item scheduled for later.",
            "published_at": "later",
        },
    ]


def _load_news(spec: dict[str, Any], actor: Any, values: dict[str, Any]) -> None:
    if NewsItem.objects.filter(slug=spec["slug"]).exists():
        return
    item = services.news_create(
        actor=actor,
        slug=spec["slug"],
        language=spec["language"],
        title=spec["title"],
        summary=spec["summary"],
        body=spec["body"],
        topic=spec["topic"],
    )
    at = spec["published_at"]
    if at == "later":
        at = values["now"] + timedelta(days=30)
    services.news_publish(actor=actor, item=item, at=at)


def load(*, users: dict[str, Any]) -> None:
    """Load the demo's guidance and news once (each piece that is missing)."""
    actor = users.get("policy")
    now = timezone.now()
    values = {**facts(now.date()), "today": now.date(), "now": now}
    for spec in DOCUMENTS:
        _load_document(spec, actor, values)
    for spec in _news(values):
        _load_news(spec, actor, values)
