"""Bad input, 21 kinds: each is refused with a message that names the user's file and says what to try, or is
read as a flagged paragraphs document; the existing corpus is untouched either way."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from corpus.catalog import LOCAL_CATALOG, local_dir
from corpus.ingest import add_file, build_full_corpus
from corpus.reader import ReadError
from corpus.reader.formats.encodings import unicode_to_tcvn3
from tests.unit.corpus.fixtures import image_only_pdf
from tests.unit.corpus.test_reader_formats import DECISION

SHIPPED = 7


def _snapshot(data: Path) -> dict:
    folder = local_dir(data)
    return {p.name: p.read_bytes() for p in folder.glob("*")} if folder.exists() else {}


def _refused(tmp_path: Path, path: Path, needle: str) -> ReadError:
    data = tmp_path / "data"
    before = _snapshot(data)
    with pytest.raises(ReadError) as info:
        add_file(path, data_dir=data)
    message = str(info.value)
    assert needle in message, message
    assert path.name in message and "Try:" in message, message
    assert _snapshot(data) == before  # nothing half-added
    return info.value


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_empty_file(tmp_path):
    _refused(tmp_path, _write(tmp_path, "empty.txt", b""), "empty")


def test_blank_lines_only(tmp_path):
    _refused(tmp_path, _write(tmp_path, "blank.txt", b"  \n\n\t\n"), "only blank lines")


def test_image_renamed_txt(tmp_path):
    _refused(tmp_path, _write(tmp_path, "scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(200)), "PNG image")


def test_binary_with_nul_bytes(tmp_path):
    _refused(tmp_path, _write(tmp_path, "data.txt", bytes(range(256)) * 4), "binary")


def test_pdf_renamed_txt(tmp_path):
    _refused(tmp_path, _write(tmp_path, "van-ban.txt", b"%PDF-1.4\n%..." + bytes(50)), "PDF file")


def test_twenty_megabyte_text(tmp_path):
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:
        fh.seek(20 * 1024 * 1024)
        fh.write(b"x")
    _refused(tmp_path, p, "too large")


def test_zip_renamed_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a word file")
    _refused(tmp_path, _write(tmp_path, "hop-dong.docx", buf.getvalue()), "ZIP archive renamed .docx")


def test_legacy_doc_renamed_docx(tmp_path):
    _refused(
        tmp_path, _write(tmp_path, "cu.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)), "legacy Word .doc"
    )


def test_legacy_doc(tmp_path):
    _refused(tmp_path, _write(tmp_path, "cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)), "save as .docx")


def test_scanned_pdf_without_text_layer(tmp_path):
    _refused(tmp_path, _write(tmp_path, "scan.pdf", image_only_pdf(3)), "no text layer: OCR is not supported")


def test_corrupt_pdf(tmp_path):
    _refused(tmp_path, _write(tmp_path, "hong.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"), "not a readable PDF")


def test_undecodable_encoding_names_the_line(tmp_path):
    data = b"Line one is ASCII\nline two too\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40
    err = _refused(tmp_path, _write(tmp_path, "garbled.txt", data), "not valid UTF-8")
    assert err.line == 3 and "garbled.txt:3" in str(err)


def test_html_with_only_scripts(tmp_path):
    html = b"<html><head><script>var a=1;</script></head><body><script>b()</script></body></html>"
    _refused(tmp_path, _write(tmp_path, "trang.html", html), "no text")


def test_missing_file_and_directory(tmp_path):
    _refused(tmp_path, tmp_path / "khong co.txt", "no such file")
    (tmp_path / "thu muc.txt").mkdir()
    _refused(tmp_path, tmp_path / "thu muc.txt", "directory")


def _accepted(tmp_path: Path, path: Path):
    data = tmp_path / "data"
    preview = add_file(path, data_dir=data)
    corpus = build_full_corpus(data)
    assert len(corpus.documents) == SHIPPED + 1 and preview.doc_id in corpus.documents
    assert corpus.resolve("bac-ninh-68-2025/regulation/dieu-11") is not None  # the shipped corpus is intact
    return preview, corpus


def test_utf16_text_is_read(tmp_path):
    preview, _ = _accepted(tmp_path, _write(tmp_path, "utf16.txt", DECISION.encode("utf-16")))
    assert preview.structure == "structured" and preview.units["decision"]["articles"] == 3


def test_tcvn3_text_is_converted(tmp_path):
    preview, corpus = _accepted(tmp_path, _write(tmp_path, "tcvn3.txt", unicode_to_tcvn3(DECISION).encode("cp1252")))
    assert any("tcvn3" in w for w in preview.warnings)
    assert corpus.get(preview.doc_id).meta.number == "15/2025/QĐ-UBND"


def test_header_only_is_a_flagged_paragraphs_document(tmp_path):
    header = DECISION.split("Căn cứ")[0]
    preview, corpus = _accepted(tmp_path, _write(tmp_path, "chi-co-dau.txt", header.encode("utf-8")))
    assert preview.structure == "paragraphs" and preview.metadata["number"] == "15/2025/QĐ-UBND"
    assert corpus.resolve(f"{preview.doc_id}/decision/doan-1") is not None  # still citable


def test_prose_without_structure_is_kept_as_paragraphs(tmp_path):
    text = "Thông báo về lịch tiếp công dân.\nSở Tư pháp tiếp công dân vào thứ Năm hằng tuần.\nĐịa điểm: trụ sở Sở."
    preview, corpus = _accepted(tmp_path, _write(tmp_path, "thong-bao.txt", text.encode("utf-8")))
    assert preview.structure == "paragraphs" and preview.units == {"decision": {"paragraphs": 3}}
    assert "thứ Năm" in corpus.resolve(f"{preview.doc_id}/decision/doan-2").unit.text
    assert any("structure: paragraphs" in w for w in preview.warnings)


def test_path_with_spaces_and_unicode(tmp_path):
    folder = tmp_path / "Văn bản mới (2025)"
    folder.mkdir()
    preview, _ = _accepted(tmp_path, _write(folder, "Quyết định số 15 của Lạng Sơn.txt", DECISION.encode("utf-8")))
    assert preview.file == "Quyết định số 15 của Lạng Sơn.txt"
    assert preview.doc_id == "lang-son-15-2025"  # the name does not carry the number's digits alone: derived id


def test_duplicate_number_needs_replace(tmp_path):
    data = tmp_path / "data"
    first = _write(tmp_path, "a.txt", DECISION.encode("utf-8"))
    add_file(first, data_dir=data)
    before = _snapshot(data)
    second = _write(tmp_path, "b.txt", DECISION.replace("30.000", "35.000").encode("utf-8"))
    with pytest.raises(ReadError) as info:
        add_file(second, data_dir=data)
    assert "already in the corpus" in str(info.value) and "--replace" in str(info.value)
    assert _snapshot(data) == before
    catalog = json.loads((local_dir(data) / LOCAL_CATALOG).read_text(encoding="utf-8"))
    assert len(catalog["sources"]) == 1


def test_no_temporary_files_left(tmp_path):
    data = tmp_path / "data"
    add_file(_write(tmp_path, "a.txt", DECISION.encode("utf-8")), data_dir=data)
    assert not [p for p in os.listdir(local_dir(data)) if p.endswith(".tmp")]
