"""core.files.check_upload: one check of an uploaded document's type, size and SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.core.files import (
    CSV,
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    TEXT,
    CheckedUpload,
    FileType,
    check_upload,
    file_types,
)

DOCUMENTS = (PDF, ODT, ODS, DOCX, TEXT, CSV)


def _odf(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), kind)  # stored, first (ODF 1.2, 3.3)
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


ODT_BYTES = _odf("application/vnd.oasis.opendocument.text")


def check(name: str, content: bytes, allowed: tuple[FileType, ...] = DOCUMENTS) -> CheckedUpload:
    return check_upload(
        SimpleUploadedFile(name, content), field="file", allowed=allowed, max_bytes=100_000
    )


def refusal(name: str, content: bytes, allowed: tuple[FileType, ...] = DOCUMENTS) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, content, allowed)
    assert set(caught.value.message_dict) == {"file"}
    [message] = caught.value.message_dict["file"]
    return message


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", b"%PDF-1.7 report", "application/pdf"),
        ("REPORT.PDF", b"%PDF-1.7 report", "application/pdf"),
        ("notes.txt", "Unicode é\n".encode(), "text/plain"),
        ("table.csv", b"a,b\n1,2\n", "text/csv"),
        ("text.odt", ODT_BYTES, "application/vnd.oasis.opendocument.text"),
        (
            "text.docx",
            b"PK\x03\x04 a Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_an_allowed_file_is_typed_by_its_extension_and_digested(
    name: str, content: bytes, content_type: str
) -> None:
    checked = check(name, content)
    assert checked.content_type == content_type
    assert checked.filename == name
    assert (checked.sha256, checked.size) == (hashlib.sha256(content).hexdigest(), len(content))


@pytest.mark.parametrize(
    ("name", "content", "allowed", "filename", "content_type"),
    [
        ("scan", b"%PDF-1.4 x", (PDF, PNG, JPEG), "scan.pdf", "application/pdf"),
        ("photo", b"\xff\xd8\xff\xe0 jpeg", (PDF, PNG, JPEG), "photo.jpg", "image/jpeg"),
        ("notes", b"plain words", DOCUMENTS, "notes.txt", "text/plain"),
        ("letter", ODT_BYTES, DOCUMENTS, "letter.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_a_name_without_extension_gets_the_type_of_its_first_bytes(
    name: str, content: bytes, allowed: tuple[FileType, ...], filename: str, content_type: str
) -> None:
    checked = check(name, content, allowed)
    assert (checked.filename, checked.content_type) == (filename, content_type)


@pytest.mark.parametrize(
    ("name", "content", "allowed", "message"),
    [
        ("tool.exe", b"MZ", DOCUMENTS, "not accepted (allowed: .pdf, .odt, .ods, .docx"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", DOCUMENTS, "not accepted"),
        ("binary", b"MZ\x90\x00", (PDF, PNG, JPEG), "not accepted (allowed: .pdf, .png, .jpg"),
        # an OOXML file needs its name's extension (its first bytes do not say which it is)
        ("word", b"PK\x03\x04\x14\x00\x06\x00 docx", DOCUMENTS, "not accepted"),
        ("fake.pdf", b"not a pdf", DOCUMENTS, "not a valid PDF file"),
        ("fake.docx", b"hello", DOCUMENTS, "not a valid DOCX file"),
        ("sheet.ods", ODT_BYTES, DOCUMENTS, "not a valid ODS file"),  # the package says: text
        ("text.docx", ODT_BYTES, DOCUMENTS, "not a valid DOCX file"),
        ("nul.txt", b"a\x00b", DOCUMENTS, "NUL bytes"),
        ("latin.csv", "café;thé;".encode("latin-1") * 3, DOCUMENTS, "UTF-8"),
        ("empty.pdf", b"", DOCUMENTS, "The file is empty."),
    ],
)
def test_a_wrong_file_is_refused_with_one_message_naming_the_field(
    name: str, content: bytes, allowed: tuple[FileType, ...], message: str
) -> None:
    assert message in refusal(name, content, allowed)


def test_a_missing_file_and_one_over_the_limit_are_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(None, field="plan", allowed=DOCUMENTS, max_bytes=10)
    assert caught.value.message_dict == {"plan": ["Attach a file."]}
    with pytest.raises(ValidationError) as caught:
        check_upload(
            SimpleUploadedFile("big.txt", b"x" * 11), field="plan", allowed=DOCUMENTS, max_bytes=10
        )
    assert list(caught.value.message_dict) == ["plan"]


def test_a_name_loses_its_folders_and_nul_characters_and_keeps_its_extension() -> None:
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7")
    upload.name = "../../etc/re\x00port"
    assert check_upload(upload, field="f", allowed=(PDF,), max_bytes=100).filename == "report.pdf"
    long = check("x" * 300, b"%PDF-1.7", (PDF,)).filename
    assert len(long) == 255 and long.endswith(".pdf")


def test_a_text_character_cut_at_the_end_of_the_sample_is_not_a_refusal() -> None:
    content = b"a" * 2047 + "é".encode() + b"more"  # the sample ends inside the é
    assert check("long.txt", content).content_type == "text/plain"


def test_a_setting_names_the_types_it_allows() -> None:
    assert file_types(["application/pdf", "text/plain", "application/x-unknown"]) == (PDF, TEXT)
