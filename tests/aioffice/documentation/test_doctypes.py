"""The document-type schemas: loaded and checked, one per type, each field cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from aioffice.registry.documentation.choices import Audience, DocumentType, FieldType
from aioffice.registry.documentation.doctypes import (
    SCHEMA_DIR,
    SchemaError,
    clean_content,
    load_doctypes,
    load_from,
)
from aioffice.registry.documentation.forms import form_for


def test_there_is_one_valid_schema_per_document_type() -> None:
    kinds = load_doctypes()
    assert list(kinds) == list(DocumentType.values)
    for kind in kinds.values():
        assert kind.fields
        for field in kind.fields:
            assert field.answers and field.label and field.help
            assert set(field.audiences) <= set(Audience.values)


def test_each_annex_point_is_answered_by_a_field() -> None:
    """Every point of Annex XI s1, s2 and Annex XII (AI-ACT.md §4.2-4.3) has a field."""
    kinds = load_doctypes()

    def answered(kind: str) -> set[str]:
        return {f.answers for f in kinds[kind].fields}

    s1 = {f"Annex XI 1(1)({p})" for p in "abcdef"} | {f"Annex XI 1(2)({p})" for p in "abcde"}
    assert s1 <= answered("annex_xi_1")
    assert {"Annex XI 2(1)", "Annex XI 2(2)", "Annex XI 2(3)"} <= answered("annex_xi_2")
    xii = {f"Annex XII 1({p})" for p in "abcdefgh"} | {f"Annex XII 2({p})" for p in "abc"}
    assert xii <= answered("annex_xii")
    sections = {"Template 1 (general information)", "Template 3"} | {
        f"Template 2.{n}" for n in range(1, 7)
    }
    assert sections <= answered("training_summary")


def test_audiences_follow_the_model_documentation_form() -> None:
    kinds = load_doctypes()
    # Annex XI section 2 and the Code's Framework are never for downstream providers.
    for kind in ("annex_xi_2", "framework", "model_report"):
        assert all(Audience.DOWNSTREAM_PROVIDERS not in f.audiences for f in kinds[kind].fields)
    assert all(Audience.PUBLIC in f.audiences for f in kinds["training_summary"].fields)
    assert all(Audience.DOWNSTREAM_PROVIDERS in f.audiences for f in kinds["annex_xii"].fields)


def test_a_broken_schema_is_refused_naming_file_and_field(tmp_path: Path) -> None:
    for path in SCHEMA_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text())
    broken = tmp_path / "annex_xii.yaml"
    broken.write_text(broken.read_text().replace("type: date", "type: datetime", 1))
    with pytest.raises(SchemaError, match=r"annex_xii.yaml release_date: type must be"):
        load_from(tmp_path)
    (tmp_path / "annex_xii.yaml").unlink()
    with pytest.raises(SchemaError, match="differ from the document types"):
        load_from(tmp_path)


def test_content_is_checked_per_field_type() -> None:
    kind = load_doctypes()["annex_xi_1"]
    clean, errors = clean_content(
        kind,
        {
            "parameters": "7.0e10",
            "training_compute_flop": 3.8e25,
            "release_date": "2025-13-01",
            "distribution_methods": "API\n\n weights \n",
            "licence": 12,
            "supporting_documents": "x",
            "colour": "blue",
            "architecture": "",
        },
    )
    assert clean == {
        "parameters": 70000000000,
        "training_compute_flop": 3.8e25,
        "distribution_methods": ["API", "weights"],
    }
    assert set(errors) == {"release_date", "licence", "supporting_documents", "colour"}
    assert "YYYY-MM-DD" in errors["release_date"]
    _, errors = clean_content(kind, {"parameters": "-1"})
    assert errors == {"parameters": "Enter a number of at least 0."}
    _, errors = clean_content(kind, {"licence": "MIT\x00", "distribution_methods": ["a\x00"]})
    assert set(errors) == {"licence", "distribution_methods"}
    _, errors = clean_content(kind, ["not", "an", "object"])
    assert set(errors) == {"content"}


def test_one_form_class_per_schema() -> None:
    for kind in load_doctypes().values():
        form = form_for(kind)()
        assert list(form.fields) == [f.key for f in kind.fields]
        for f in kind.fields:
            assert f.answers in str(form.fields[f.key].label)
            if f.type == FieldType.FILE:
                assert form.fields[f.key].widget.attrs["accept"] == ",".join(f.content_types)
