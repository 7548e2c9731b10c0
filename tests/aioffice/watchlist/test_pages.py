"""The watch-list pages: staff only, the upload and mapping in two steps, confirming a
match without JavaScript, the list and its CSV."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry.watchlist import services
from aioffice.registry.watchlist.models import Match, WatchlistImport

from .conftest import ROWS, csv_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(registered: Any) -> Client:
    return signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess"))


def test_only_staff_with_their_second_factor_reach_the_pages(registered: Any) -> None:
    url = reverse("watchlist:entry_list")
    assert Client().get(url).status_code == 302  # to the sign-in page
    member = signed_in_client(make_user(Role.ORGANISATION_MEMBER, "priya"))
    assert member.get(url).status_code == 403
    assert member.get(reverse("watchlist:import_upload")).status_code == 403
    no_otp = signed_in_client(make_user(Role.POLICY_OFFICER, "paula"), second_factor=False)
    assert no_otp.get(url).status_code == 302


def test_upload_then_map_the_columns_then_confirm_a_match(officer: Client) -> None:
    content = b"Nom;Labo;Calcul\nFictional Atlas-9;Imaginary Labs;3,8E+25\n"
    stored = officer.post(
        reverse("watchlist:import_upload"),
        {"file": SimpleUploadedFile("fr.csv", content, "text/csv"), "source": "Fictional"},
    )
    made = WatchlistImport.objects.get()
    assert stored.status_code == 302 and stored["Location"].endswith(f"/imports/{made.pk}/")
    page = officer.get(stored["Location"])
    assert 'data-testid="mapping-form"' in page.text and ">Calcul</option>" in page.text
    missing = officer.post(stored["Location"], {"model": "Nom"})
    assert missing.status_code == 200
    assert 'id="id_training_compute_flop-error"' in missing.text
    done = officer.post(
        stored["Location"],
        {"model": "Nom", "organisation": "Labo", "training_compute_flop": "Calcul"},
    )
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.status == "imported" and made.row_count == 1
    detail = officer.get(stored["Location"])
    match = Match.objects.get()
    assert f'data-match="{match.pk}"' in detail.text
    confirm = reverse("watchlist:match_decide", args=[match.pk, "confirm"])
    assert officer.post(confirm).status_code == 302
    match.refresh_from_db()
    assert match.status == "confirmed"
    listed = officer.get(reverse("watchlist:entry_list"))
    assert 'data-reason="not_notified"' in listed.text and "Fictional Atlas-9" in listed.text
    assert officer.get(f"/office/watchlist/imports/{made.pk}/file").status_code == 200


def test_a_bad_file_shows_the_error_next_to_the_field(officer: Client) -> None:
    response = officer.post(
        reverse("watchlist:import_upload"),
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00", "text/csv"), "source": "x"},
    )
    assert response.status_code == 200
    assert 'id="id_file-error"' in response.text
    assert not WatchlistImport.objects.exists()


def test_the_watch_list_filters_and_exports(officer: Client) -> None:
    made = services.watchlist_import(
        actor=None, file=upload(csv_bytes(*ROWS)), mapping=None, source="Fictional"
    )
    page = officer.get(reverse("watchlist:entry_list"), {"reason": "unmatched"})
    assert "Quill-2" in page.text and "Lumen 4" not in page.text
    csv = officer.get(reverse("watchlist:entry_list_csv"), {"import_id": made.pk, "on": "import"})
    body = b"".join(csv.streaming_content).decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("import,row,model")
    assert "Quill-2" in body and "Tiny-1" not in body
    rows = officer.get(reverse("watchlist:import_detail", args=[made.pk]), {"with_errors": "yes"})
    assert "Broken Example" in rows.text and "Quill-2" not in rows.text
    assert 'data-error-field="publication_date"' in rows.text
    bad = officer.get(reverse("watchlist:entry_list"), {"on": "yesterday"})
    assert bad.status_code == 200  # the filter is ignored and named, never a 500


def test_a_row_is_matched_by_hand_with_errors_next_to_the_fields(
    officer: Client, registered: Any
) -> None:
    made = services.watchlist_import(
        actor=None, file=upload(csv_bytes(*ROWS)), mapping=None, source="Fictional"
    )
    url = reverse("watchlist:row_match", args=[made.pk])
    wrong = officer.post(url, {"row": 99, "model_id": registered["lumen"].model_id})
    assert wrong.status_code == 200 and 'id="id_row-error"' in wrong.text
    no_model = officer.post(url, {"row": 2, "model_id": 999999})
    assert 'id="id_model_id-error"' in no_model.text
    done = officer.post(url, {"row": 2, "version_id": registered["lumen"].pk})
    assert done.status_code == 302 and done["Location"].endswith("#row-2")
    assert made.rows.get(number=2).matches.get().status == "confirmed"
