"""Metric functions on hand-made examples (the real matching rules, no mocks)."""

from __future__ import annotations

import json

import pytest

from evals.gold import GoldQuestion, load_gold, read_gold_file
from evals.metrics import (
    answer_summary,
    citation_problems,
    fact_stated,
    first_rank,
    group_satisfied,
    percentile,
    retrieval_summary,
    satisfies,
    score_answer,
    score_retrieval,
)

BN11 = "bac-ninh-68-2025/regulation/dieu-11"
BN1 = "bac-ninh-68-2025/regulation/dieu-1"
BK19 = "bac-kan-34-2017/regulation/dieu-19"
PLAN = "bac-giang-69-2024/plan/II.6"


# ---------------------------------------------------------------------------------------- matching


def test_equal_or_descendant_satisfies():
    assert satisfies(BN11, [BN11])
    assert satisfies(BN11 + "/khoan-1", [BN11])
    assert satisfies(BN11 + "/khoan-1/diem-a", [BK19, BN11])
    assert satisfies("tuyen-quang-2025-draft/decision/can-cu/ly-do", ["tuyen-quang-2025-draft/decision/can-cu"])


def test_prefix_without_slash_does_not_satisfy():
    assert not satisfies(BN1 + "1", [BN1])  # dieu-11 is not a descendant of dieu-1
    assert not satisfies(BN1, [BN11])  # an ancestor does not satisfy its descendant
    assert not satisfies(PLAN + ".2", [PLAN])  # dotted plan sections are separate units
    assert not satisfies("bac-ninh-68-2025/decision/dieu-11", [BN11])


def test_group_and_rank():
    groups = [[BN11], [BK19]]
    ranked = ["x/a", BK19 + "/khoan-2", BN11]
    assert first_rank(ranked, groups) == 2
    assert first_rank(["x/a"], groups) is None
    assert group_satisfied(ranked, groups[0]) and not group_satisfied(["x/a"], groups[0])


# ---------------------------------------------------------------------------------------- retrieval


def test_hit_uses_the_first_group_mrr_any_group():
    groups = [[BN11], [BK19]]
    s = score_retrieval([BK19, "a/b", "c/d", "e/f", BN11, "g/h"], groups)
    assert not s.hit1 and s.hit5 and s.rr == 1.0 and s.groups5 == 1.0 and s.all_groups5
    s = score_retrieval([BK19, "a/b", "c/d", "e/f", "g/h", BN11], groups)
    assert not s.hit5 and s.rr == 1.0 and s.groups5 == 0.5 and not s.all_groups5
    s = score_retrieval(["a/b", "c/d", BN11 + "/khoan-3"], [[BK19, BN11]])
    assert not s.hit1 and s.hit5 and s.rr == pytest.approx(1 / 3)
    assert score_retrieval([], [[BN11]]).rr == 0.0
    with pytest.raises(ValueError):
        score_retrieval([BN11], [])


def test_retrieval_summary_means():
    scores = [
        score_retrieval([BN11], [[BN11]]),
        score_retrieval(["a/b", BN11], [[BN11]]),
        score_retrieval(["a/b"], [[BN11]]),
        score_retrieval(["a/b"], [[BN11]]),
    ]
    s = retrieval_summary(scores)
    assert s["n"] == 4 and s["hit@1"] == 0.25 and s["hit@5"] == 0.5 and s["mrr"] == pytest.approx((1 + 0.5) / 4)


# ---------------------------------------------------------------------------------------- facts


def test_fact_matching_folds_accents_case_and_whitespace():
    fact = "Văn phòng Ủy ban nhân dân tỉnh|Văn phòng UBND tỉnh"
    assert fact_stated("Cơ quan chủ trì là VĂN PHÒNG  UBND\ntỉnh.", fact)
    assert fact_stated("van phong uy ban nhan dan tinh chu tri", fact)
    assert not fact_stated("Sở Ngoại vụ chủ trì", fact)
    assert fact_stated("Sở Thông tin và Truyền thông", "Thông tin và Truyền thông|TTTT")
    assert fact_stated("Đài Truyền thanh xã", "Dai truyen thanh")  # đ folds to d


def test_fact_alternatives_are_substrings_only():
    assert fact_stated("trước ngày 15/11 hằng năm", "15/11|November 15")
    assert not fact_stated("trước ngày 15/11 hằng năm", "05/11|ngày 5/11")
    assert not fact_stated("anything", "")  # no empty alternative matches everything


# ---------------------------------------------------------------------------------------- answers


def test_score_answer_and_summary():
    a = score_answer(
        "Văn phòng UBND tỉnh chủ trì.", False, [BN11 + "/khoan-1"], [[BN11]], ["Văn phòng UBND tỉnh", "20/12"], True
    )
    assert a.cited == 1.0 and a.facts == 0.5 and a.facts_missing == ["20/12"]
    b = score_answer("", True, [], [[BN11], [BK19]], ["x"], True)  # wrongly abstained
    assert b.cited == 0.0 and b.facts == 0.0 and b.groups_missing == [0, 1]
    c = score_answer("Không có.", True, [], [], [], False)  # right abstention
    d = score_answer("Bịa ra.", False, [BN11], [], [], False, ["x: does not resolve"])  # answered an unanswerable
    half = score_answer("…", False, [BK19], [[BN11], [BK19]], [], True)
    assert half.cited == 0.5 and half.facts is None
    s = answer_summary([a, b, c, d, half])
    assert s["n_answerable"] == 3 and s["n_unanswerable"] == 2
    assert s["cited"] == pytest.approx((1 + 0 + 0.5) / 3)
    assert s["facts"] == pytest.approx((0.5 + 0) / 2)  # questions without facts are left out
    assert s["abstain_precision"] == 0.5 and s["abstain_recall"] == 0.5
    assert s["wrong_abstentions"] == 1 and s["bad_citations"] == 1


def test_abstention_metrics_undefined_without_cases():
    s = answer_summary([score_answer("x", False, [BN11], [[BN11]], [], True)])
    assert s["abstain_precision"] is None and s["abstain_recall"] is None and s["wrong_abstentions"] == 0


def test_citation_problems_on_the_real_corpus(corpus):
    text = corpus.resolve(BN11).unit.text
    good = {"id": BN11, "quote": text[:40]}
    assert citation_problems([good], corpus) == []
    assert len(citation_problems([{"id": BN11, "quote": "Sở Tài chính không có trách nhiệm gì."}], corpus)) == 1
    assert len(citation_problems([{"id": "bac-ninh-68-2025/regulation/dieu-40", "quote": "x"}], corpus)) == 1
    assert len(citation_problems([{"id": BN11, "quote": ""}], corpus)) == 1


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(101)), 95) == 95


# ---------------------------------------------------------------------------------------- gold


def test_gold_dev_loads_and_matches_gold_md():
    # 126 dev questions + the shipped-corpus questions of two held-out splits and five blind sets, folded in
    dev = load_gold("dev")
    assert len(dev) == 502 and len({q.id for q in dev}) == 502
    assert sum(q.category == "unanswerable" for q in dev) == 56
    assert sum(q.language_slice == "vi-unaccented" for q in dev) == 91
    assert all(q.split == "dev" for q in dev)


def test_gold_expected_units_resolve(corpus):
    for q in load_gold("dev"):
        for group in q.expected_units:
            for unit in group:
                loc = corpus.resolve(unit)  # an article, or the khoản / điểm / item that holds the answer
                assert loc is not None and loc.id == unit, (q.id, unit)


def test_gold_schema_rejects_bad_lines(tmp_path):
    line = {
        "id": "g999",
        "question": "q?",
        "language": "vi",
        "unaccented": False,
        "category": "unanswerable",
        "answerable": True,
        "history": [],
        "province": None,
        "expected_units": [],
        "expected_facts": [],
        "notes": "",
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        read_gold_file(path)
    line.update(answerable=False)
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (q,) = read_gold_file(path)
    assert isinstance(q, GoldQuestion) and q.documents == ["none"] and q.split == "bad"
    with pytest.raises(ValueError):
        load_gold("test")


def test_held_out_records_never_leave_the_run():
    from evals.runner import is_held_out

    assert is_held_out("held-out") and is_held_out("gold_heldout")
    assert not is_held_out("dev") and not is_held_out("my_gold")
