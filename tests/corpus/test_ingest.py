"""Adding documents: the same parser, clear rejections, nothing half-added."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.catalog import DATA_DIR, CatalogDocument
from corpus.ingest import LOCAL_CATALOG, add_document, build_full_corpus, local_dir
from corpus.parsing.errors import ParseError

BN = DATA_DIR / "000_10a9b1074a298312.txt"


def entry(doc_id="bac-ninh-copy", **kw):
    return CatalogDocument(id=doc_id, province="Bắc Ninh", doc_type="Quyết định", **kw)


def test_add_real_text_then_rebuild(tmp_path):
    corpus = add_document(BN, entry(), "decision_with_regulation", tmp_path)
    doc = corpus.get("bac-ninh-copy")
    assert len(doc.part("regulation").articles) == 18
    assert corpus.resolve("bac-ninh-copy/regulation/dieu-11/khoan-1") is not None
    again = build_full_corpus(tmp_path)
    assert len(again.documents) == 8 and "bac-ninh-68-2025" in again.documents


def test_add_docx(tmp_path):
    import docx

    d = docx.Document()
    for line in BN.read_text(encoding="utf-8").split("\n"):
        d.add_paragraph(line)
    path = tmp_path / "bn.docx"
    d.save(path)
    corpus = add_document(path, entry("bac-ninh-docx"), "decision_with_regulation", tmp_path / "data")
    assert len(corpus.get("bac-ninh-docx").part("regulation").articles) == 18


def _assert_rejected(tmp_path, path: Path, needle: str, doc_id="rejected-doc"):
    data = tmp_path / "data"
    with pytest.raises(ParseError) as info:
        add_document(path, entry(doc_id), "decision_with_regulation", data)
    assert needle in str(info.value)
    assert not (local_dir(data) / LOCAL_CATALOG).exists()  # nothing half-added
    assert len(build_full_corpus(data).documents) == 7  # existing corpus untouched
    return info.value


def test_reject_empty(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("   \n", encoding="utf-8")
    _assert_rejected(tmp_path, p, "empty")


def test_reject_binary(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    _assert_rejected(tmp_path, p, "binary")


def test_reject_wrong_encoding(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Quy chế\nĐiều 1. Sở Ngoại vụ".encode("cp1258", errors="replace"))
    err = _assert_rejected(tmp_path, p, "UTF-8")
    assert err.line == 2  # the first byte that is not UTF-8 ("Đ" in cp1258) is on line 2


def test_reject_no_structure(tmp_path):
    p = tmp_path / "prose.txt"
    p.write_text("Đây là một bài báo về du lịch.\nKhông có điều khoản nào.\n", encoding="utf-8")
    _assert_rejected(tmp_path, p, "QUY CHẾ")


def test_reject_structure_error_with_line(tmp_path):
    text = BN.read_text(encoding="utf-8").replace("Điều 5. Cung cấp", "Điều 50. Cung cấp")
    p = tmp_path / "bad.txt"
    p.write_text(text, encoding="utf-8")
    err = _assert_rejected(tmp_path, p, "not numbered 1..N")
    assert err.line is not None


def test_reject_duplicate_id(tmp_path):
    _assert_rejected(tmp_path, BN, "duplicate id", doc_id="bac-ninh-68-2025")


def test_bad_catalog_id():
    with pytest.raises(ValueError):
        entry("Bad Id!")


def run_cli(*args, env_data: Path | None = None):
    import os

    env = dict(os.environ)
    if env_data:
        env["REGASSIST_DATA_DIR"] = str(env_data)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_list_show_add(tmp_path):
    out = run_cli("corpus", "list", "--json", env_data=tmp_path)
    assert out.returncode == 0, out.stderr
    docs = json.loads(out.stdout)
    assert {d["id"] for d in docs} >= {"bac-ninh-68-2025", "bac-giang-69-2024"}
    bn = next(d for d in docs if d["id"] == "bac-ninh-68-2025")
    assert bn["units"]["regulation_articles"] == 18 and bn["status"] == "in_force"
    show = run_cli("corpus", "show", "bac-giang-69-2024", "IV.2.8", env_data=tmp_path)
    assert "Sở Văn hóa, Thể thao và Du lịch" in show.stdout and "appendix/IV.2.8" in show.stdout
    missing = run_cli("corpus", "show", "bac-ninh-68-2025", "dieu-40", env_data=tmp_path)
    assert missing.returncode == 2 and "no unit" in missing.stderr
    bad = tmp_path / "bad.txt"
    bad.write_text("hello", encoding="utf-8")
    rej = run_cli("corpus", "add", str(bad), "--id", "x-1", "--province", "Hà Nội", env_data=tmp_path)
    assert rej.returncode == 2 and "rejected" in rej.stderr
