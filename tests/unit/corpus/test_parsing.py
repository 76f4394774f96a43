"""The parsed tree of the real corpus: counts, ids, text fidelity, quirks."""

from __future__ import annotations

import re

import pytest

from corpus.catalog import DATA_DIR, load_catalog
from corpus.parsing.legal import CHAPTER_RE, is_caps
from corpus.store import load_corpus
from corpus.text import clean_markup, fold, squash

ID_RE = re.compile(r"^[a-z0-9-]+/(decision|regulation|plan|appendix)(/[A-Za-z0-9.\-]+)*$")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_all_seven_documents(corpus):
    assert sorted(corpus.documents) == sorted(d.id for d in load_catalog().documents())
    assert len(corpus.documents) == 7


@pytest.mark.parametrize("doc_id", ["bac-ninh-68-2025", "bac-kan-34-2017", "hung-yen-29-2019"])
def test_article_and_chapter_counts(corpus, doc_id):
    entry = next(d for d in load_catalog().documents() if d.id == doc_id)
    doc = corpus.get(doc_id)
    assert len(doc.part("decision").articles) == entry.expect["decision_articles"]
    reg = doc.part("regulation")
    assert [a.number for a in reg.articles] == list(range(1, entry.expect["regulation_articles"] + 1))
    assert len(reg.chapters) == entry.expect["chapters"]
    assert sum(len(ch.articles) for ch in reg.chapters) == len(reg.articles)


CLAUSES = {
    "bac-ninh-68-2025": [2, 4, 5, 10, 2, 3, 2, 3, 6, 7, 3, 3, 5, 4, 2, 3, 3, 2],
    "bac-kan-34-2017": [0, 4, 7, 2, 2, 10, 3, 2, 2, 2, 12, 6, 4, 4, 0, 4, 2, 8, 2, 2, 2],
    "hung-yen-29-2019": [2, 2, 6, 0, 2, 3, 4, 4, 4, 4, 2, 4, 4, 13, 5, 4, 3, 3, 0, 4, 0, 2, 6, 2, 3, 2],
}


@pytest.mark.parametrize("doc_id", sorted(CLAUSES))
def test_clauses_per_article(corpus, doc_id):
    reg = corpus.get(doc_id).part("regulation")
    assert [len(a.clauses) for a in reg.articles] == CLAUSES[doc_id]
    for a in reg.articles:
        assert [c.number for c in a.clauses] == [str(i) for i in range(1, len(a.clauses) + 1)]


def test_points_including_dd(corpus):
    clause = corpus.resolve("bac-kan-34-2017/regulation/dieu-3/khoan-3").unit
    assert [p.letter for p in clause.points] == ["a", "b", "c", "d", "đ", "e"]
    dd = corpus.resolve("bac-kan-34-2017/regulation/dieu-3/khoan-3/diem-dd")
    assert dd is not None and dd.unit.text.startswith("đ) Tình hình đấu tranh")
    hy = corpus.resolve("hung-yen-29-2019/regulation/dieu-5/khoan-2").unit
    assert [p.letter for p in hy.points] == ["a", "b", "c", "d", "đ", "e", "g"]


def test_unit_ids_unique_wellformed_and_resolvable(corpus):
    ids = [loc.id for loc in corpus.units()]
    assert len(ids) == len(set(ids))
    for loc in corpus.units():
        assert ID_RE.match(loc.id), loc.id
        assert corpus.resolve(loc.id) is loc
        assert loc.unit.text.strip(), loc.id
        assert loc.unit.label
        if loc.parent_id:
            assert corpus.resolve(loc.parent_id) is not None, loc.id


def test_article_text_is_heading_plus_clauses(corpus):
    for doc in corpus.documents.values():
        for part in doc.parts:
            for a in part.articles:
                pieces = [a.intro] + [c.text for c in a.clauses] + [a.closing]
                assert a.body == "\n".join(p for p in pieces if p)
                assert a.text.endswith(a.body)
                assert a.text.startswith(f"Điều {a.number}.")
                for c in a.clauses:
                    assert c.text.split("\n")[0].startswith(c.number) or c.text.startswith(f"- {c.number}")
                    for p in c.points:
                        assert p.text in c.text


def _doc_text(doc) -> str:
    chunks = [doc.meta.title]
    for part in doc.parts:
        chunks.append(part.title)
        chunks += [f"Chương {ch.number} {ch.title}" for ch in part.chapters]
        chunks += [u.text for u in part.walk()]
    return squash(" ".join(chunks))


@pytest.mark.parametrize("doc_id", sorted(CLAUSES))
def test_no_text_lost_in_regulation(corpus, doc_id):
    doc = corpus.get(doc_id)
    raw = (DATA_DIR / doc.meta.source_file).read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(raw) if re.sub(r"[#*\s]", "", ln) == "QUYCHẾ")
    all_text = _doc_text(doc)
    checked = 0
    for line in raw[start + 1 :]:
        text, _ = clean_markup(line)
        if text.startswith("TM."):
            break  # the signature block is not part of any article
        if not text or text.startswith(("(Ban hành", "ngày ")):
            continue
        text = re.sub(r"^-\s+", "", text).replace("/ . ✓", "").strip()
        if CHAPTER_RE.match(text) or (is_caps(text) and len(text) < 80):
            continue
        assert text in all_text, f"lost: {text[:80]}"
        checked += 1
    assert checked > 60


def test_no_markup_debris_in_texts(corpus):
    for loc in corpus.units():
        t = loc.unit.text
        assert "**" not in t and "[bookmark" not in t and "\t" not in t and "\xa0" not in t, loc.id
        assert not re.search(r"(^|\n)#", t), loc.id
        assert "✓" not in t and "*Shh*" not in t


def test_quirks(corpus):
    # "- 7 Sản phẩm…" read as khoản 7 of Bắc Kạn Điều 6, wording kept
    k7 = corpus.resolve("bac-kan-34-2017/regulation/dieu-6/khoan-7").unit
    assert k7.text == "7 Sản phẩm truyền thông phổ biến qua mạng internet."
    # OCR slip kept verbatim, sentence joined across the blank line
    b = corpus.resolve("bac-kan-34-2017/regulation/dieu-7/khoan-2/diem-b").unit
    assert "Hội Nhà báo Việt Nam tinh tổ chức" in b.text
    # sentence broken over two lines with a blank between is one clause
    assert "hội thảo, diễn đàn, hợp báo" in corpus.resolve("bac-ninh-68-2025/regulation/dieu-4/khoan-2").unit.text
    # a paragraph after the last clause is the article's closing
    hy7 = corpus.resolve("hung-yen-29-2019/regulation/dieu-7").unit
    assert hy7.closing.startswith("Việc cung cấp thông tin, quảng bá hình ảnh")
    # heading line that carries the body
    d2 = corpus.resolve("bac-ninh-68-2025/decision/dieu-2").unit
    assert d2.title is None and d2.text.startswith("Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày 01/12/2025.")
    assert "Bãi bỏ Quyết định số 24/2018/QĐ-UBND" in d2.text
    # signature scribbles dropped from the article
    assert corpus.resolve("hung-yen-29-2019/decision/dieu-3").unit.text.endswith(
        "chịu trách nhiệm thi hành Quyết định này."
    )
    # preamble holds only the legal bases, not the OCR'd stamp
    pre = corpus.resolve("bac-kan-34-2017/decision/can-cu").unit.text
    assert pre.startswith("Căn cứ Luật Tổ chức chính quyền địa phương") and "ĐỀ N" not in pre
    assert "Tờ trình số 1070/TTr-STTTT" in pre


def test_fold():
    assert fold("Sở Ngoại vụ") == "so ngoai vu"
    assert fold("ĐIỀU 11") == "dieu 11"
    assert fold("Sở  Văn hóa,\u00a0Thể thao") == "so van hoa, the thao"


def test_fold_matches_decomposing_the_whole_text():
    import unicodedata

    def by_decomposition(text: str) -> str:
        decomposed = unicodedata.normalize(
            "NFD", unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
        )
        return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())

    samples = [
        "Ủy ban nhân dân tỉnh Đắk Lắk",
        "Sở Văn hoá, Thể thao và Du lịch",  # "hoá" with the old tone placement
        unicodedata.normalize("NFD", "Quyết định số 68/2025/QĐ-UBND"),  # decomposed input
        "o\u0302\u0301 e\u0301 \u0301 lone mark",
        "Ωμέγα Ä Å ñ ç ß İ ǰ ﬁ",
    ]
    for text in samples:
        assert fold(text) == by_decomposition(text), text
