"""The Bắc Giang plan: sections, items, appendix rows with merged cells carried down."""

from __future__ import annotations

import pytest

from corpus.store import load_corpus


@pytest.fixture(scope="module")
def plan():
    return load_corpus().get("bac-giang-69-2024")


def test_sections(plan):
    paths = [s.path for s in plan.part("plan").sections]
    assert paths[:4] == ["I", "I.1", "I.2", "II"]
    assert "II.6.1" in paths and "II.6.2" in paths
    assert [p for p in paths if p.startswith("IV.")] == [f"IV.{i}" for i in range(1, 15)]
    assert len(paths) == 31
    s = load_corpus().resolve("bac-giang-69-2024/plan/IV.13").unit
    assert s.title == "Các sở, cơ quan cấp tỉnh, UBND huyện, thị xã, thành phố"
    assert "(trước ngày 15/11)" in s.items[1].text
    iv6 = load_corpus().resolve("bac-giang-69-2024/plan/IV.6").unit
    assert iv6.title == "Sở Khoa học và Công nghệ" and iv6.items[0].text.startswith("Chủ trì triển khai")


def test_appendix_rows_and_merged_cells(plan):
    rows = {r.path: r for r in plan.part("appendix").rows}
    assert len(rows) == 63
    assert [p for p in rows if p.startswith("IV.2.")] == [f"IV.2.{i}" for i in range(1, 9)]
    assert rows["IV.2.8"].lead_unit == "Sở Văn hóa, Thể thao và Du lịch" and not rows["IV.2.8"].lead_inferred
    assert rows["II.2"].lead_unit == "Sở Thông tin và Truyền thông" and rows["II.2"].lead_inferred
    assert not rows["II.2"].coordinating_inferred
    two = rows["IV.2.2"]
    assert two.lead_inferred and two.coordinating_inferred and two.time_inferred
    assert rows["IV.5.3"].lead_unit == "Sở Công Thương" and rows["IV.5.3"].lead_inferred
    assert rows["IV.2"].is_group and rows["II"].is_group and not rows["I"].is_group
    assert rows["IV.6.4"].lead_unit == "Sở Thông tin và Truyền thông, Văn phòng UBND tỉnh (Trung tâm Thông tin)"


def test_plan_metadata_and_relations(plan):
    m = plan.meta
    assert (m.number, str(m.issue_date), m.doc_type) == ("69/KH-UBND", "2024-11-06", "Kế hoạch")
    rel = next(r for r in m.relations if r.target == "24/2018/QĐ-UBND")
    assert rel.kind.value == "implements" and rel.evidence_unit == "bac-giang-69-2024/plan/II.1/item-2"
    assert any("bãi bỏ" in n and "01/12/2025" in n for n in m.notes)
