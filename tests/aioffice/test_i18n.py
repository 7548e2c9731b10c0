"""The shell speaks English, French and German; the catalogues are complete and compiled."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SOURCE_DIR = LOCALE_DIR.parent  # the tree `makemessages` is run from (src/aioffice)
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = ["fr", "de"]  # English is the source language: its msgstr stay empty

# What the shell must say in each language: (navigation, log-in button, switcher label).
SHELL = {
    "fr": ("Accueil", "Se connecter", "Langue"),
    "de": ("Startseite", "Anmelden", "Sprache"),
}


@dataclass
class PoEntry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def _po_entries(path: Path) -> list[PoEntry]:
    """The entries of a .po file, header included; enough of the format for our catalogues."""
    entries: list[PoEntry] = []
    flags: set[str] = set()
    current: PoEntry | None = None
    target: tuple[str, int] | None = None  # which string a continuation line extends
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#") or not line:
            continue
        elif line.startswith("msgid_plural "):
            assert current is not None
            current.msgid_plural = ast.literal_eval(line[len("msgid_plural ") :])
            target = ("plural", 0)
        elif line.startswith("msgid "):
            current = PoEntry(msgid=ast.literal_eval(line[len("msgid ") :]), flags=flags)
            entries.append(current)
            flags = set()
            target = ("msgid", 0)
        elif line.startswith("msgstr"):
            assert current is not None
            keyword, _, literal = line.partition(" ")
            index = int(keyword[len("msgstr[") : -1]) if "[" in keyword else 0
            current.msgstr.append(ast.literal_eval(literal))
            target = ("msgstr", index)
        elif line.startswith('"'):
            assert current is not None and target is not None
            text = ast.literal_eval(line)
            kind, index = target
            if kind == "msgid":
                current.msgid += text
            elif kind == "plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            else:
                current.msgstr[index] += text
        else:
            raise AssertionError(f"{path}: cannot read line {raw!r}")
    return entries


def _catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def _messages(language: str) -> list[PoEntry]:
    return [entry for entry in _po_entries(_catalogue(language)) if entry.msgid]


# --- The catalogues


def test_there_is_a_catalogue_for_every_language() -> None:
    assert LANGUAGES == ["en", "fr", "de"]
    for language in LANGUAGES:
        assert _catalogue(language).is_file(), language
        assert _catalogue(language).with_suffix(".mo").is_file(), language


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    entries = _messages(language)
    assert len(entries) > 50
    untranslated = [entry.msgid for entry in entries if not all(entry.msgstr)]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language: str) -> None:
    fuzzy = [entry.msgid for entry in _po_entries(_catalogue(language)) if "fuzzy" in entry.flags]
    assert fuzzy == []


def test_the_catalogues_hold_the_same_messages() -> None:
    english = {entry.msgid for entry in _messages("en")}
    for language in TRANSLATED:
        assert {entry.msgid for entry in _messages(language)} == english, language


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language: str) -> None:
    for entry in _messages(language):
        if "python-format" in entry.flags:
            for placeholder in ("%(name)s", "%(days)s", "%(number)s", "%(total)s", "%(site)s"):
                assert (placeholder in entry.msgid) == (placeholder in entry.msgstr[0]), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language: str) -> None:
    """A .po edited without running `compilemessages` leaves a stale .mo: caught here."""
    with _catalogue(language).with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in _messages(language):
        if entry.msgid_plural is None:
            expected = entry.msgstr[0] or entry.msgid
            assert compiled.gettext(entry.msgid) == expected, entry.msgid
        else:
            singular, plural = entry.msgstr[0] or entry.msgid, entry.msgstr[1] or entry.msgid_plural
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == singular
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == plural


MAKEMESSAGES = (
    "cd src/aioffice && AIOFFICE_DEBUG=1 DJANGO_SETTINGS_MODULE=aioffice.settings "
    "../../.venv/bin/django-admin makemessages -l fr -l de -l en --no-obsolete"
)


def _gettext_required() -> bool:
    """CI (and whoever asks) must run the check below rather than skip it."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "AIOFFICE_REQUIRE_GETTEXT", ""
    ).lower() in {"1", "true"}


def _extract_messages(tmp_path: Path) -> list[PoEntry]:
    """The messages `makemessages` finds in the source now, as a fresh French catalogue.

    It runs on a copy of the source tree, without the project's settings, so that it
    writes only into the copy and never touches the committed catalogues."""
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        message = f"GNU gettext is not installed (no {', '.join(missing_tools)})"
        if _gettext_required():
            pytest.fail(message)
        pytest.skip(message)
    tree = tmp_path / "aioffice"
    shutil.copytree(
        SOURCE_DIR, tree, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc")
    )
    (tree / "locale").mkdir()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location"]
    run = subprocess.run(  # noqa: S603  (a fixed command, on a copy of our own tree)
        command, cwd=tree, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    catalogue = tree / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    return [entry for entry in _po_entries(catalogue) if entry.msgid]


def test_the_catalogues_are_up_to_date_with_the_source(tmp_path: Path) -> None:
    """A string marked for translation but missing from the catalogues (no `makemessages`
    since it was written) would show in English on the French and German pages."""
    extracted = _extract_messages(tmp_path)
    assert len(extracted) > 50
    source = {(entry.msgid, entry.msgid_plural) for entry in extracted}
    for language in TRANSLATED:
        committed = {(entry.msgid, entry.msgid_plural): entry for entry in _messages(language)}
        missing = sorted(msgid for msgid, _plural in source - committed.keys())
        assert missing == [], f"{language}: not in the catalogue; run {MAKEMESSAGES}"
        stale = sorted(msgid for msgid, _plural in committed.keys() - source)
        assert stale == [], f"{language}: no longer in the source; run {MAKEMESSAGES}"
        untranslated = sorted(
            msgid
            for (msgid, plural) in source
            if not all(committed[msgid, plural].msgstr) or "fuzzy" in committed[msgid, plural].flags
        )
        assert untranslated == [], f"{language}: untranslated or fuzzy"


# --- The pages


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_home_page_speaks_the_language_of_its_prefix(language: str) -> None:
    home, log_in, switcher = SHELL[language]
    page = Client().get(f"/{language}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'data-nav="home"' in html and f">{home}</a>" in html
    assert log_in in html
    assert f">{switcher}</label>" in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fr", ["Se connecter", "Nom d&#x27;utilisateur", "Mot de passe"]),
        ("de", ["Anmelden", "Benutzername", "Passwort"]),
    ],
)
def test_the_login_page_is_translated(language: str, texts: list[str]) -> None:
    page = Client().get(f"/{language}/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in texts:
        assert text in html
    assert ">Log in<" not in html


@pytest.mark.django_db
def test_staff_navigation_is_translated() -> None:
    client = signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo"))
    html = client.get("/de/office/").content.decode()
    for label in ("Übersicht des Büros", "Prüfpfad", "Mein Konto", "Abmelden"):
        assert label in html


@pytest.mark.django_db
def test_the_english_pages_have_no_prefix() -> None:
    html = Client().get("/").content.decode()
    assert '<html lang="en"' in html
    assert ">Home</a>" in html
    assert ">Language</label>" in html


def _switcher_next(html: str) -> str:
    """The `next` the header's language switcher would send from this page."""
    form = re.search(r'<form[^>]*class="aio-language".*?</form>', html, re.DOTALL)
    assert form is not None
    field = re.search(r'<input name="next" type="hidden" value="([^"]*)">', form.group(0))
    assert field is not None
    return unescape(field.group(1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "language", "lands_on", "text"),
    [
        ("/", "fr", "/fr/", "Accueil"),
        ("/accounts/login/?next=/office/", "de", "/de/accounts/login/?next=/office/", "Anmelden"),
        ("/fr/accounts/login/", "de", "/de/accounts/login/", "Anmelden"),
        ("/de/", "fr", "/fr/", "Accueil"),
        ("/de/", "en", "/", "Home"),
    ],
)
def test_the_language_switcher_changes_the_language(
    start: str, language: str, lands_on: str, text: str
) -> None:
    client = Client()
    next_url = _switcher_next(client.get(start).content.decode())
    switched = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert switched.status_code == 302
    assert switched["Location"] == lands_on
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    page = client.get(lands_on).content.decode()
    assert f'<html lang="{language}"' in page
    assert text in page
