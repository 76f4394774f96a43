"""Validity over time: parity with corpus.store on its build day, statuses on other dates, external texts,
and the versions that apply in a province (the 2025 arrangement included). Real corpus + hand-built metadata."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.model import DocumentMeta, Relation, RelationKind, Status
from corpus.store import build_corpus, load_corpus
from corpus.validity import (
    SUPERSEDED,
    Validity,
    applicable_versions,
    external_status_on,
    status_on,
    statuses_on,
)

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def metas() -> list[DocumentMeta]:
    corpus = build_corpus(today=TODAY)
    return [d.meta for d in corpus.documents.values()]


def meta(doc_id: str, province: str, number: str | None, issued: date | None, effective: date | None = None,
         relations: tuple[Relation, ...] = (), **kw) -> DocumentMeta:  # fmt: skip
    return DocumentMeta(
        id=doc_id, province=province, doc_type=kw.pop("doc_type", "Quyết định"), number=number,
        issuer=f"UBND tỉnh {province}", title=kw.pop("title", f"Quy chế {doc_id}"), issue_date=issued,
        effective_date=effective, relations=list(relations), **kw,
    )  # fmt: skip


def rel(kind: str, target: str, evidence: str = "", effective: date | None = None, unit: str | None = None) -> Relation:
    """A relation; kinds the committed model may not have yet ('amends', 'ends') are built without validation."""
    fields = dict(target=target, target_in_corpus=False, target_label="", evidence=evidence, evidence_unit=unit,
                  effective=effective)  # fmt: skip
    if kind in RelationKind.__members__:
        return Relation(kind=RelationKind(kind), **fields)
    return Relation.model_construct(kind=kind, **fields)


# ---- parity with corpus.store ---------------------------------------------------------------------------
@pytest.mark.parametrize("day", [TODAY, date(2025, 11, 30), date(2025, 12, 1)])
def test_statuses_equal_corpus_store_on_its_build_day(day):
    corpus = build_corpus(today=day)
    expected = {d.id: d.meta.status.value for d in corpus.documents.values()}
    got = {k: s.status.value for k, s in statuses_on([d.meta for d in corpus.documents.values()], day).items()}
    assert got == expected


def test_statuses_equal_the_loaded_corpus_today():
    corpus = load_corpus()
    got = statuses_on({d.id: d.meta for d in corpus.documents.values()}, corpus.today)
    assert {k: s.status.value for k, s in got.items()} == {d.id: d.meta.status.value for d in corpus.documents.values()}


def test_external_statuses_equal_corpus_store(metas):
    corpus = build_corpus(today=TODAY)
    numbers = {r.target for m in metas for r in m.relations if r.kind in (RelationKind.repeals, RelationKind.replaces)}
    assert numbers
    for number in numbers:
        said = corpus.external_status(number)
        status = external_status_on(number, metas, TODAY)
        assert said is not None and status is not None
        assert status.status in SUPERSEDED
        by = next(m for m in metas if m.id == status.by_document)
        assert by.number and by.number in said
    assert external_status_on("99/2099/QĐ-UBND", metas, TODAY) is None


# ---- the real corpus on other dates ---------------------------------------------------------------------
def test_a_decision_before_and_on_its_effective_date(metas):
    before = status_on("bac-ninh-68-2025", metas, date(2025, 11, 30))
    assert before.status == Validity.not_yet_in_force
    assert before.until == date(2025, 12, 1) and before.since == date(2025, 11, 11)
    assert "01/12/2025" in before.reason_en and "01/12/2025" in before.reason_vi
    assert "01/12/2025" in before.evidence
    on = status_on("68/2025/QĐ-UBND", metas, date(2025, 12, 1))  # by number too
    assert on.status == Validity.in_force and on.since == date(2025, 12, 1) and on.document == "bac-ninh-68-2025"


def test_a_repealed_text_was_in_force_until_the_repeal_took_effect(metas):
    before = external_status_on("24/2018/QĐ-UBND", metas, date(2025, 11, 30))
    assert before is not None and before.status == Validity.in_force
    assert before.until == date(2025, 12, 1) and "68/2025/QĐ-UBND" in before.reason_en
    after = external_status_on("24/2018/QĐ-UBND", metas, date(2025, 12, 1))
    assert after is not None and after.status == Validity.repealed
    assert after.since == date(2025, 12, 1) and after.by_document == "bac-ninh-68-2025"
    assert after.evidence.startswith("Bãi bỏ Quyết định số 24/2018/QĐ-UBND")
    assert after.evidence_unit == "bac-ninh-68-2025/decision/dieu-2"
    assert "Repealed from 01/12/2025" in after.reason and "Bị bãi bỏ từ ngày 01/12/2025" in after.reason
    # the repealing clause dates it "ngày 05/9/2018": before that it did not exist
    unborn = external_status_on("24/2018/QĐ-UBND", metas, date(2018, 9, 4))
    assert unborn is not None and unborn.status == Validity.not_yet_in_force and unborn.until == date(2018, 9, 5)


def test_replacement_on_signature_day(metas):
    assert external_status_on("1611/2013/QĐ-UBND", metas, date(2017, 11, 27)).status == Validity.in_force
    replaced = external_status_on("1611/2013/QĐ-UBND", metas, date(2017, 11, 28))
    assert replaced.status == Validity.replaced and replaced.by_document == "bac-kan-34-2017"
    assert replaced.evidence_unit == "bac-kan-34-2017/decision/dieu-2"


def test_draft_and_text_without_effective_date(metas):
    draft = status_on("tuyen-quang-2025-draft", metas, TODAY)
    assert draft.status == Validity.draft and draft.since is None
    assert "10/2018/QĐ-UBND" in draft.reason_en and draft.evidence_unit
    assert status_on("tuyen-quang-10-2018", metas, date(2018, 11, 19)).status == Validity.not_yet_in_force
    issued = status_on("tuyen-quang-10-2018", metas, date(2018, 11, 20))
    assert issued.status == Validity.in_force and issued.since is None
    assert "no effective date" in issued.reason_en and "không ghi ngày hiệu lực" in issued.reason_vi
    with pytest.raises(KeyError):
        status_on("24/2018/QĐ-UBND", metas, TODAY)  # outside the corpus: external_status_on


def test_status_model_carries_both_languages():
    dumped = status_on("a", [meta("a", "Hưng Yên", "1/2020/QĐ-UBND", date(2020, 1, 1))], TODAY).model_dump()
    assert dumped["status"] == "in_force" and " / " in dumped["reason"] and dumped["on"] == TODAY


# ---- hand-built metadata --------------------------------------------------------------------------------
OLD = meta("old", "Hưng Yên", "5/2018/QĐ-UBND", date(2018, 1, 1), date(2018, 1, 10))


def repealer(
    kind: str = "repeals", effective: date | None = date(2025, 12, 1), rel_effective=None, **kw
) -> DocumentMeta:
    clause = "Bãi bỏ Quyết định số 5/2018/QĐ-UBND ngày 01/01/2018 của UBND tỉnh Hưng Yên."
    return meta(kw.pop("doc_id", "new"), "Hưng Yên", kw.pop("number", "9/2025/QĐ-UBND"), kw.pop("issued", date(2025, 11, 1)),
                effective, (rel(kind, "5/2018/QĐ-UBND", clause, rel_effective, "new/decision/dieu-2"),), **kw)  # fmt: skip


def test_repeal_takes_effect_on_the_repealing_documents_effective_date():
    docs = [OLD, repealer()]
    assert status_on("old", docs, date(2018, 1, 9)).status == Validity.not_yet_in_force
    live = status_on("old", docs, date(2025, 11, 30))
    assert live.status == Validity.in_force and live.since == date(2018, 1, 10) and live.until == date(2025, 12, 1)
    gone = status_on("old", docs, date(2025, 12, 1))
    assert (gone.status, gone.since, gone.by_document) == (Validity.repealed, date(2025, 12, 1), "new")
    assert gone.evidence_unit == "new/decision/dieu-2"


def test_the_relations_own_date_wins_then_the_issue_date():
    own = [OLD, repealer(rel_effective=date(2026, 1, 1))]
    assert status_on("old", own, date(2025, 12, 15)).status == Validity.in_force
    assert status_on("old", own, date(2026, 1, 1)).since == date(2026, 1, 1)
    issue_only = [OLD, repealer(effective=None)]
    assert status_on("old", issue_only, date(2025, 11, 1)).since == date(2025, 11, 1)
    undated = [OLD, repealer(effective=None, issued=None)]
    gone = status_on("old", undated, date(2019, 1, 1))
    assert gone.status == Validity.repealed and gone.since is None and "date not stated" in gone.reason_en


def test_replaced_amended_ended():
    assert status_on("old", [OLD, repealer("replaces")], TODAY).status == Validity.replaced
    ended = status_on("old", [OLD, repealer("ends")], TODAY)
    assert ended.status == Validity.expired and ended.since == date(2025, 12, 1) and "Hết hiệu lực" in ended.reason_vi
    amended = [OLD, repealer("amends")]
    assert status_on("old", amended, date(2025, 11, 30)).status == Validity.in_force
    now = status_on("old", amended, TODAY)
    assert (now.status, now.since, now.by_document) == (Validity.amended_in_force, date(2025, 12, 1), "new")
    assert now.in_force


def test_a_draft_repeals_nothing_and_the_earliest_repeal_counts():
    draft = repealer(status=Status.draft, doc_type="Dự thảo Quyết định", number=None)
    assert status_on("old", [OLD, draft], TODAY).status == Validity.in_force
    first = repealer(doc_id="first", number="3/2024/QĐ-UBND", effective=date(2024, 3, 1))
    second = repealer(doc_id="second", number="9/2025/QĐ-UBND")
    assert status_on("old", [OLD, second, first], TODAY).by_document == "first"


def test_a_number_matches_only_the_document_of_the_province_the_clause_names():
    bn = meta("bn", "Bắc Ninh", "10/2018/QĐ-UBND", date(2018, 3, 1), date(2018, 3, 15))
    tq = meta("tq", "Tuyên Quang", "10/2018/QĐ-UBND", date(2018, 11, 20), date(2018, 12, 1))
    clause = "Bãi bỏ Quyết định số 10/2018/QĐ-UBND ngày 20/11/2018 của UBND tỉnh Tuyên Quang."
    new = meta("new", "Tuyên Quang", "5/2026/QĐ-UBND", date(2026, 1, 5), date(2026, 1, 15),
               (rel("repeals", "10/2018/QĐ-UBND", clause),))  # fmt: skip
    docs = [bn, tq, new]
    assert status_on("tq", docs, TODAY).status == Validity.repealed
    assert status_on("bn", docs, TODAY).status == Validity.in_force
    # no province in the clause: the repealing document's own province (or a predecessor) decides
    silent = new.model_copy(
        update={"relations": [rel("repeals", "10/2018/QĐ-UBND", "Bãi bỏ Quyết định số 10/2018/QĐ-UBND.")]}
    )
    assert status_on("tq", [bn, tq, silent], TODAY).status == Validity.repealed
    assert status_on("bn", [bn, tq, silent], TODAY).status == Validity.in_force
    # the successor repeals a predecessor's number that its own province also used: the named province decides
    bn10 = meta("bn10", "Bắc Ninh", "10/2018/QĐ-UBND", date(2018, 3, 1), date(2018, 3, 15))
    bg10 = meta("bg10", "Bắc Giang", "10/2018/QĐ-UBND", date(2018, 4, 1), date(2018, 4, 15))
    clause = "Bãi bỏ Quyết định số 10/2018/QĐ-UBND ngày 01/4/2018 của UBND tỉnh Bắc Giang."
    heir = meta("heir", "Bắc Ninh", "9/2026/QĐ-UBND", date(2026, 1, 5), date(2026, 1, 15),
                (rel("repeals", "10/2018/QĐ-UBND", clause),))  # fmt: skip
    assert status_on("bg10", [bn10, bg10, heir], TODAY).status == Validity.repealed
    assert status_on("bn10", [bn10, bg10, heir], TODAY).status == Validity.in_force
    # a merged province's text repealed by the successor, and a target already resolved to an id (corpus.store)
    bg = meta("bg", "Bắc Giang", "24/2018/QĐ-UBND", date(2018, 9, 5), date(2018, 9, 20))
    heir = meta("heir", "Bắc Ninh", "68/2025/QĐ-UBND", date(2025, 11, 11), date(2025, 12, 1),
                (rel("repeals", "24/2018/QĐ-UBND", "Bãi bỏ Quyết định số 24/2018/QĐ-UBND."),))  # fmt: skip
    assert status_on("bg", [bg, heir], TODAY).by_document == "heir"
    resolved = heir.model_copy(update={"relations": [rel("repeals", "bg", "Bãi bỏ Quyết định số 24/2018/QĐ-UBND.")]})
    assert status_on("bg", [bg, resolved], TODAY).status == Validity.repealed


def test_external_numbers_shared_by_two_provinces():
    a = meta("a", "Bắc Ninh", "1/2026/QĐ-UBND", date(2026, 1, 1), date(2026, 1, 1),
             (rel("repeals", "7/2019/QĐ-UBND", "Bãi bỏ Quyết định số 7/2019/QĐ-UBND của UBND tỉnh Bắc Ninh."),))  # fmt: skip
    b = meta("b", "Đồng Nai", "2/2026/QĐ-UBND", date(2026, 6, 1), date(2026, 6, 1),
             (rel("replaces", "7/2019/QĐ-UBND", "thay thế Quyết định số 7/2019/QĐ-UBND của UBND tỉnh Đồng Nai"),))  # fmt: skip
    on = date(2026, 3, 1)
    assert external_status_on("7/2019/QĐ-UBND", [a, b], on, province="Bắc Ninh").status == Validity.repealed
    assert external_status_on("7/2019/QĐ-UBND", [a, b], on, province="Đồng Nai").status == Validity.in_force
    assert external_status_on("7/2019/QĐ-UBND", [a, b], on, province="Hà Nội") is None


class _NewerMeta(DocumentMeta):
    """The fields the reader adds to DocumentMeta (declared here so the test runs with either model)."""

    superseded_by: str | None = None
    applies_from: date | None = None


def test_superseded_by_and_applies_from():
    old = _NewerMeta(**{**OLD.model_dump(), "superseded_by": "v2"})
    v2 = meta("v2", "Hưng Yên", "3/2026/QĐ-UBND", date(2026, 2, 1), date(2026, 2, 15))
    assert status_on("old", [old, v2], date(2026, 2, 14)).status == Validity.in_force
    replaced = status_on("old", [old, v2], date(2026, 2, 15))
    assert replaced.status == Validity.replaced and replaced.by_document == "v2"
    nq = meta("nq", "Hà Nội", "77/2025/NQ-HĐND", date(2025, 11, 27), date(2025, 11, 27))
    later = _NewerMeta(**{**nq.model_dump(), "applies_from": date(2026, 1, 1)})
    s = status_on("nq", [later], date(2025, 12, 1))
    # in force since signing, but the rule it sets applies only later: not the rule in force before then
    assert s.status == Validity.not_yet_applicable and "apply only from 01/01/2026" in s.reason_en
    assert s.until == date(2026, 1, 1)
    assert status_on("nq", [later], date(2026, 1, 1)).status == Validity.in_force
    assert "apply from" not in status_on("nq", [later], date(2026, 1, 2)).reason_en


# ---- applicable versions --------------------------------------------------------------------------------
def ids(entries) -> list[str]:
    return [e.document for e in entries]


def test_a_merged_province_gets_its_successors_rule_first_and_its_repealed_rule_last(metas):
    got = applicable_versions("Bắc Giang", metas, TODAY)
    assert ids(got) == ["bac-ninh-68-2025", "bac-giang-69-2024", "24/2018/QĐ-UBND"]
    assert [e.scope for e in got] == ["successor", "own", "own"]
    assert [e.status.status for e in got] == [Validity.in_force, Validity.in_force, Validity.repealed]
    old = got[-1]
    assert not old.in_corpus and old.status.by_document == "bac-ninh-68-2025"
    assert old.status.evidence_unit == "bac-ninh-68-2025/decision/dieu-2"
    assert "successor" in old.note_en and "kế thừa" in old.note_vi
    assert "Bac Ninh" in got[0].note_en and "tỉnh Bắc Ninh" in got[0].note_vi
    # before the merger the successor's decision is not Bắc Giang's, and QĐ 24/2018 was still in force
    earlier = applicable_versions("Bac Giang", metas, date(2024, 12, 1))
    assert ids(earlier) == ["bac-giang-69-2024", "24/2018/QĐ-UBND"]
    assert earlier[1].status.status == Validity.in_force and earlier[1].status.until == date(2025, 12, 1)


def test_a_successor_province_gets_its_predecessors_texts_still_in_force(metas):
    got = applicable_versions("Tuyên Quang", metas, TODAY)
    assert ids(got) == ["tuyen-quang-10-2018", "ha-giang-26-2019", "tuyen-quang-2025-draft"]
    assert [e.scope for e in got] == ["own", "predecessor", "own"]
    assert got[0].drafts == ["tuyen-quang-2025-draft"] and "draft" in got[0].note_en
    assert "Ha Giang" in got[1].note_en and "still applies" in got[1].note_en
    assert ids(applicable_versions("Tuyen Quang Province", metas, TODAY)) == ids(got)
    # in 2020 Hà Giang was its own province
    assert ids(applicable_versions("tuyen quang", metas, date(2020, 1, 1))) == [
        "tuyen-quang-10-2018",  # (the 2025 draft did not exist yet)
    ]


def test_a_former_province_sees_the_successors_draft_as_a_draft(metas):
    got = applicable_versions("Hà Giang", metas, TODAY)
    assert ids(got) == ["ha-giang-26-2019", "tuyen-quang-2025-draft"]
    assert got[1].scope == "successor" and "would apply there once issued" in got[1].note_en


def test_successor_province_on_the_day_before_its_rule(metas):
    got = applicable_versions("Bắc Ninh", metas, date(2025, 11, 30))
    groups = [e.status.status for e in got]
    assert groups[0] == Validity.in_force and ids(got)[0] == "30/2018/QĐ-UBND"  # its own rule, repealed next day
    assert got[-1].document == "bac-ninh-68-2025" and got[-1].status.status == Validity.not_yet_in_force
    now = applicable_versions("Bắc Ninh", metas, TODAY)
    assert ids(now)[0] == "bac-ninh-68-2025"
    assert {e.document: e.scope for e in now if e.status.status == Validity.repealed} == {
        "30/2018/QĐ-UBND": "own",
        "24/2018/QĐ-UBND": "predecessor",
    }


def test_order_is_in_force_then_not_yet_then_drafts_then_superseded(metas):
    rank = {
        Validity.in_force: 0,
        Validity.amended_in_force: 0,
        Validity.not_yet_in_force: 1,
        Validity.draft: 2,
        Validity.repealed: 3,
        Validity.replaced: 3,
        Validity.expired: 3,
    }
    for province in ("Bắc Ninh", "Bắc Giang", "Tuyên Quang", "Hà Giang", "Thái Nguyên", "Bắc Kạn", "Hưng Yên"):
        for day in (date(2017, 1, 1), date(2025, 11, 30), TODAY):
            got = [rank[e.status.status] for e in applicable_versions(province, metas, day)]
            assert got == sorted(got), (province, day)


def test_a_successors_pre_merger_text_does_not_apply_to_the_merged_province():
    bn_2020 = meta("bn-2020", "Bắc Ninh", "4/2020/QĐ-UBND", date(2020, 2, 1), date(2020, 2, 15))
    bn_2026 = meta("bn-2026", "Bắc Ninh", "2/2026/QĐ-UBND", date(2026, 1, 10), date(2026, 1, 20))
    got = applicable_versions("Bắc Giang", [bn_2020, bn_2026], TODAY)
    assert ids(got) == ["bn-2026"]
    assert ids(applicable_versions("Bắc Ninh", [bn_2020, bn_2026], TODAY)) == ["bn-2026", "bn-2020"]


def test_unknown_or_national_scope():
    national = meta("nd", "Chính phủ", "297/2025/NĐ-CP", date(2025, 11, 17), date(2025, 11, 17))
    assert applicable_versions("Atlantis", [national], TODAY) == []
    assert ids(applicable_versions("Chính phủ", [national], TODAY)) == ["nd"]


def test_an_undated_draft_is_not_listed_before_the_year_it_names(metas):
    draft = next(m for m in metas if m.status.value == "draft")
    year = max(int(y) for y in __import__("re").findall(r"\b20\d{2}\b", draft.title))
    before = applicable_versions(draft.province, metas, date(year - 1, 12, 31))
    during = applicable_versions(draft.province, metas, date(year, 12, 31))
    assert draft.id not in ids(before) and draft.id in ids(during)


def test_an_extended_text_stays_in_force_with_its_new_territory():
    """'Áp dụng Quyết định số … của UBND tỉnh X trên địa bàn tỉnh Y (mới)': the old text still applies, now
    across the successor's territory, from the extending decision's effective date (evidence: its clause)."""
    clause = (
        "Áp dụng Quyết định số 6/2015/QĐ-UBND ngày 04/02/2015 của UBND tỉnh Quảng Bình trên địa bàn tỉnh Quảng Trị."
    )
    ext = meta("ext", "Quảng Trị", "27/QĐ-UBND", date(2025, 11, 21), date(2025, 11, 21),
               (rel("extends", "6/2015/QĐ-UBND", clause, date(2025, 11, 21), "ext/decision/dieu-1"),))  # fmt: skip
    got = {a.document: a for a in applicable_versions("Quảng Trị", [ext], date(2026, 1, 1))}
    old = got["6/2015/QĐ-UBND"]
    assert old.scope == "predecessor" and old.status.status == Validity.in_force
    assert "Quảng Trị" in old.status.reason_vi and "21/11/2025" in old.status.reason_en
    assert old.status.evidence_unit == "ext/decision/dieu-1"
    before = {a.document: a for a in applicable_versions("Quảng Trị", [ext], date(2025, 11, 1))}
    assert "applied across" not in before["6/2015/QĐ-UBND"].status.reason_en  # not yet extended then
