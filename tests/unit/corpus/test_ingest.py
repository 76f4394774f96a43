"""Adding documents: no flags needed, flags override, dry run writes nothing, --replace keeps the old version
citable, concurrent adds both land, the CLI (corpus/cli.py) prints the unit tree and refuses clearly."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from corpus.catalog import DATA_DIR, LOCAL_CATALOG, CatalogDocument, local_dir
from corpus.cli import format_preview, register
from corpus.ingest import add_document, add_file, build_full_corpus, preview_file
from corpus.model import Status
from corpus.parsing.errors import ParseError
from tests.unit.corpus.fixtures import write_docx
from tests.unit.corpus.test_reader_formats import DECISION

ROOT = Path(__file__).resolve().parents[3]
EXTRA = ROOT.parent / "shared" / "corpus-extra"
BN = DATA_DIR / "000_10a9b1074a298312.txt"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_preview_writes_nothing(tmp_path):
    p = _file(tmp_path, "lang-son-15-2025.txt", DECISION)
    preview = preview_file(p, data_dir=tmp_path / "data")
    assert preview.doc_id == "lang-son-15-2025" and not preview.added
    assert preview.units == {"decision": {"articles": 3, "clauses": 2, "points": 2, "preamble": 1}}
    assert preview.metadata["effective_date"] == "2025-12-13"
    assert not (tmp_path / "data").exists()


def test_add_then_rebuild_from_disk(tmp_path):
    data = tmp_path / "data"
    preview = add_file(_file(tmp_path, "lang-son-15-2025.txt", DECISION), data_dir=data)
    assert preview.added and Path(preview.stored_as).exists()
    corpus = build_full_corpus(data)
    doc = corpus.get("lang-son-15-2025")
    assert doc.meta.status == Status.in_force and doc.meta.number == "15/2025/QĐ-UBND"
    assert corpus.resolve("lang-son-15-2025/decision/dieu-2/khoan-1/diem-b").unit.text.startswith("b) Tiền ăn")
    entry = json.loads((local_dir(data) / LOCAL_CATALOG).read_text(encoding="utf-8"))["sources"][0]
    assert entry["format"] == "document" and entry["documents"][0]["original_name"] == "lang-son-15-2025.txt"


def test_overrides_win_and_persist(tmp_path):
    data = tmp_path / "data"
    overrides = {
        "id": "ls-hoc-nghe",
        "title": "Mức hỗ trợ học nghề",
        "effective_date": date(2026, 1, 1),
        "signer": "Người Ký Khác",
    }
    add_file(_file(tmp_path, "x.txt", DECISION), data_dir=data, overrides=overrides)
    meta = build_full_corpus(data).get("ls-hoc-nghe").meta
    assert (meta.title, meta.effective_date, meta.signer) == ("Mức hỗ trợ học nghề", date(2026, 1, 1), "Người Ký Khác")
    with pytest.raises(ValueError, match="unknown override"):
        preview_file(_file(tmp_path, "y.txt", DECISION), {"colour": "red"})


def test_replace_keeps_the_old_version_citable(tmp_path):
    data = tmp_path / "data"
    add_file(_file(tmp_path, "lang-son-15-2025.txt", DECISION), data_dir=data)
    newer = DECISION.replace("30.000 đồng/ngày", "40.000 đồng/ngày")
    result = add_file(_file(tmp_path, "lang-son-15-2025-moi.txt", newer), data_dir=data, replace=True)
    assert result.replaces == "lang-son-15-2025"
    corpus = build_full_corpus(data)
    old, new = corpus.get("lang-son-15-2025"), corpus.get(result.doc_id)
    assert old.meta.status == Status.replaced and old.meta.superseded_by == result.doc_id
    assert "30.000" in corpus.resolve("lang-son-15-2025/decision/dieu-2/khoan-1/diem-b").unit.text
    assert "40.000" in corpus.resolve(f"{result.doc_id}/decision/dieu-2/khoan-1/diem-b").unit.text
    assert corpus.by_number("15/2025/QĐ-UBND").id == result.doc_id and new.meta.status == Status.in_force


def test_replace_a_shipped_document(tmp_path):
    data = tmp_path / "data"
    result = add_file(BN, data_dir=data, replace=True)
    corpus = build_full_corpus(data)
    assert corpus.get("bac-ninh-68-2025").meta.superseded_by == result.doc_id
    assert corpus.resolve("bac-ninh-68-2025/regulation/dieu-11") is not None  # old citations resolve


def test_concurrent_adds_both_land(tmp_path):
    data = tmp_path / "data"
    files = [_file(tmp_path, f"lang-son-{n}-2025.txt", DECISION.replace("15/2025", f"{n}/2025")) for n in (21, 22)]
    errors: list[Exception] = []

    def run(p: Path) -> None:
        try:
            add_file(p, data_dir=data)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert {"lang-son-21-2025", "lang-son-22-2025"} <= set(build_full_corpus(data).documents)


def test_docx_added_like_text(tmp_path):
    lines = [x for x in BN.read_text(encoding="utf-8").split("\n") if x.strip()]
    path = write_docx(tmp_path / "bn.docx", lines)
    preview = add_file(path, data_dir=tmp_path / "data", overrides={"id": "bac-ninh-docx"}, replace=True)
    assert preview.units["regulation"]["articles"] == 18
    corpus = build_full_corpus(tmp_path / "data")
    assert corpus.resolve("bac-ninh-docx/regulation/dieu-11/khoan-1") is not None


def test_first_api_add_document_still_works(tmp_path):
    entry = CatalogDocument(id="lang-son-copy", province="Lạng Sơn", doc_type="Quyết định")
    corpus = add_document(_file(tmp_path, "a.txt", DECISION), entry, "decision_with_regulation", tmp_path / "d")
    assert corpus.get("lang-son-copy").meta.province == "Lạng Sơn"
    with pytest.raises(ParseError):
        add_document(tmp_path / "missing.txt", entry, "plan", tmp_path / "d")


def test_register_builds_the_corpus_commands(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"), data_dir=lambda: tmp_path / "data")
    p = _file(tmp_path, "lang-son-15-2025.txt", DECISION)
    args = parser.parse_args(["corpus", "add", str(p), "--dry-run"])
    assert args.func(args) == 0
    out = capsys.readouterr()
    assert "decision       articles 3, clauses 2, points 2, preamble 1" in out.out and "nothing written" in out.err
    args = parser.parse_args(["corpus", "add", str(p), "--number", "99/2025/QĐ-UBND"])
    assert args.func(args) == 0
    assert "lang-son-99-2025" in capsys.readouterr().out  # the flag's number names the document
    args = parser.parse_args(["corpus", "show", "lang-son-99-2025", "dieu-3"])
    assert args.func(args) == 0 and "sau 10 ngày kể từ ngày ký" in capsys.readouterr().out
    args = parser.parse_args(["corpus", "add", str(p), "--number", "99/2025/QĐ-UBND"])  # same number again
    assert args.func(args) == 2 and "rejected:" in capsys.readouterr().err


def run_cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {"REGASSIST_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "corpus.cli", *args], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT
    )


@pytest.mark.skipif(not EXTRA.exists(), reason=f"{EXTRA} is absent (the real corpus-extra texts)")
def test_cli_add_list_show_without_flags(tmp_path):
    data = tmp_path / "data"
    dry = run_cli("corpus", "add", str(EXTRA / "dong-thap-617-2025.txt"), "--dry-run", data=data)
    assert dry.returncode == 0, dry.stderr
    assert "appendix       rows 11, group_rows 4" in dry.stdout and "Kế hoạch 617/KH-UBND" in dry.stdout
    assert not data.exists()
    added = run_cli("corpus", "add", str(EXTRA / "dong-thap-617-2025.txt"), data=data)
    assert added.returncode == 0 and "regassist index build" in added.stderr
    listed = json.loads(run_cli("corpus", "list", "--json", data=data).stdout)
    assert {d["id"] for d in listed} >= {"bac-ninh-68-2025", "dong-thap-617-2025"}
    show = run_cli("corpus", "show", "dong-thap-617-2025", "appendix/III.8", data=data)  # the group path too
    assert "Sở KH&CN" in show.stdout and "[dong-thap-617-2025/appendix/8]" in show.stdout
    missing = run_cli("corpus", "show", "dong-thap-617-2025", "dieu-40", data=data)
    assert missing.returncode == 2 and "no unit" in missing.stderr
    bad = _file(tmp_path, "rong.txt", "")
    rejected = run_cli("corpus", "add", str(bad), data=data)
    assert rejected.returncode == 2 and "rejected: rong.txt" in rejected.stderr and "Try:" in rejected.stderr


def test_format_preview_lists_warnings(tmp_path):
    preview = preview_file(_file(tmp_path, "note.txt", "Một đoạn văn.\nHai đoạn văn."))
    text = format_preview(preview)
    assert "structure: paragraphs" in text and "warning:" in text
