"""Importing a CSV of compute estimates, matching its rows, and the watch-list, through
the services on the real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.registry.models import ModelVersion
from aioffice.registry.watchlist import selectors, services
from aioffice.registry.watchlist.flags import threshold_on
from aioffice.registry.watchlist.models import Match, WatchlistImport, WatchlistRow
from aioffice.registry.watchlist.parsing import parse_number

from .conftest import ROWS, csv_bytes, upload

pytestmark = pytest.mark.django_db


def _import(content: bytes | None = None, **kwargs: Any) -> WatchlistImport:
    options: dict[str, Any] = {"mapping": None, "source": "Fictional dataset"}
    return services.watchlist_import(
        actor=kwargs.pop("actor", None),
        file=upload(content if content is not None else csv_bytes(*ROWS)),
        **{**options, **kwargs},
    )


def _row(made: WatchlistImport, number: int) -> WatchlistRow:
    return made.rows.get(number=number)


def test_an_epoch_like_file_is_stored_parsed_and_flagged(registered: Any) -> None:
    officer = make_user(Role.TECHNICAL_OFFICER, "tess")
    made = _import(csv_bytes(*ROWS, bom=True), actor=officer, source_url="https://example.org/d")
    assert made.status == "imported" and made.imported_by == officer
    assert len(made.sha256) == 64 and made.size > 0 and made.file.name.endswith(".csv")
    assert made.row_count == 6 and made.error_row_count == 1
    assert made.mapping["training_compute_flop"] == "Training compute (FLOP)"
    assert made.header[0] == "Model"  # the BOM is not part of the first column's name
    assert Decimal(str(made.threshold_flop)) == threshold_on(made.as_of).flop
    assert made.basis and made.rules_version
    atlas = _row(made, 1)
    assert (atlas.model_name, atlas.organisation) == ("Fictional Atlas-9", "Imaginary Labs")
    assert atlas.publication_date == date(2026, 3, 1)
    assert atlas.parameters == 4.0e11 and atlas.training_compute_flop == 3.8e25
    assert (atlas.band, atlas.near) == ("above", False)
    lumen = _row(made, 3)
    assert lumen.training_compute_flop == 8.5e24  # "8,5E+24": a decimal comma
    assert (lumen.band, lumen.near) == ("near", True)
    assert _row(made, 4).band == "below"
    broken = _row(made, 5)
    assert broken.has_errors and set(broken.errors) == {"publication_date", "parameters"}
    assert broken.training_compute_flop is None and broken.band == "unknown"
    assert broken.raw["Parameters"] == "lots"
    events = AuditEvent.objects.filter(action__startswith="watchlist.import").values_list(
        "action", flat=True
    )
    assert list(events) == ["watchlist.import.staged", "watchlist.import.imported"]


def test_rows_are_matched_by_name_and_confirmed_by_a_person(registered: Any) -> None:
    made = _import()
    atlas = _row(made, 1).matches.first()
    assert atlas is not None and atlas.status == "suggested"
    assert atlas.version_id == registered["atlas"].pk or atlas.model_id == (
        registered["atlas"].model_id
    )
    assert atlas.score >= Decimal("0.9") and "name" in atlas.why
    assert not _row(made, 2).matches.exists()  # Quill-2: no such model registered
    officer = make_user(Role.LEGAL_OFFICER, "lea")
    confirmed = services.match_confirm(actor=officer, match=atlas)
    assert confirmed.status == "confirmed" and confirmed.decided_by == officer
    assert confirmed.decided_at is not None
    with pytest.raises(ValidationError) as again:
        services.match_confirm(actor=officer, match=atlas)
    assert "status" in again.value.message_dict
    rejected = services.match_reject(actor=officer, match=atlas)
    assert rejected.status == "rejected"
    assert AuditEvent.objects.filter(action="watchlist.match.confirmed").count() == 1


def test_the_watch_list_holds_flagged_rows_without_a_notification(registered: Any) -> None:
    made = _import()
    for number in (1, 3, 6):  # Atlas, Lumen, Notified Prime: confirm the best suggestion
        services.match_confirm(actor=None, match=_row(made, number).matches.first())
    entries = {e.model_name: e for e in selectors.watchlist_entries(made)}
    assert set(entries) == {"Fictional Atlas-9", "Quill-2", "Lumen 4"}
    assert entries["Fictional Atlas-9"].reason == "not_notified"
    assert entries["Fictional Atlas-9"].provider == "Imaginary Labs"
    assert entries["Quill-2"].reason == "unmatched"  # above, provider unknown
    assert entries["Lumen 4"].reason == "not_notified" and entries["Lumen 4"].band_today == "near"
    only_unmatched = selectors.watchlist_entries(made, reason="unmatched")
    assert [e.model_name for e in only_unmatched] == ["Quill-2"]


def test_a_withdrawn_notification_does_not_count(registered: Any) -> None:
    made = _import()
    services.match_confirm(actor=None, match=_row(made, 6).matches.first())
    assert "Notified Prime" not in {e.model_name for e in selectors.watchlist_entries(made)}
    registered["prime"].notifications.update(status="withdrawn")
    assert "Notified Prime" in {e.model_name for e in selectors.watchlist_entries(made)}


def test_a_threshold_moved_by_a_delegated_act_changes_todays_flags(
    registered: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _import()
    moved = threshold_on(date(2026, 1, 1))
    lower = type(moved)(moved.on, moved.flop / 10000, moved.margin, moved.basis, "test")
    monkeypatch.setattr(selectors, "threshold_on", lambda day: lower)
    on_import = {e.model_name for e in selectors.watchlist_entries(made, on="import")}
    today = {e.model_name: e for e in selectors.watchlist_entries(made, on="today")}
    assert "Tiny-1" not in on_import
    assert "Tiny-1" in today and today["Tiny-1"].band_on_import == "below"
    assert today["Tiny-1"].band_today == "above"


@pytest.mark.parametrize(
    ("content", "kind", "field", "message"),
    [
        (b"", "text/csv", "file", "empty"),
        (b"\xff\xfeM\x00", "text/csv", "file", "UTF-8"),
        (b"Model,Model\nA,B\n", "text/csv", "file", "more than once"),
        (b"Model,\nA,B\n", "text/csv", "file", "no name"),
        (b"%PDF-1.7", "application/pdf", "file", "CSV file is expected"),
        (b"Name,Flops\nA,1e25\n", "text/csv", "mapping.training_compute_flop", "Map this"),
    ],
)
def test_bad_files_are_refused_naming_the_field(
    db: None, content: bytes, kind: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.watchlist_import(
            actor=None, file=upload(content, kind=kind), mapping=None, source="x"
        )
    errors = refused.value.message_dict
    assert field in errors and message in " ".join(errors[field]), errors
    assert not WatchlistImport.objects.exists()  # one transaction: nothing half-written


def test_a_refused_import_leaves_no_file_behind(db: None, media_root: Any) -> None:
    with pytest.raises(ValidationError):
        _import(b"Name,Flops\nA,1e25\n")
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_mapping_names_the_columns_and_bad_mappings_name_the_field(db: None) -> None:
    content = b"Nom;Labo;Calcul (FLOP)\nModele Fictif;Labo Imaginaire;3,8E+25\n"
    with pytest.raises(ValidationError) as refused:
        _import(content, mapping={"model": "Nom", "training_compute_flop": "Calcul"})
    assert "mapping.training_compute_flop" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        _import(content, mapping={"modle": "Nom"})
    assert "mapping.modle" in unknown.value.message_dict
    made = _import(
        content,
        mapping={"model": "Nom", "organisation": "Labo", "training_compute_flop": "Calcul (FLOP)"},
    )
    row = _row(made, 1)
    assert made.delimiter == ";" and row.training_compute_flop == 3.8e25 and row.band == "above"


def test_the_same_file_is_not_imported_twice(db: None) -> None:
    first = _import()
    with pytest.raises(ValidationError) as again:
        _import()
    assert f"#{first.pk}" in again.value.message_dict["file"][0]


def test_a_short_row_is_kept_with_its_error(db: None) -> None:
    made = _import(csv_bytes("Short Model,Org"))
    row = _row(made, 1)
    assert row.model_name == "Short Model" and "row" in row.errors
    assert "mapping.training_compute_flop" not in row.errors


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("3.8e25", "3.8e25"),
        ("3,8E+25", "3.8e25"),
        ("3.8 x 10^25", "3.8e25"),
        ("1,000,000", "1000000"),
        ("1.000.000,5", "1000000.5"),
        (" 2.1E25 ", "2.1e25"),
        ("", None),
        ("unknown", None),
        ("N/A", None),
    ],
)
def test_numbers_are_read_in_the_usual_spellings(cell: str, value: str | None) -> None:
    parsed = parse_number(cell)
    assert parsed == (None if value is None else Decimal(value))


@pytest.mark.parametrize("cell", ["lots", "-3e25", "inf", "1e400"])
def test_bad_numbers_raise_a_message(cell: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_number(cell)


def test_matching_loads_the_registry_in_a_fixed_number_of_queries(
    registered: Any, django_assert_max_num_queries: Any
) -> None:
    labs = registered["atlas"].model.provider
    for i in range(30):
        ModelVersion.objects.create(model=registered["atlas"].model, label=f"extra-{i}")
    rows = [f"Fictional Atlas-9 extra-{i},{labs},2026-01-01,,2e25,,,Likely" for i in range(200)]
    with django_assert_max_num_queries(40):
        made = _import(csv_bytes(*rows))
    assert made.row_count == 200 and Match.objects.count() >= 200


def test_a_person_matches_a_row_the_suggestions_missed(registered: Any) -> None:
    made = _import()
    quill = _row(made, 2)  # Quill-2: no suggestion
    officer = make_user(Role.POLICY_OFFICER, "paula")
    match = services.match_create(actor=officer, row=quill, version=registered["lumen"])
    assert match.status == "confirmed" and match.decided_by == officer
    assert match.why.startswith("matched by a person") and match.score < Decimal("0.7")
    assert {e.model_name: e.reason for e in selectors.watchlist_entries(made)}["Quill-2"] == (
        "not_notified"
    )
    with pytest.raises(ValidationError) as twice:
        services.match_create(actor=officer, row=quill, model=registered["atlas"].model)
    assert "status" in twice.value.message_dict
    with pytest.raises(ValidationError) as neither:
        services.match_create(actor=officer, row=quill)
    assert "model_id" in neither.value.message_dict
