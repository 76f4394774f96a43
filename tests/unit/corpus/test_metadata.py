"""Metadata read from the texts equals what the catalog states; statuses and relations."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.catalog import load_catalog
from corpus.store import build_corpus, load_corpus


@pytest.mark.parametrize("entry", [d for d in load_catalog().documents() if d.column is None], ids=lambda e: e.id)
def test_metadata_equals_catalog(entry):
    meta = load_corpus().get(entry.id).meta
    assert meta.number == entry.number
    assert meta.issue_date == entry.issue_date
    assert meta.effective_date == entry.effective_date
    assert meta.signer == entry.signer
    assert meta.province == entry.province


def test_signers_and_capacity():
    c = load_corpus()
    assert c.get("bac-ninh-68-2025").meta.signer_title == "Phó Chủ tịch"
    assert c.get("hung-yen-29-2019").meta.signer_title == "Chủ tịch"
    assert c.get("bac-giang-69-2024").meta.signer_title == "Quyền Chủ tịch"


def test_hung_yen_number_discrepancy_flagged():
    notes = load_corpus().get("hung-yen-29-2019").meta.notes
    assert any("27/2019" in n and "29/2019" in n for n in notes)


def test_relations():
    c = load_corpus()
    bn = c.get("bac-ninh-68-2025").meta
    repeals = {r.target: r for r in bn.relations if r.kind.value == "repeals"}
    assert set(repeals) == {"24/2018/QĐ-UBND", "30/2018/QĐ-UBND"}
    assert repeals["24/2018/QĐ-UBND"].effective == date(2025, 12, 1)
    assert repeals["24/2018/QĐ-UBND"].evidence_unit == "bac-ninh-68-2025/decision/dieu-2"
    bk = c.get("bac-kan-34-2017").meta
    assert [r.target for r in bk.relations if r.kind.value == "replaces"] == ["1611/2013/QĐ-UBND"]
    based = {r.target for r in bn.relations if r.kind.value == "based_on"}
    assert {"72/2015/NĐ-CP", "09/2017/NĐ-CP", "88/2012/NĐ-CP", "22/2016/TT-BTTTT"} <= based
    assert c.external_status("24/2018/QĐ-UBND").startswith("bị bãi bỏ bởi 68/2025/QĐ-UBND")


def test_status_depends_on_date():
    c = load_corpus()
    assert {d: c.get(d).meta.status.value for d in c.documents} == {
        "bac-ninh-68-2025": "in_force",
        "bac-kan-34-2017": "in_force",
        "hung-yen-29-2019": "in_force",
        "ha-giang-26-2019": "in_force",
        "tuyen-quang-10-2018": "in_force",
        "tuyen-quang-2025-draft": "draft",
        "bac-giang-69-2024": "in_force",
    }
    before = build_corpus(today=date(2025, 11, 20))
    assert before.get("bac-ninh-68-2025").meta.status.value == "not_yet_in_force"


def test_an_applied_predecessor_text_is_an_extends_relation():
    from corpus.reader.metadata import relations_from_decision

    text = (
        "Điều 1. Áp dụng Quyết định số 06/2015/QĐ-UBND ngày 04/02/2015 của UBND tỉnh Quảng Bình về chế độ nhuận "
        "bút trên địa bàn tỉnh Quảng Trị (mới).\nQuyết định số 06/2015/QĐ-UBND không còn được áp dụng trong trường "
        "hợp có văn bản thay thế hoặc bãi bỏ."
    )
    rels = relations_from_decision(text, "x/decision/dieu-1", date(2025, 11, 21))
    assert [(r.kind.value, r.target) for r in rels] == [("extends", "06/2015/QĐ-UBND")]
    # "áp dụng" about something else (no text applied to a territory) is not an extension
    assert relations_from_decision("Áp dụng đối với cơ quan nhà nước.", "x/decision/dieu-2", None) == []
