"""Fusion, diversification and scoring on hand-built inputs (no model, no index)."""

from __future__ import annotations

import pytest

from corpus.text import fold
from index.retrieval import scoring
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.fusion import diversify, fuse
from index.retrieval.results import Hit


def test_fuse_weights_min_max_normalised_scores():
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    lexical = [("c", 12.0), ("d", 2.0)]
    out = dict(fuse(dense, lexical, 0.3))
    assert out["a"] == 0.3 and out["c"] == 0.7 and out["d"] == 0.0
    assert fuse(dense, lexical, 0.3)[0][0] == "c"


def test_fuse_breaks_ties_by_id_and_handles_empty_sides():
    assert [i for i, _ in fuse([("b", 1.0), ("a", 1.0)], [], 0.5)] == ["a", "b"]
    assert fuse([], [], 0.3) == []


def test_diversify_puts_one_hit_per_document_first():
    hits = [
        Hit(id="x/1", score=0.9, doc_id="x"),
        Hit(id="x/2", score=0.8, doc_id="x"),
        Hit(id="y/1", score=0.7, doc_id="y"),
        Hit(id="z/1", score=1.0, doc_id="z", direct=True),
    ]
    assert [h.id for h in diversify(hits)] == ["z/1", "x/1", "y/1", "x/2"]


def _qa(text, **kw):
    return QueryAnalysis(text=text, folded=fold(text), lexical_query=fold(text), **kw)


def test_agency_boost_brings_in_the_agencys_own_article(corpus):
    art = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "article"
        and loc.article is not None
        and (loc.article.title or "").startswith("Trách nhiệm của Sở")
    )
    agency = art.article.title.removeprefix("Trách nhiệm của ")
    qa = _qa(f"Nhiệm vụ của {agency}?", agencies=[agency], intents=["duties"], documents=[art.document.id])
    other = Hit(id="elsewhere", score=0.6, doc_id=art.document.id)
    hits = scoring.agency_boost(corpus, [other], qa)
    boosted = next(h for h in hits if h.id == art.id)
    assert boosted.score == 0.6 + scoring.AGENCY_ARTICLE_MARGIN


def test_confidence_is_low_off_topic_and_high_on_topic(corpus):
    loc = next(loc for loc in corpus.units() if loc.unit.kind == "article" and len(loc.unit.text) > 300)
    words = " ".join(loc.unit.text.split()[:25])
    hit = [Hit(id=loc.id, score=1.0, doc_id=loc.document.id)]
    on = scoring.confidence(corpus, _qa(words), hit, [("n", 0.9)])
    off = scoring.confidence(corpus, _qa("bóng đá ngoại hạng anh tối nay"), hit, [("n", 0.75)])
    assert 0.0 <= off < 0.35 < on <= 1.0
    assert scoring.confidence(corpus, _qa("x"), [], []) == 0.0


def test_a_text_outside_the_corpus_named_in_the_question_brings_up_the_article_that_names_it(corpus):
    import re

    numbers = {d.meta.number for d in corpus.documents.values()}
    found = None
    for loc in corpus.units():
        if loc.unit.kind != "article":
            continue
        for m in re.finditer(r"\b\d{1,3}/\d{4}/[A-ZĐ]{2,3}-[A-ZĐ]{2,6}\b", loc.unit.text):
            if m.group(0) not in numbers:
                found = (loc, m.group(0))
                break
        if found:
            break
    assert found, "the shipped texts cite national decrees and circulars"
    loc, number = found
    other = next(
        u for u in corpus.units() if u.unit.kind == "article" and number.split("/")[0] + "/" not in u.unit.text
    )
    hits = [
        Hit(id=other.id, score=1.0, doc_id=other.document.id),
        Hit(id=loc.id, score=0.4, doc_id=loc.document.id),
    ]
    qa = QueryAnalysis(text=f"Điều nào sửa đổi {number}?", folded="", unknown_numbers=[number])
    assert scoring.mention_boost(corpus, hits, qa)[0].id == loc.id
    untouched = [Hit(id=other.id, score=1.0, doc_id=other.document.id), Hit(id=loc.id, score=0.4, doc_id="x")]
    assert scoring.mention_boost(corpus, untouched, QueryAnalysis(text="?", folded=""))[0].id == other.id


def test_a_question_on_what_a_text_governs_lifts_its_scope_article(corpus):
    scope = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "article" and fold(loc.article.title or "").startswith("pham vi")
    )
    other = Hit(id="elsewhere", score=0.9, doc_id=scope.document.id)
    asked = _qa("Quy chế này điều chỉnh những gì?", documents=[scope.document.id])
    hits = scoring.title_cue_boost(corpus, [other], asked)
    assert hits[0].id == scope.id and hits[0].score > 0.9
    unscoped = _qa("Quy chế này điều chỉnh những gì?", documents=[])  # a heading says where, not which text
    assert [h.id for h in scoring.title_cue_boost(corpus, [other], unscoped)] == ["elsewhere"]
    unrelated = _qa("Ai chủ trì?", documents=[scope.document.id])
    assert [h.id for h in scoring.title_cue_boost(corpus, [other], unrelated)] == ["elsewhere"]


def test_a_question_naming_no_text_takes_the_text_its_first_hits_agree_on(corpus):
    scope = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "article" and fold(loc.article.title or "").startswith("pham vi")
    )
    doc = scope.document.id
    n = scoring.TITLE_CUE_AGREEING

    def agreeing():
        return [Hit(id=f"elsewhere-{i}", score=0.9 - i / 10, doc_id=doc) for i in range(n)]

    asked = _qa("Quy chế này điều chỉnh những gì?", documents=[])
    assert scoring.title_cue_boost(corpus, agreeing(), asked)[0].id == scope.id
    split = [*agreeing()[:-1], Hit(id="another-text", score=0.5, doc_id="another-doc")]
    assert scope.id not in [h.id for h in scoring.title_cue_boost(corpus, split, asked)]


def test_title_words_are_the_words_of_the_documents_and_parts_titles(corpus):
    doc = next(iter(corpus.documents.values()))
    words = scoring._title_words(corpus, [doc.id])
    assert words and all(w in fold(doc.meta.title) or any(w in fold(p.title or "") for p in doc.parts) for w in words)
    assert scoring._title_words(corpus, ["-none-"]) == set()


def test_a_clause_defining_every_word_asked_about_leads_a_definition_question(corpus):
    defining = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "clause" and len(scoring._defined_words(fold(loc.unit.text)) or ()) >= 3
    )
    term = " ".join(sorted(scoring._defined_words(fold(defining.unit.text))))
    asked = _qa(f"{term} là gì?", intents=["definition"])

    def hits():
        low = Hit(id=defining.article_id, score=0.1, doc_id=defining.document.id, units=[defining.id])
        return [Hit(id="elsewhere", score=1.0, doc_id=defining.document.id), low]

    def first(qa):
        return max(scoring.definition_rerank(corpus, hits(), qa), key=lambda h: h.score).id

    assert first(asked) == defining.article_id
    other = _qa("Cơ quan nào chủ trì?", intents=["definition"])  # its words are not what the clause defines
    assert first(other) == "elsewhere"


def test_an_agencys_own_outline_section_leads_its_duties_question(corpus):
    section = next(
        (
            loc
            for loc in corpus.units()
            if loc.unit.kind == "section" and (getattr(loc.unit, "title", None) or "").startswith("Sở ")
        ),
        None,
    )
    if section is None:
        pytest.skip("no outline section headed by an agency in the shipped corpus")
    agency = section.unit.title
    qa = _qa(f"{agency} có nhiệm vụ gì?", agencies=[agency], intents=["duties"], documents=[section.document.id])
    hits = scoring.agency_boost(corpus, [Hit(id="elsewhere", score=0.6, doc_id=section.document.id)], qa)
    assert next(h for h in hits if h.id == section.id).score == 0.6 + scoring.AGENCY_ARTICLE_MARGIN


def test_the_execution_clause_is_told_apart_and_so_is_a_question_about_it():
    from corpus.text import fold
    from index.retrieval.scoring import EXECUTION_ASKED_RE, EXECUTION_CLAUSE_RE

    closing = "Chánh Văn phòng UBND tỉnh; Giám đốc các Sở … chịu trách nhiệm thi hành Quyết định này./."
    assert EXECUTION_CLAUSE_RE.search(fold(closing))
    assert not EXECUTION_CLAUSE_RE.search(fold("Văn phòng UBND tỉnh có trách nhiệm phân loại kiến nghị"))
    assert EXECUTION_ASKED_RE.search(fold("Who is responsible for carrying out the decision?"))
    assert not EXECUTION_ASKED_RE.search(fold("VP UBND tỉnh phải phân loại kiến nghị trong mấy ngày?"))


def test_a_question_about_who_carries_the_text_out_gets_the_closing_clause_first(corpus):
    closing = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "article" and scoring.EXECUTION_CLAUSE_RE.search(fold(loc.unit.text))
    )
    hits = [Hit(id="elsewhere", score=0.9, doc_id="x"), Hit(id=closing.id, score=0.4, doc_id=closing.document.id)]
    asked = scoring.execution_first(
        corpus, [h.model_copy() for h in hits], _qa("thì những ai chịu trách nhiệm thi hành?")
    )
    assert asked[0].id == closing.id
    other = scoring.execution_damp(corpus, [h.model_copy() for h in hits], _qa("Sở Tư pháp có nhiệm vụ gì?"))
    assert other[0].id == "elsewhere" and other[1].score == 0.4 * scoring.EXECUTION_CLAUSE_DAMP


def test_agency_names_match_their_headings_whether_abbreviated_or_not():
    from index.retrieval.scoring import _agency_key

    assert _agency_key("Văn phòng Ủy ban nhân dân tỉnh") == _agency_key("Văn phòng UBND tỉnh") == "van phong ubnd tinh"
    assert _agency_key("Thường trực Hội đồng nhân dân tỉnh") == "thuong truc hdnd tinh"


@pytest.mark.parametrize(
    "question,states_a_time",
    [
        ("Văn bản gửi đến lúc 5 giờ chiều thì hạn chót cập nhật là khi nào?", True),
        ("nhan van ban luc 16h30 chieu thi han chot la bao gio", True),
        ("If the portal receives it at 6 p.m., from when does the time run?", True),
        ("A notary office finishes at 4:30 pm. What is the latest it can upload?", True),
        ("If it receives the notice at half past four in the afternoon, what is the deadline?", True),
        ("Within how many working hours must it tell the applicant?", False),
        ("Trong bao nhiêu giờ làm việc phải thông báo?", False),
    ],
)
def test_a_question_stating_the_time_of_day_looks_for_a_clock_time_cut_off(question, states_a_time):
    (asked, wording), *_ = scoring.text_cues()
    assert bool(asked.search(fold(question))) is states_a_time
    assert wording.search(
        fold("Trường hợp công chứng sau 16 giờ thì cập nhật trước 10 giờ sáng ngày làm việc tiếp theo")
    )
    assert wording.search(fold("được tính từ 08 giờ 00 ngày làm việc tiếp theo"))
    assert not wording.search(fold("không muộn hơn 08 giờ làm việc kể từ khi nhận hồ sơ"))


@pytest.mark.parametrize(
    "question,asks_an_address",
    [
        ("Cơ sở dữ liệu công chứng truy cập ở địa chỉ nào?", True),
        ("cong ttdt cua ubnd xa dat ten mien theo dang nao", True),
        ("What is the web address of the notarization database?", True),
        ("Which website publishes the results?", True),
        ("Hồ sơ nộp tại địa chỉ nào?", False),  # a place, not a web address
        ("Where do I send the application?", False),
    ],
)
def test_a_question_asking_for_a_web_address_looks_for_one(question, asks_an_address):
    cue = dict(zip([c["name"] for c in scoring._cue_data()["text_cues"]], scoring.text_cues()))["web_address"]
    asked, wording = cue
    assert bool(asked.search(fold(question))) is asks_an_address
    assert wording.search(fold("Cơ sở dữ liệu có tên miền truy cập là: https://congchung.example.gov.vn"))
    assert wording.search(fold("sử dụng tên miền cấp 4 theo dạng: tenphuongxa.tinh.gov.vn, trong đó"))
    assert not wording.search(fold("nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh"))


@pytest.mark.parametrize(
    "cue,question,text",
    [
        ("standing_body", "Which agency is the standing body of the board?", "1. Là cơ quan thường trực Ban biên tập"),
        ("focal_point", "Which department is the technical focal point?", "1. Là đơn vị đầu mối về kỹ thuật"),
    ],
)
def test_an_english_role_looks_for_the_vietnamese_wording_of_it(cue, question, text):
    cues = dict(zip([c["name"] for c in scoring._cue_data()["text_cues"]], scoring.text_cues()))
    asked, wording = cues[cue]
    assert asked.search(fold(question)) and wording.search(fold(text))
    assert not wording.search(fold("Chủ trì, phối hợp với các cơ quan thường xuyên kiểm tra"))


def test_a_top_hit_writing_the_cued_answer_raises_the_confidence(corpus, one_text):
    """A short unit writing the web address asked for shares few of the question's words: writing the cued form
    counts as evidence (without it the right article was found and the answer abstained)."""

    def conf(address: str) -> float:
        text = f"QUYẾT ĐỊNH\n\nĐiều 1. Địa chỉ truy cập\n\nHệ thống có tên miền là: {address}\n"
        doc, small = one_text(text)
        art = next(loc for loc in small.units() if loc.unit.kind == "article")
        hits = [Hit(id=art.id, score=1.0, doc_id=doc.id)]
        return scoring.confidence(small, _qa("Hệ thống truy cập ở địa chỉ nào?"), hits, [(art.id, 0.8)])

    # the same words, once written as a domain name and once not
    assert conf("https://hethong.example.gov.vn") > conf("https hethong example gov vn") + 0.1


def test_words_the_question_quotes_lift_the_unit_that_writes_them(corpus):
    from index.retrieval.scoring import _has_parts

    units = [loc for loc in corpus.units() if loc.unit.kind == "clause" and not _has_parts(loc.unit)]
    loc = next(u for u in units if len(u.unit.text) > 80 and sum(u.unit.text[20:60] in v.unit.text for v in units) == 1)
    words = loc.unit.text[20:60]
    other = Hit(id="elsewhere", score=0.9, doc_id=loc.document.id)
    asked = _qa(f"What does the text mean by '{words}'?", documents=[loc.document.id], quoted=[words])
    hits = scoring.quoted_words_boost(corpus, [other], asked)
    assert hits[0].id == loc.article_id and hits[0].units[0] == loc.id
    unquoted = _qa("What does the text mean by that?", documents=[loc.document.id])
    assert [h.id for h in scoring.quoted_words_boost(corpus, [other], unquoted)] == ["elsewhere"]


@pytest.mark.parametrize(
    "question,quoted",
    [
        ("What does TT 24 rename 'Tổng cục Thi hành án dân sự' to?", ["Tổng cục Thi hành án dân sự"]),
        ("Cụm từ “xã, phường, thị trấn” được thay bằng gì?", ["xã, phường, thị trấn"]),
        ("What does the Hanoi People's Council's resolution say?", []),
    ],
)
def test_quoted_words_are_read_in_any_quotation_marks_but_not_from_apostrophes(question, quoted):
    from index.retrieval.analysis import QUOTED_WORDS_RE

    assert [a or b for a, b in QUOTED_WORDS_RE.findall(question)] == quoted


TIERED_PLAN = """KẾ HOẠCH

Thuê chuyên gia

I. MỨC CHI THEO THÁNG

1. Mức 1, không quá 40 triệu đồng/tháng áp dụng đối với:

a) Người có 15 năm kinh nghiệm;

b) Người chủ trì nhiệm vụ.

2. Mức 2, không quá 30 triệu đồng/tháng áp dụng đối với:

a) Người có 10 năm kinh nghiệm.

II. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính bố trí kinh phí mức 1 và mức 2.
"""


@pytest.mark.parametrize(
    "question,leader",
    [
        ("Chuyên gia mức 2 được chi tối đa bao nhiêu một tháng?", "ke-hoach/plan/I.2"),
        ("muc 1 toi da bao nhieu", "ke-hoach/plan/I.1"),
        ("What is the monthly cap for a level 2 consultant?", "ke-hoach/plan/I.2"),
        ("Who funds the experts?", "elsewhere"),  # names no tier
        ("Chuyên gia mức 7 được chi bao nhiêu?", "elsewhere"),  # a tier no unit opens with
    ],
)
def test_a_named_tier_lifts_the_unit_that_opens_with_it(corpus, question, leader, one_text):

    doc, plan = one_text(TIERED_PLAN)
    other = Hit(id="elsewhere", score=0.9, doc_id=doc.id)
    hits = scoring.named_level_boost(plan, [other], _qa(question, documents=[doc.id]))
    assert hits[0].id == leader
    if leader != "elsewhere":
        assert hits[0].units[0] == leader  # the section that opens "Mức N, …" (II.1 only mentions the tiers)


@pytest.mark.parametrize(
    "question,asks",
    [
        ("Is there a set template for that report?", True),
        ("Báo cáo gửi theo mẫu nào?", True),
        ("In what form must the information be provided?", False),
    ],
)
def test_a_question_about_a_template_is_answered_by_a_heading_mau(question, asks):
    found = [title for asked, title in scoring.title_cues() if asked.search(fold(question))]
    assert any(t.search(fold("Mẫu 01")) for t in found) is asks


@pytest.mark.parametrize(
    "question", ["nghi quyet nay ap dung cho nhung doi tuong nao", "Những đối tượng nào được áp dụng quy chế này?"]
)
def test_who_a_text_applies_to_is_answered_by_its_subjects_article(question):
    found = [title for asked, title in scoring.title_cues() if asked.search(fold(question))]
    assert any(t.search(fold("Đối tượng áp dụng")) for t in found)


def test_a_time_limit_cue_gives_way_to_a_named_agency():
    def heads(qa):
        return [h for h in scoring.asked_headings(qa) if h.search(fold("Thời hạn giải quyết kiến nghị"))]

    assert heads(_qa("Thông thường thì bao lâu phải trả lời kiến nghị?"))
    assert not heads(_qa("Sở Tư pháp phải trả lời trong bao lâu?", agencies=["Sở Tư pháp"]))


@pytest.mark.parametrize(
    "text,cites",
    [
        ("2. Sửa đổi số thứ tự và tên của Điều 11. Điều khoản chuyển tiếp như sau:", True),
        ("4. Sửa đổi khoản 7 Điều 11 như sau:", True),
        ("2. Kinh phí bảo đảm hạ tầng theo quy định tại Điều 11 Nghị định số 42/2022/NĐ-CP.", False),
        ("Căn cứ Điều 11 của Luật Tổ chức chính quyền địa phương", False),
        ("Điều 12. Điều khoản chuyển tiếp", False),
    ],
)
def test_a_text_citing_another_texts_article_is_told_apart(text, cites):
    from index.retrieval.retriever import cites_article

    assert cites_article(fold(text), 11) is cites


def test_the_term_asked_to_define_leaves_out_the_text_it_is_asked_of():
    """ "X được định nghĩa thế nào trong Quy định kèm theo QĐ 80/2025/QĐ-UBND": the document number and the words naming
    the document are where to look, not the term; only the term's words must all be in a clause's defined term."""
    text = "Cổng TTĐT thành phần được định nghĩa thế nào trong Quy định kèm theo Quyết định 80/2025/QĐ-UBND?"
    qa = QueryAnalysis(text=text, folded=fold(text), language="vi")
    assert scoring._topic_words(qa, scoring.DEFINITION_QUESTION_WORDS) == {"cong", "ttdt", "thanh", "phan"}


@pytest.mark.parametrize(
    "question,asks",
    [
        ("Which provincial heads are responsible for implementing Dong Nai's Quyết định 63/2025?", True),
        ("Who is responsible for implementing the decision?", True),
        ("Ai chịu trách nhiệm thi hành Quyết định này?", True),
        ("Who is responsible for implementing the training plan for notaries?", False),
    ],
)
def test_who_answers_for_carrying_out_the_text(question, asks):
    assert bool(scoring.EXECUTION_WHO_RE.search(fold(question))) is asks


@pytest.mark.parametrize(
    "heading,question,asks",
    [
        (r"^phan loai\b", "Quy chế chia kiến nghị cử tri theo kết quả giải quyết thành những loại nào?", True),
        (r"^phan loai\b", "How are voters' petitions classified under the regulation?", True),
        (r"^phan loai\b", "What types of petitions does the regulation distinguish?", True),
        (r"^phan loai\b", "Cơ quan nào chủ trì giải quyết kiến nghị?", False),
        (
            r"^(nguon |bao dam |dam bao )?kinh phi\b",
            "Which department takes the lead on budgeting for the database?",
            True,
        ),
        (r"^(nguon |bao dam |dam bao )?kinh phi\b", "Kinh phí thực hiện lấy từ nguồn nào?", True),
        (r"^(nguon |bao dam |dam bao )?kinh phi\b", "Sở nào bố trí kinh phí cho cơ sở dữ liệu?", True),
        (r"^(nguon |bao dam |dam bao )?kinh phi\b", "Which department leads the training?", False),
    ],
)
def test_a_heading_cue_recognises_the_questions_its_heading_answers(heading, question, asks):
    """Classification questions look for 'Phân loại …', who-funds-it questions for 'Kinh phí …' (title_cues.json)."""
    cues = {title.pattern: q for q, title in scoring.title_cues()}
    assert bool(cues[heading].search(fold(question))) is asks


def test_an_untitled_plan_section_opening_with_the_agency_is_its_own_section(one_text):
    """ "2. Sở Nội vụ chủ trì, phối hợp …" (no heading of its own): the section of the agency a duties question names."""

    text = (
        "KẾ HOẠCH\n\nMột việc\n\nI. MỤC ĐÍCH\n\n1. Nâng cao năng lực.\n\nII. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Sở Tư pháp chủ trì, phối hợp với các cơ quan theo dõi việc thực hiện Kế hoạch này.\n\n"
        "2. Sở Nội vụ chủ trì, phối hợp với các cơ quan bồi dưỡng, nâng cao năng lực đội ngũ.\n"
    )
    doc, corpus = one_text(text)
    ids = [s.id for s in doc.parts[0].sections]
    first, second = (next(i for i in ids if i.endswith(p)) for p in ("/II.1", "/II.2"))
    assert corpus.resolve(second).unit.title in (None, "")  # untitled: its opening names the agency
    hits = [Hit(id=first, score=0.9, doc_id=doc.id), Hit(id=second, score=0.5, doc_id=doc.id)]
    asked = "Sở Nội vụ làm gì?"
    qa = QueryAnalysis(text=asked, folded=fold(asked), intents=["duties"], agencies=["Sở Nội vụ"], documents=[doc.id])
    assert max(scoring.agency_boost(corpus, hits, qa), key=lambda h: h.score).id == second


MERGED = """QUYẾT ĐỊNH

Điều 1. Áp dụng Quyết định số 06/2015/QĐ-UBND của UBND tỉnh Sông Xanh về chế độ nhuận bút trên địa bàn tỉnh mới.

Điều 2. Bãi bỏ Quyết định số 35/2015/QĐ-UBND của UBND tỉnh về chế độ nhuận bút, thù lao.

Điều 3. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này.
"""


def test_a_merged_away_province_named_lifts_the_unit_that_names_it(corpus, one_text):
    """ "Which old Sông Xanh decision on royalties does the new province keep applying?": of the successor's text,
    the article naming the province merged away leads; a question naming none leaves the order alone."""

    doc, small = one_text(MERGED)
    first, second, third = (f"{doc.id}/decision/dieu-{n}" for n in (1, 2, 3))

    def ranked():
        return [
            Hit(id=second, score=0.9, doc_id=doc.id),
            Hit(id=first, score=0.7, doc_id=doc.id),
            Hit(id=third, score=0.1, doc_id=doc.id),
        ]

    asked = _qa("Which old Sông Xanh decision on royalties still applies?", former_provinces=["Sông Xanh"])
    assert scoring.mention_boost(small, ranked(), asked)[0].id == first
    assert scoring.mention_boost(small, ranked(), _qa("Which decision on royalties still applies?"))[0].id == second


def test_a_document_type_named_without_a_number_breaks_a_tie_towards_texts_of_that_type(corpus):
    plan = next(d for d in corpus.documents.values() if fold(d.meta.doc_type or "").startswith("ke hoach"))
    decision = next(d for d in corpus.documents.values() if fold(d.meta.doc_type or "").startswith("quyet dinh"))
    tied = [Hit(id="a", score=0.8, doc_id=decision.id), Hit(id="b", score=0.8, doc_id=plan.id)]
    asked = QueryAnalysis(text="q", folded="q", named_types=["ke hoach"])
    assert [h.id for h in scoring.doc_type_boost(corpus, tied, asked)] == ["b", "a"]
    # every hit of that type, or none: nothing to tell apart
    alone = [Hit(id="a", score=0.8, doc_id=decision.id)]
    assert scoring.doc_type_boost(corpus, alone, asked)[0].score == 0.8


PORTALS = """QUY ĐỊNH
Quản lý cổng thông tin

Điều 1. Giải thích từ ngữ

1. Hạ tầng kỹ thuật của Cổng tỉnh và Cổng thành phần gồm có máy chủ, hệ thống mạng và phần mềm.

2. Cổng thành phần là cổng thông tin điện tử của các cơ quan, đơn vị thuộc tỉnh.

Điều 2. Cổng thành phần

1. Cổng thành phần do cơ quan, đơn vị tự quản lý, vận hành.
"""


def test_a_quoted_term_lifts_the_clause_defining_that_term_and_nothing_longer(one_text):
    doc, texts = one_text(PORTALS)
    part = next(p.id_slug for p in doc.parts if p.articles)
    own, defs = f"{doc.id}/{part}/dieu-2", f"{doc.id}/{part}/dieu-1"

    def ranked(units):
        return [
            Hit(id=own, score=0.9, doc_id=doc.id, units=[f"{own}/khoan-1"]),
            Hit(id=defs, score=0.6, doc_id=doc.id, units=units),
        ]

    asked = QueryAnalysis(
        text="“Cổng thành phần” được hiểu là gì?",
        folded=fold("“Cổng thành phần” được hiểu là gì?"),
        intents=["definition"],
        quoted=["Cổng thành phần"],
        documents=[doc.id],
    )
    lifted = scoring.definition_rerank(texts, ranked([f"{defs}/khoan-2"]), asked)
    assert lifted[0].id == defs
    # a clause defining a longer phrase that holds every word of the term is no definition of it
    kept = scoring.definition_rerank(texts, ranked([f"{defs}/khoan-1"]), asked)
    assert kept[0].id == own
