"""The ingest evaluation (evals/ingest.py): its comparison rules on hand-built documents, and the targets of
issue 10 on the real corpus-extra texts (skipped when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.reader import read_text
from evals.ingest import DEFAULT_EXTRA, file_report, format_table, ingest_report, load_expected, merged_units

TEXT = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Số: 7/2025/QĐ-UBND

Lạng Sơn, ngày 01 tháng 12 năm 2025

QUYẾT ĐỊNH

Bãi bỏ Quyết định số 3/2019/QĐ-UBND

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;

Điều 1. Bãi bỏ Quyết định số 3/2019/QĐ-UBND ngày 02/3/2019 của UBND tỉnh Lạng Sơn.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Hoàng Văn Nam
"""

EXPECTED = {
    "doc_type": "Quyết định",
    "number": "7/2025/QĐ-UBND",
    "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn",
    "province": "Lạng Sơn",
    "issue_date": "2025-12-01",
    "effective_date": "2025-12-01",
    "signer": "Hoàng Văn Nam",
    "title": "BÃI BỎ QUYẾT ĐỊNH SỐ 3/2019/QĐ-UBND",
    "relations": [{"kind": "repeals", "number": "3/2019/QĐ-UBND"}, {"kind": "based_on", "number": None}],
    "parts": {"decision": {"articles": 2, "clauses": 0}},
    "articles": {"decision": [1, 2]},
}


def test_file_report_on_a_hand_built_decision(tmp_path):
    p = tmp_path / "lang-son-7-2025.txt"
    p.write_text(TEXT, encoding="utf-8")
    report = file_report(p, EXPECTED)
    assert report["units_ok"] == report["units_total"] == 2
    assert report["fields_ok"] == report["fields_total"] == 9, report["fields"]
    assert not report["missing_articles"] and not report["merged"]
    wrong = dict(EXPECTED, signer="Người Khác", articles={"decision": [1, 2, 3]})
    report = file_report(p, wrong)
    assert not report["fields"]["signer"]["ok"] and report["missing_articles"] == {"decision": [3]}


def test_merged_units_are_detected():
    doc = read_text(TEXT, "x").document
    art = doc.part("decision").articles[0]
    art.text += "\nĐiều 2. Quyết định này có hiệu lực"  # a unit holding the start of the next one
    assert merged_units(doc) == [f"{art.id}: 'Điều 2. Quyết định này có hiệu lực'"]


@pytest.mark.skipif(not Path(DEFAULT_EXTRA).exists(), reason=f"{DEFAULT_EXTRA} is absent")
def test_corpus_extra_meets_the_targets():
    report = ingest_report(DEFAULT_EXTRA, load_expected())
    s = report["summary"]
    assert s["files"] == 13 and s["errors"] == 0
    assert s["files_all_articles_found"] == 13  # every Điều found in every file
    assert s["unit_counts_right"] == s["unit_counts_total"]  # every section and level as counted by hand
    assert s["merged_units"] == 0  # no unit holding the text of two units
    assert s["fields_share"] >= 0.95  # metadata right for ≥ 95 % of fields
    assert "13 files, 0 errors" in format_table(report)
