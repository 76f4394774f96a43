"""The extractive composer on hand-built search results over the real corpus (no model, no index)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answering.extractive import ExtractiveComposer, states_quantity, with_announced_text, with_its_options
from assistant.citations import verify
from assistant.schemas import Answer
from corpus.text import fold
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import Hit, SearchResult


@pytest.fixture(scope="module")
def composer(corpus):
    return ExtractiveComposer(corpus, abstain_below=0.35)


def _lead_clause(corpus):
    """The first clause anywhere in the corpus where a named agency 'chủ trì' something."""
    for loc in corpus.units():
        if loc.unit.kind == "clause" and loc.article is not None and "chủ trì" in loc.unit.text:
            title = loc.article.title or ""
            if title.startswith("Trách nhiệm của Sở"):
                return loc
    pytest.skip("no lead clause in the corpus")


def _analysis(text: str, **kw) -> QueryAnalysis:
    return QueryAnalysis(text=text, folded=fold(text), lexical_query=fold(text), **kw)


def _search(qa: QueryAnalysis, hits: list[Hit], confidence: float = 0.9) -> SearchResult:
    return SearchResult(query=qa.text, analysis=qa, hits=hits, confidence=confidence)


def _answer(composed, qa) -> Answer:
    return Answer(
        question=qa.text,
        language="en" if qa.language == "en" else "vi",
        answer=composed.answer,
        abstained=composed.abstained,
        citations=composed.citations,
        confidence=0.9,
    )


def test_lead_answer_names_the_agency_and_cites_verbatim(corpus, composer):
    loc = _lead_clause(corpus)
    agency = loc.article.title.removeprefix("Trách nhiệm của ").strip()
    qa = _analysis("Cơ quan nào chủ trì việc này?", intents=["lead"], documents=[loc.document.id])
    hit = Hit(id=loc.article_id, score=0.9, units=[loc.id], label=loc.article.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    assert not composed.abstained and composed.citations
    verify(_answer(composed, qa), corpus)  # every quote is inside its unit
    assert composed.citations[0].id == loc.id
    assert fold(agency)[:12] in fold(composed.answer)


def test_english_question_gets_english_prose_and_vietnamese_quotes(corpus, composer):
    loc = _lead_clause(corpus)
    qa = _analysis(
        "Which agency leads this?", language="en", accented=False, intents=["lead"], documents=[loc.document.id]
    )
    hit = Hit(id=loc.article_id, score=0.9, units=[loc.id], label=loc.article.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    assert composed.answer.startswith("The lead agency is") or composed.answer.startswith("According to")
    assert composed.citations[0].quote in loc.unit.text


def test_low_confidence_abstains_plainly(corpus, composer):
    loc = _lead_clause(corpus)
    qa = _analysis("giá đất nông nghiệp là bao nhiêu")
    hit = Hit(id=loc.article_id, score=0.1, label=loc.article.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit], confidence=0.05))
    assert composed.abstained and not composed.citations
    assert "không có nội dung" in composed.answer


def test_other_province_abstains(corpus, composer):
    qa = _analysis("Ở tỉnh khác thì sao?", other_provinces=["Tỉnh Không Có"])
    composed = composer.compose(qa.text, qa, _search(qa, []))
    assert composed.abstained and "Tỉnh Không Có" in composed.answer


def test_whole_list_quotes_every_clause_of_the_article(corpus, composer):
    art = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "article" and loc.article is not None and 3 <= len(loc.article.clauses) <= 8
    )
    qa = _analysis("Liệt kê nhiệm vụ", intents=["list"], documents=[art.document.id])
    hit = Hit(id=art.id, score=0.9, label=art.unit.label, doc_id=art.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    cited = {c.id for c in composed.citations}
    assert {c.id for c in art.article.clauses} <= cited


def test_quantity_check():
    assert states_quantity("mức chi 50.000 đồng/hồ sơ")
    assert not states_quantity("Quyết định số 12/2020/QĐ-UBND ngày 05/9/2020")


@pytest.mark.parametrize(
    "question,money",
    [
        ("Mức chi thuê chuyên gia là bao nhiêu một tháng?", True),
        ("bao nhieu dong mot thang?", True),
        ("Hỗ trợ tối đa 100.000 đồng phải không?", True),
        # "đồng" folds to "dong" like "Hội đồng", "cộng đồng" and "Đồng Nai": not a money question
        ("Chậm nhất bao nhiêu ngày trước kỳ họp HĐND tỉnh thì phải báo cáo?", False),
        ("Hội đồng nhân dân tỉnh Đồng Nai họp mấy lần một năm?", False),
    ],
)
def test_money_questions_are_told_apart_after_folding(question, money):
    from assistant.answering.extractive import MONEY_QUESTION_RE

    assert bool(MONEY_QUESTION_RE.search(fold(question.replace("HĐND", "hội đồng nhân dân")))) is money


def test_a_level_the_text_does_not_number_is_found_missing(corpus):
    """'mức 5' where the document numbers its levels 1-4: (asked, existing) so the answer says so plainly
    instead of quoting another level; an existing level, or a kind of item the text never numbers, passes."""
    composer = ExtractiveComposer(corpus)
    composer._lower["doc"] = (
        "Mức 1, không quá 40.000.000 đồng. Mức 2 … Mức 3 … Mức 4, không quá 15.000.000 đồng. Mục V. Tổ chức thực hiện"
    ).lower()
    hit = [Hit(id="doc/appendix/I", score=1.0, doc_id="doc")]
    missing = composer.missing_level(_analysis("mức chi chuyên gia mức 5 là bao nhiêu?"), hit)
    assert missing == ("muc 5", "mức 1, mức 2, mức 3, mức 4")  # "Mục V" is a section, not a level
    assert composer.missing_level(_analysis("mức 4 là bao nhiêu?"), hit) is None
    assert composer.missing_level(_analysis("hạng II là gì?"), hit) is None  # no "hạng" numbered here
    assert composer.missing_level(_analysis("level IV rate?"), hit) is None


def test_the_article_on_effect_is_this_texts_not_an_amended_texts():
    """An amending circular quotes the amended text's 'Điều 10. Hiệu lực thi hành' in an amending clause; its
    own article on effect says 'Thông tư này có hiệu lực…'."""
    from types import SimpleNamespace as NS

    from assistant.answering.validity import effect_article

    amending = NS(text="1. Sửa đổi số thứ tự và tên của Điều 10. Hiệu lực thi hành như sau:", body=None)
    art6 = NS(id="d/decision/dieu-6", clauses=[amending], text="Điều 6. Sửa đổi Thông tư số 1/2020", body="")
    own = NS(
        id="d/decision/dieu-7",
        clauses=[],
        text="Điều 7. Hiệu lực thi hành",
        body="Thông tư này có hiệu lực từ ngày 01/12/2025.",
    )
    doc = NS(part=lambda kind: NS(articles=[art6, own]) if kind == "decision" else None)
    assert effect_article(doc) is own


def test_two_answers_merge_with_their_citation_markers_renumbered(corpus):
    from assistant.answering.base import ComposedAnswer, merge
    from assistant.citations import make_citation

    units = [loc for loc in corpus.units() if loc.unit.kind == "clause"][:3]
    cite = [make_citation(loc, loc.unit.text[:30]) for loc in units]
    first = ComposedAnswer(answer="A “x” [1]", abstained=False, citations=[cite[0]])
    second = ComposedAnswer(answer="B “y” [1] “z” [2]", abstained=False, citations=[cite[1], cite[0]])
    both = merge(first, second)
    assert both.answer == "A “x” [1]\n\nB “y” [2] “z” [1]"  # the citation both quote is kept once
    assert [c.id for c in both.citations] == [cite[0].id, cite[1].id]


def test_words_the_question_quotes_are_located_in_the_text(corpus, composer):
    from assistant.answering.base import ComposedAnswer

    loc = next(x for x in corpus.units() if x.unit.kind == "clause" and len(x.unit.text) > 80)
    words = loc.unit.text[10:60].strip(" .")
    qa = _analysis(f"Văn bản có câu “{words}” phải không?", documents=[loc.document.id], quoted=[words])
    out = composer.with_quoted_lines(qa.text, qa, ComposedAnswer(answer="…", abstained=False), False)
    assert out.citations and out.citations[0].id == loc.id
    quote = out.citations[0].quote  # the sentence holding the words: what the text does with them
    assert words in quote and quote in loc.unit.text and len(quote) >= len(words)


def _section_with_lead_in(corpus):
    from assistant.answering.extractive import lead_in

    for loc in corpus.units():
        if loc.unit.kind == "section" and lead_in(loc):
            return loc
    pytest.skip("no plan section with words before its items in the corpus")


def test_a_listed_section_quotes_its_lead_in_first(corpus, composer):
    from assistant.answering.extractive import lead_in

    loc = _section_with_lead_in(corpus)
    lead = lead_in(loc)
    children = [*loc.section.items, *loc.section.points]
    assert loc.unit.text.startswith(lead) and children[0].text[:40] not in lead
    qa = _analysis("Gồm những nội dung nào?", intents=["list"], documents=[loc.document.id])
    hit = Hit(id=loc.id, score=0.9, units=[children[0].id], label=loc.unit.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    verify(_answer(composed, qa), corpus)
    assert composed.citations[0].id == loc.id and composed.citations[0].quote == lead[:300]
    assert any(c.id == children[0].id for c in composed.citations[1:])


def test_a_figure_the_question_names_picks_the_unit_that_states_it(corpus, composer):
    """ "… gửi sau 16 giờ thì …": the article's unit holding the figure named is quoted first, even when the
    search matched another of its units."""
    from assistant.answering.extractive import QUESTION_FIGURE_RE

    def figures(text):
        return set(QUESTION_FIGURE_RE.findall(text))

    for loc in corpus.units():
        if loc.unit.kind != "article" or loc.article is None or len(loc.article.clauses) < 2:
            continue
        clauses = loc.article.clauses
        unique = [
            (c, f) for c in clauses for f in figures(c.text) if not any(f in o.text for o in clauses if o is not c)
        ]
        if unique:
            stating, figure = unique[0]
            break
    else:
        pytest.fail("the shipped texts state periods and sums in single khoản")
    stating = [stating]
    matched = next(c for c in clauses if c is not stating[0])  # the search matched another khoản
    qa = _analysis(f"Nếu quá {figure} thì sao?", documents=[loc.document.id])
    hit = Hit(id=loc.id, score=0.9, units=[matched.id], label=loc.unit.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    verify(_answer(composed, qa), corpus)
    assert composed.citations[0].id.startswith(stating[0].id)


@pytest.mark.parametrize(
    "question,quote,states",
    [
        ("How much money per year is set aside for training?", "100% cán bộ được tập huấn", False),
        ("Kinh phí tập huấn mỗi năm là bao nhiêu tiền?", "Kinh phí 500 triệu đồng/năm", True),
        ("Mức thu lệ phí là bao nhiêu?", "giảm 50% mức thu lệ phí", True),  # a fee: a rate answers it
        ("Bao nhiêu cán bộ được tập huấn?", "100% cán bộ được tập huấn", True),
    ],
)
def test_a_question_about_a_sum_of_money_needs_a_sum_in_a_currency(question, quote, states):
    from assistant.answering.extractive import figure_check

    assert figure_check(_analysis(question))(quote) is states


def test_a_level_is_not_a_section():
    """Folded, "mức I" (a level) and "Mục I" (a section) are one word: levels are matched as written."""
    import re

    from assistant.answering.extractive import level_pattern

    assert re.search(rf"\b{level_pattern('muc')}\s+i\b", "mức i, không quá 40 triệu đồng")
    assert not re.search(rf"\b{level_pattern('muc')}\s+i\b", "quy định tại mục i và mục ii")
    assert re.search(rf"\b{level_pattern('level')}\s+3\b", "hạng 3")


@pytest.mark.parametrize(
    "question,first",
    [
        ("Cơ quan nào là cơ quan thường trực Ban biên tập?", "thường trực"),
        ("Which agency acts as the standing body of the editorial board?", "thường trực"),
        ("Which department is the technical focal point?", "đầu mối"),
        ("Cơ quan nào chủ trì?", "chủ trì"),
    ],
)
def test_the_role_a_lead_question_names_is_preferred_to_chu_tri(composer, question, first):
    """ "Cơ quan thường trực" asked about: the khoản saying so is quoted before the article's "Chủ trì …" khoản."""
    assert composer.prefer_terms(_analysis(question, intents=["lead"]))[0] == first


def test_an_agencys_own_article_answers_its_duties_alone(corpus, composer):
    loc = _lead_clause(corpus)  # a clause of "Trách nhiệm của Sở …"
    agency = loc.article.title.removeprefix("Trách nhiệm của ").strip()
    art = corpus.resolve(loc.article_id)
    other = next(a for a in loc.document.parts[-1].articles if a.id != art.id)
    hits = [
        Hit(id=art.id, score=0.9, doc_id=loc.document.id),
        Hit(id=other.id, score=0.8, doc_id=loc.document.id),
        Hit(id="elsewhere/regulation/dieu-1", score=0.7, doc_id="elsewhere"),
    ]
    qa = _analysis("Nhiệm vụ của sở này là gì?", intents=["duties"], agencies=[agency])
    assert [h.id for h in composer.own_article_alone(qa, hits)] == [art.id, "elsewhere/regulation/dieu-1"]
    qa = _analysis("Nhiệm vụ là gì?", intents=["duties"])  # no agency named: unchanged
    assert composer.own_article_alone(qa, hits) == hits


def test_each_named_agencys_own_article_stays_when_several_are_named(corpus, composer):
    """ "How is responsibility split between the Office and the Department?": each named agency's own article is
    answered; an article of the same text that belongs to neither is still left out."""
    for doc in corpus.documents.values():
        for part in doc.parts:
            own = [a for a in part.articles if (a.title or "").startswith("Trách nhiệm của ")]
            rest = [a for a in part.articles if a not in own]
            if len(own) >= 2 and rest:
                break
        else:
            continue
        break
    else:
        pytest.skip("no text with two agencies' own articles")
    first, second = own[:2]
    agencies = [a.title.removeprefix("Trách nhiệm của ").strip() for a in (first, second)]
    hits = [
        Hit(id=first.id, score=0.9, doc_id=doc.id),
        Hit(id=rest[0].id, score=0.85, doc_id=doc.id),
        Hit(id=second.id, score=0.8, doc_id=doc.id),
    ]
    qa = _analysis("Trách nhiệm phân chia thế nào?", intents=["duties"], agencies=agencies)
    assert [h.id for h in composer.own_article_alone(qa, hits)] == [first.id, second.id]
    qa = _analysis("Trách nhiệm là gì?", intents=["duties"], agencies=agencies[:1])  # one named: its article alone
    assert [h.id for h in composer.own_article_alone(qa, hits)] == [first.id]


TIERS = """KẾ HOẠCH

Thuê chuyên gia

I. MỨC CHI THEO THÁNG

1. Mức 1, không quá 40 triệu đồng/tháng áp dụng đối với người có 15 năm kinh nghiệm.

2. Mức 2, không quá 30 triệu đồng/tháng áp dụng đối với người có 10 năm kinh nghiệm.

3. Mức 3, không quá 20 triệu đồng/tháng áp dụng đối với người có 5 năm kinh nghiệm.
"""


@pytest.mark.parametrize(
    "question,leaders",
    [
        ("Mức 3 được chi bao nhiêu?", [3]),
        ("How does Level 3 compare with Level 1?", [3, 1]),
        ("muc 1 va muc 2 khac nhau the nao", [1, 2]),
    ],
)
def test_each_level_asked_about_leads_with_its_own_unit(corpus, question, leaders, one_text):
    """Several levels asked about each lead with the unit whose heading names them (in the question's order); the
    level not asked about is left out."""

    doc, texts = one_text(TIERS)
    tiers = ExtractiveComposer(texts)
    ranked = [Hit(id=f"{doc.id}/plan/I.{n}", score=1 - n / 10, doc_id=doc.id) for n in (2, 1, 3)]
    picked = tiers.named_level_first(_analysis(question), ranked[:1], ranked)
    assert [h.id for h in picked] == [f"{doc.id}/plan/I.{n}" for n in leaders]


TARGETS = """KẾ HOẠCH

Nâng cao năng lực cán bộ

I. MỤC ĐÍCH, YÊU CẦU

1. Triển khai kịp thời, đồng bộ.

II. MỤC TIÊU CHỦ YẾU

1. 100% cán bộ có trình độ đại học Luật.

2. 100% các xã bố trí công chức làm công tác pháp chế.

3. Ít nhất 10% cán bộ từ nguồn thu hút người có tài năng.

III. NỘI DUNG KẾ HOẠCH

1. Tổ chức tập huấn kỹ năng soạn thảo văn bản.

2. Tổ chức hội nghị chuyên đề về công tác pháp chế.
"""


@pytest.mark.parametrize(
    "question,whole",
    [
        ("Kế hoạch đặt ra những mục tiêu chủ yếu gì?", "II"),
        ("ke hoach co nhung muc tieu nao", "II"),
        ("Kế hoạch liệt kê những nội dung tập huấn nào?", None),  # "nội dung tập huấn" is not "NỘI DUNG KẾ HOẠCH"
    ],
)
def test_a_list_named_by_its_heading_is_the_whole_section(corpus, question, whole, one_text):
    """ "What are the plan's main targets?": two sub-sections of the heading-only section "II. MỤC TIÊU CHỦ YẾU" ranked
    first make the whole section the answer, each sub-section quoted; a question that does not name the heading keeps
    the sub-sections the search found."""

    doc, texts = one_text(TARGETS)
    plan = ExtractiveComposer(texts)
    section = "II" if whole else "III"
    ranked = [Hit(id=f"{doc.id}/plan/{section}.{n}", score=1 - n / 10, doc_id=doc.id) for n in (2, 1)]
    qa = _analysis(question, intents=["list"], documents=[doc.id])
    picked = plan.whole_section_first(qa, ranked, ranked)
    if whole is None:
        assert picked == ranked
        return
    assert picked[0].id == f"{doc.id}/plan/{whole}" and len(picked) == 1
    listed = [u.id for u in plan.list_units(plan.corpus.resolve(picked[0].id))]
    assert listed == [f"{doc.id}/plan/II", *(f"{doc.id}/plan/II.{n}" for n in (1, 2, 3))]


def test_a_plan_asked_for_by_another_year_is_said_to_be_missing(corpus, composer):
    import re

    plan = next(
        d
        for d in corpus.documents.values()
        if d.meta.doc_type.startswith("Kế hoạch") and re.search(r"20\d\d", d.meta.title)
    )
    year = int(re.search(r"20\d\d", plan.meta.title).group(0))
    hit = [Hit(id=f"{plan.id}/plan/I", score=0.9, doc_id=plan.id)]
    other = composer.plan_of_another_year(
        _analysis(f"Kế hoạch năm {year + 1} có nhiệm vụ gì?", documents=[plan.id]), hit
    )
    assert other is not None and other[0] == str(year + 1) and plan.meta.number in other[1]
    assert (
        composer.plan_of_another_year(_analysis(f"Kế hoạch năm {year} có nhiệm vụ gì?", documents=[plan.id]), hit)
        is None
    )
    assert composer.plan_of_another_year(_analysis(f"What does the {year + 1} plan require?", documents=[plan.id]), hit)


def test_a_task_asked_about_in_several_respects_quotes_each_line_asked():
    from assistant.answering.extractive import asked_lines

    text = (
        "Phối hợp kiểm tra việc thi hành Luật\n- Cơ quan chủ trì: Sở Khoa học và Công nghệ\n"
        "- Cơ quan phối hợp: Các sở, ngành\n- Thời gian thực hiện: Năm 2026 và các năm tiếp theo."
    )
    both = _analysis("Cơ quan nào chủ trì, thời gian thực hiện khi nào?", intents=["lead", "deadline"])
    block = asked_lines(both, text, 450)
    assert block is not None and block in text
    assert block.startswith("- Cơ quan chủ trì") and block.endswith("các năm tiếp theo.")
    assert asked_lines(_analysis("Cơ quan nào chủ trì?", intents=["lead"]), text, 450) is None  # one respect
    assert asked_lines(both, text, 40) == block  # the lines asked are quoted together even past the quote length
    long = text.replace("Các sở, ngành", "Các sở, ngành " * 60)
    assert asked_lines(both, long, 450) is None  # too long to quote whole (ASKED_LINES_CHARS)


def test_a_quote_that_opens_a_list_brings_the_lines_of_the_list():
    from assistant.answering.extractive import with_its_list

    text = (
        "1. Sở giao cho phòng ký các quyết định đối với các trường hợp sau:\n"
        "a) Trường hợp thứ nhất.\nb) Trường hợp thứ hai.\n"
        "Lời kết không thuộc danh sách."
    )
    lead = "Sở giao cho phòng ký các quyết định đối với các trường hợp sau:"
    quote = with_its_list(text, lead)
    assert quote == text[text.index(lead) : text.index("\nLời kết")] and quote in text  # verbatim, whole lines
    assert with_its_list(text, "a) Trường hợp thứ nhất.") == "a) Trường hợp thứ nhất."  # not a lead-in: unchanged
    assert with_its_list(text, lead, max_chars=len(lead) + 10) == lead  # no line that would pass the limit


def test_a_who_quote_starts_at_the_agency_that_opens_its_sentence():
    from assistant.answering.extractive import with_its_subject

    text = "Sở Khoa học và Công nghệ có trách nhiệm theo dõi, đôn đốc các sở; đề xuất khen thưởng các sản phẩm tốt."
    tail = "đề xuất khen thưởng các sản phẩm tốt."
    who = QueryAnalysis(text="who proposes awards?", folded="who proposes awards?", language="en", intents=["lead"])
    assert with_its_subject(who, text, tail) == text  # verbatim, from the agency on
    what = QueryAnalysis(text="what is proposed?", folded="what is proposed?", language="en", intents=[])
    assert with_its_subject(what, text, tail) == tail  # not a who / duties question: unchanged
    assert with_its_subject(who, "Các sản phẩm tốt; " + tail, tail) == tail  # no agency opens the line


def test_years_asked_are_told_from_document_numbers_and_dates():
    from assistant.answering.extractive import NUMBER_OR_DATE_RE, YEAR_ALONE_RE

    folded = "theo nq 197/2025/qh15, tu 01/7/2025, muc tieu den nam 2050 va giai doan 2031-2035?"
    assert YEAR_ALONE_RE.findall(NUMBER_OR_DATE_RE.sub(" ", folded)) == ["2050", "2031", "2035"]


def test_the_labelled_lines_of_a_reporting_regime_are_quoted_together():
    from assistant.answering.extractive import asked_lines

    text = (
        "7. Thực hiện báo cáo định kỳ theo các nội dung sau:\na) Tên báo cáo theo Phụ lục.\n"
        "b) Đối tượng thực hiện báo cáo: Ban biên tập.\nc) Cơ quan nhận báo cáo: Ủy ban nhân dân tỉnh (qua Sở X).\n"
        "d) Định kỳ 6 tháng (gửi trước ngày 15/6) và hằng năm (gửi trước ngày 15/11)."
    )
    asked = _analysis("Báo cáo định kỳ gửi cho ai và hạn gửi khi nào?", intents=["report", "deadline"])
    block = asked_lines(asked, text, 450)
    assert block is not None and block.startswith("c) Cơ quan nhận báo cáo") and block.endswith("15/11).")


def test_a_figure_question_gets_every_figure_of_a_short_unit():
    from assistant.answering.extractive import with_all_figures

    text = (
        "a) Thời gian trả lời quy định như sau:\nNăm (05) ngày làm việc đối với ý kiến thuộc thẩm quyền; "
        "Bảy (07) ngày làm việc đối với ý kiến cần phối hợp;\nTrường hợp đặc biệt không quá mười (10) ngày làm việc."
    )
    one = "Trường hợp đặc biệt không quá mười (10) ngày làm việc."
    assert with_all_figures(text, one) == text
    assert (
        with_all_figures("Chậm nhất 20 ngày làm việc.", "Chậm nhất 20 ngày làm việc.") == "Chậm nhất 20 ngày làm việc."
    )
    assert with_all_figures(text * 4, one) == one  # too long to quote whole: unchanged


def test_one_respect_asked_brings_its_labelled_line():
    from assistant.answering.extractive import asked_line

    text = (
        "Tổ chức tập huấn về nội dung Luật.\n- Cơ quan thực hiện: Sở X; Sở Y.\n"
        "- Thời gian thực hiện: Quý IV và các năm tiếp theo."
    )
    who = _analysis("Cơ quan nào thực hiện?", intents=["lead"])
    assert asked_line(who, text, "Tổ chức tập huấn về nội dung Luật.") == text[: text.index("\n- Thời gian")]
    assert asked_line(who, text, "- Cơ quan thực hiện: Sở X; Sở Y.") is None  # already quoted
    assert asked_line(_analysis("Nội dung là gì?", intents=[]), text, "Tổ chức tập huấn về nội dung Luật.") is None


def test_a_section_named_in_words_is_a_reference():
    from index.retrieval.analysis import SECTION_WORDS_RE

    m = SECTION_WORDS_RE.search("which agencies carry out the training (item 1 of section ii)?")
    assert m is not None and (m.group(2), m.group(1)) == ("ii", "1")
    assert SECTION_WORDS_RE.search("nhiem vu 3 thuoc muc iv") is not None


@pytest.mark.parametrize(
    "question, cash",
    [
        ("how much per month does the province pay outside legal experts?", True),
        ("what's the total budget allocated for the plan?", True),
        ("how much money can a household business get as a grant?", True),
        ("how many working days do they have?", False),
    ],
)
def test_a_question_about_pay_or_a_grant_needs_a_sum_in_a_currency(question, cash):
    from assistant.answering.extractive import CASH_QUESTION_RE

    assert bool(CASH_QUESTION_RE.search(fold(question))) is cash


@pytest.mark.parametrize(
    "question,quote,states",
    [
        ("Mức chi theo ngày tính như thế nào?", "bằng mức chi theo tháng chia cho 26 ngày", True),
        ("How is the daily rate calculated?", "bằng mức chi theo tháng chia cho 26 ngày", True),
        ("Mức chi theo ngày là bao nhiêu?", "bằng mức chi theo tháng chia cho 26 ngày", False),  # a sum is asked
    ],
)
def test_a_question_how_a_figure_is_worked_out_is_answered_by_a_formula(question, quote, states):
    from assistant.answering.extractive import figure_check

    assert figure_check(_analysis(question))(quote) is states


def test_a_sanction_asked_of_a_text_silent_on_sanctions_is_an_abstention(corpus, composer):
    from assistant.answering.extractive import SANCTION_TEXT_RE

    loc = _lead_clause(corpus)
    assert not SANCTION_TEXT_RE.search(loc.unit.text)
    hit = Hit(id=loc.article_id, score=0.9, units=[loc.id], label=loc.article.label, doc_id=loc.document.id)
    for question in ("Cơ quan này không thực hiện thì bị xử phạt thế nào?", "What penalties apply if it does not?"):
        qa = _analysis(question, intents=["lead"], documents=[loc.document.id])
        composed = composer.compose(qa.text, qa, _search(qa, [hit]))
        assert composed.abstained and not composed.citations
    qa = _analysis("Cơ quan nào chủ trì việc này?", intents=["lead"], documents=[loc.document.id])
    assert not composer.compose(qa.text, qa, _search(qa, [hit])).abstained  # the same unit, asked what it says


def test_a_fine_asked_needs_a_quote_that_fines_not_one_that_only_refers_to_handling():
    from assistant.answering.extractive import FINE_QUESTION_RE, FINE_TEXT_RE, SANCTION_TEXT_RE

    handled = "Cơ quan, đơn vị vi phạm thì tùy theo mức độ bị xử lý theo quy định của pháp luật."
    fined = "Phạt tiền từ 1.000.000 đồng đến 3.000.000 đồng đối với hành vi chậm báo cáo."
    assert SANCTION_TEXT_RE.search(handled) and not FINE_TEXT_RE.search(handled)
    assert FINE_TEXT_RE.search(fined)
    for asked in (
        "What is the fine for missing the deadline?",
        "muc phat khi cham tra loi la bao nhieu",
        "bị phạt ra sao",
    ):
        assert FINE_QUESTION_RE.search(fold(asked)), asked
    assert not FINE_QUESTION_RE.search(fold("Cơ quan chậm trả lời thì bị xử lý thế nào?"))  # handling, not a fine


def test_an_abstention_says_what_the_corpus_holds_from_its_catalog(corpus):
    from assistant.answering.wording import coverage_note

    for en in (False, True):
        note = coverage_note(corpus, en)
        assert str(len(corpus.documents)) in note
        assert all(d.meta.province in note for d in corpus.documents.values())
        assert all(fold(d.meta.doc_type) in fold(note) for d in corpus.documents.values())


def test_a_point_quoted_alone_comes_after_its_clauses_lead_in(corpus, composer):
    from assistant.answering.extractive import clause_lead_in

    point = next(
        loc
        for loc in corpus.units()
        if loc.point is not None and loc.unit is loc.point and loc.article is not None and clause_lead_in(loc)
    )
    qa = _analysis("Cơ quan nào làm việc này?", documents=[point.document.id])
    hit = Hit(id=point.article_id, score=0.9, units=[point.id], label=point.article.label, doc_id=point.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    verify(_answer(composed, qa), corpus)
    ids = [c.id for c in composed.citations]
    assert ids.index(point.clause.id) < ids.index(point.id)
    assert composed.citations[ids.index(point.clause.id)].quote == clause_lead_in(point)


def test_what_took_over_a_repealed_text_is_an_abstention_that_quotes_the_repeal(corpus, composer):
    rel = next(
        rel
        for doc in corpus.documents.values()
        for rel in doc.meta.relations
        if rel.kind.value == "repeals"
        and not rel.target_in_corpus
        and rel.evidence_unit
        and not composer.succeeded(["/".join(rel.target.split("/")[:2])])
    )
    number = "/".join(rel.target.split("/")[:2])
    asked = _analysis(f"QĐ {number} bị bãi bỏ rồi thì giờ giao cho sở nào đảm nhận?", unknown_numbers=[number])
    composed = composer.compose(asked.text, asked, _search(asked, []))
    assert composed.abstained and rel.evidence_unit in [c.id for c in composed.citations]
    verify(_answer(composed, asked), corpus)
    status = _analysis(f"QĐ {number} bị bãi bỏ bởi văn bản nào?", unknown_numbers=[number], intents=["relation"])
    assert not composer.compose(status.text, status, _search(status, [])).abstained  # the repeal itself: answered


def test_a_rate_asked_about_one_thing_is_not_answered_by_a_rate_of_another(composer):
    asked = _analysis("Tỷ lệ hồ sơ nộp trực tuyến phải đạt bao nhiêu phần trăm?")
    assert composer.rate_of_topic(asked, "b) Đến năm sau, 80% hồ sơ được nộp trực tuyến.")
    assert not composer.rate_of_topic(asked, "b) Cắt giảm tối thiểu 30% thời gian thực hiện thủ tục hành chính.")


def test_a_content_question_asking_also_for_an_effective_date_the_text_lacks_gets_the_content(corpus, composer):
    from assistant.answering.versions import effect_article

    doc = next(
        d
        for d in corpus.documents.values()
        if d.meta.effective_date is None and d.meta.status.value != "draft" and effect_article(d) is None
    )
    unit = next(loc for loc in corpus.units() if loc.document.id == doc.id and loc.unit.kind in ("section", "article"))
    hit = Hit(id=unit.article_id, score=0.9, label=unit.unit.label, doc_id=doc.id)
    both = _analysis(
        "Cơ quan nào phối hợp, và áp dụng từ ngày nào?",
        intents=["coordinate", "effective"],
        documents=[doc.id],
        explicit_documents=[doc.id],
    )
    composed = composer.compose(both.text, both, _search(both, [hit]))
    assert not composed.abstained and composed.citations
    assert any("hiệu lực" in w for w in composed.warnings)
    only_effect = _analysis(
        "Áp dụng từ ngày nào?", intents=["effective"], documents=[doc.id], explicit_documents=[doc.id]
    )
    assert composer.compose(only_effect.text, only_effect, _search(only_effect, [hit])).abstained


def test_the_number_of_a_quoted_khoan_is_no_quantity():
    assert not states_quantity("1. Bổ sung khoản 4 sau khoản 3 Điều 3 như sau:\n“4. Sở Tư pháp thông báo cho cấp xã.”")
    assert states_quantity("“4. Mức phụ cấp là 500.000 đồng/tháng.”")


def test_an_allowance_asked_with_many_words_between_is_a_question_about_money():
    from assistant.answering.extractive import figure_check, states_sum

    asked = _analysis("Quy định mức phụ cấp trách nhiệm cho công chức tư pháp - hộ tịch cấp xã là bao nhiêu?")
    assert figure_check(asked) is states_sum


@pytest.mark.parametrize(
    "question,quote,states",
    [
        # what someone pays: "free of charge" answers it
        ("Người dân phải nộp bao nhiêu tiền lệ phí?", "được miễn lệ phí", True),
        ("How much money does the applicant pay?", "được miễn lệ phí", True),
        # a sum of support: a task "providing free courses" does not say how much support is given
        ("Mỗi doanh nghiệp được hỗ trợ bao nhiêu tiền?", "cung cấp miễn phí kiến thức cho doanh nghiệp", False),
        ("Mỗi doanh nghiệp được hỗ trợ bao nhiêu tiền?", "hỗ trợ 20 triệu đồng/doanh nghiệp", True),
    ],
)
def test_free_of_charge_answers_what_someone_pays_not_a_sum_of_support(question, quote, states):
    from assistant.answering.extractive import figure_check

    assert figure_check(_analysis(question))(quote) is states


def test_a_named_text_asked_about_another_it_never_mentions_is_an_abstention(corpus, composer):
    doc = next(iter(corpus.documents.values()))
    number = "99/2099/TT-XYZ"
    assert not composer.names(doc.id, number)
    asked = _analysis(
        f"Điều nào của văn bản này sửa đổi Thông tư {number}?",
        unknown_numbers=[number],
        explicit_documents=[doc.id],
        documents=[doc.id],
    )
    composed = composer.compose(asked.text, asked, _search(asked, []))
    assert composed.abstained and "99/2099" in composed.answer
    named = next(rel.target for d in corpus.documents.values() for rel in d.meta.relations if not rel.target_in_corpus)
    owner = next(d.id for d in corpus.documents.values() if any(rel.target == named for rel in d.meta.relations))
    assert composer.names(owner, named)


@pytest.mark.parametrize(
    "question",
    [
        "QĐ X bị bãi bỏ rồi thì giờ giao cho sở nào đảm nhận?",
        "After it was repealed, which decision now sets out the department's functions?",
        "Which department took over that work?",
        "sau khi bai bo thi so ngoai vu duoc sap nhap vao so nao",
        "Sau khi bãi bỏ, văn bản nào mới quy định chức năng của sở?",
    ],
)
def test_what_came_after_a_text_is_asked_in_many_ways(question):
    from assistant.answering.extractive import SUCCESSOR_ASKED_RE

    assert SUCCESSOR_ASKED_RE.search(fold(question))
    assert not SUCCESSOR_ASKED_RE.search(fold("Quyết định này bãi bỏ văn bản nào?"))


@pytest.mark.parametrize(
    "question,unit",
    [
        ("Within how many working hours must it reply?", "giờ"),
        ("Trả lời trong bao nhiêu ngày làm việc?", "ngày"),
        ("mấy tháng thì phải báo cáo?", "tháng"),
        ("What is the deadline?", None),
    ],
)
def test_the_unit_a_figure_is_asked_in(question, unit):
    from assistant.answering.extractive import ASKED_UNIT_RE, ASKED_UNITS

    m = ASKED_UNIT_RE.search(fold(question))
    assert (ASKED_UNITS[m.group(1).rstrip("s")] if m else None) == unit


def test_a_quote_announcing_new_wording_carries_that_wording():
    text = "1. Sửa đổi số thứ tự và tên của Điều 10 như sau:\n“Điều 11. Hiệu lực thi hành”.\n2. Bãi bỏ Điều 12."
    first = "1. Sửa đổi số thứ tự và tên của Điều 10 như sau:"
    assert (
        with_announced_text(text, first)
        == "1. Sửa đổi số thứ tự và tên của Điều 10 như sau:\n“Điều 11. Hiệu lực thi hành”."
    )
    assert with_announced_text(text, "2. Bãi bỏ Điều 12.") == "2. Bãi bỏ Điều 12."  # announces nothing
    assert with_announced_text("Gồm các nội dung sau:\na) Một;", "Gồm các nội dung sau:") == "Gồm các nội dung sau:"


def test_a_forms_tick_box_brings_its_heading_and_the_other_boxes():
    form = "1. Họ tên: ……\n2. Hình thức nhận kết quả\n□ Bản điện tử.\n□ Tại Bộ phận một cửa.\n□ Qua bưu chính.\nTôi cam đoan."
    block = "2. Hình thức nhận kết quả\n□ Bản điện tử.\n□ Tại Bộ phận một cửa.\n□ Qua bưu chính."
    assert with_its_options(form, "□ Qua bưu chính.") == block
    assert with_its_options(form, "2. Hình thức nhận kết quả") == block  # the heading brings its boxes
    assert with_its_options(form, "1. Họ tên: ……") == "1. Họ tên: ……"  # no box: unchanged
    assert with_its_options(form, "Tôi cam đoan.") == "Tôi cam đoan."


@pytest.mark.parametrize(
    "question,cash",
    [
        ("Tổng kinh phí ngân sách bố trí cho nghị quyết năm sau là bao nhiêu tỷ đồng?", True),
        ("How many billion dong does the plan set aside?", True),
        ("bao nhieu trieu dong mot thang?", True),
        ("Mức hỗ trợ phí là bao nhiêu phần trăm?", False),
    ],
)
def test_a_question_asking_for_a_sum_in_dong_wants_a_sum_not_a_percentage(question, cash):
    from assistant.answering.extractive import CASH_QUESTION_RE

    assert bool(CASH_QUESTION_RE.search(fold(question))) is cash


@pytest.mark.parametrize(
    "question,whole",
    [
        ("How long does the whole linked procedure take?", True),
        ("Tổng thời gian giải quyết thủ tục liên thông là bao nhiêu ngày?", True),
        ("How long does the karaoke permit step take?", False),
    ],
)
def test_a_question_asking_for_the_whole_prefers_the_total_to_a_step(question, whole):
    from assistant.answering.extractive import TOTAL_ASKED_RE

    assert bool(TOTAL_ASKED_RE.search(fold(question))) is whole


def test_a_start_date_is_told_apart_from_the_date_of_a_text_cited():
    from assistant.answering.extractive import START_DATE_RE

    assert START_DATE_RE.search("Đơn vị phối hợp: Sở Tài chính.\nThời gian thực hiện: Từ 01/7/2025.")
    assert START_DATE_RE.search("Quyết định này có hiệu lực kể từ ngày 05 tháng 12 năm 2025")
    assert not START_DATE_RE.search("Bãi bỏ toàn bộ Quyết định số 10/2016/QĐ-UBND ngày 21/3/2016 của Ủy ban nhân dân")


def test_free_of_charge_answers_a_fee_question_but_not_a_budget_total():
    from assistant.answering.extractive import figure_check
    from corpus.text import fold
    from index.retrieval.analysis import QueryAnalysis

    def check(question):
        return figure_check(QueryAnalysis(text=question, folded=fold(question), lexical_query=fold(question)))

    task = "b) Xây dựng nền tảng đào tạo trực tuyến, cung cấp miễn phí kiến thức cho người dân."
    assert not check("Kế hoạch bố trí tổng kinh phí bao nhiêu tỷ đồng?")(task)
    assert check("Kế hoạch bố trí tổng kinh phí bao nhiêu tỷ đồng?")("Tổng kinh phí: 12,5 tỷ đồng.")
    assert check("Làm thủ tục này phải trả bao nhiêu tiền?")("Thủ tục này được miễn lệ phí.")


@pytest.mark.parametrize(
    "question,yardstick",
    [
        ("Đà Nẵng có hỗ trợ chi phí chữ ký số giống Hà Nội không?", True),
        ("Does Da Nang support digital signatures like Hanoi does?", True),
        ("Đà Nẵng cũng như Hà Nội có hỗ trợ chữ ký số không?", False),
        ("Hà Nội hỗ trợ chữ ký số bao nhiêu, Đà Nẵng thì sao?", False),
    ],
)
def test_a_province_named_after_like_is_a_yardstick(corpus, question, yardstick):
    from assistant.answering.extractive import ExtractiveComposer
    from corpus.text import fold
    from index.retrieval.analysis import QueryAnalysis

    qa = QueryAnalysis(text=question, folded=fold(question), lexical_query=fold(question), provinces=["Hà Nội"])
    assert ExtractiveComposer(corpus).likened_only(qa) is yardstick


@pytest.mark.parametrize(
    "question,period",
    [
        ("Tổng thời gian giải quyết là bao lâu, từng bước mất bao nhiêu ngày?", True),
        ("How many working days does the whole procedure take?", True),
        ("trong may ngay phai tra loi", True),
        ("Mức hỗ trợ tối đa là bao nhiêu đồng?", False),
        ("How many members does the board have?", False),
    ],
)
def test_a_figure_asked_for_may_be_a_period_of_time(question, period):
    from assistant.answering.extractive import PERIOD_ASKED_RE

    assert bool(PERIOD_ASKED_RE.search(fold(question))) is period


def test_an_english_percentage_question_needs_a_rate_of_its_own_topic(corpus):
    def qa_en(text):
        return QueryAnalysis(text=text, folded=fold(text), lexical_query=fold(text), language="en")

    composer = ExtractiveComposer(corpus)
    target = "b) Đến hết năm 2030: Có ≥ 60% DNNVV, HTX, HKD trên địa bàn Tỉnh ứng dụng công nghệ số."
    other = "b) Đơn giản hóa TTHC, đảm bảo cắt giảm tối thiểu 30% thời gian thực hiện TTHC."
    asked = qa_en("What share of household businesses should be using digital technology by 2030?")
    assert composer.rate_of_topic(asked, target)
    online = qa_en("What percentage of online public services must be fully online ('toàn trình') by 2026?")
    assert not composer.rate_of_topic(online, other)
    # the text abbreviates what the question spells out (DNNVV, HTX): read with its abbreviations written out
    spelled = qa_en("What share of SMEs and co-ops should use digital technology by 2030?")
    assert composer.rate_of_topic(spelled, "b) Đến hết năm 2030: Có ≥ 60% DNNVV, HTX trên địa bàn ứng dụng.")


def test_from_what_date_without_a_date_quoted_is_the_texts_effect():
    from assistant.answering.extractive import wants_text_effect

    def qa(text, intents):
        return QueryAnalysis(text=text, folded=fold(text), lexical_query=fold(text), intents=intents)

    asked = qa("From what date does the Department of Justice take over these powers?", ["deadline"])
    powers = "2. Ủy ban nhân dân tỉnh phân cấp thẩm quyền cho Sở Tư pháp ký văn bản đồng ý."
    assert wants_text_effect(asked, [powers], about_content=False)
    assert not wants_text_effect(asked, ["Trong thời hạn 05 ngày làm việc kể từ ngày nhận hồ sơ."], False)
    assert not wants_text_effect(asked, ["Thời gian thực hiện: Từ 01/7/2025."], about_content=True)
    assert not wants_text_effect(qa("Who signs it?", ["lead"]), [powers], about_content=True)
    # a recurring period names no day: "from what date" is still the text's own effect
    assert wants_text_effect(asked, ["c) Định kỳ hàng năm báo cáo Ủy ban nhân dân tỉnh."], about_content=False)


@pytest.mark.parametrize(
    "question,asks",
    [
        ("sau khi bai bo qd 10/2016, chuc nang cua so duoc quy dinh tai quyet dinh so may", True),
        ("Which department took over these tasks?", True),
        ("QĐ 10/2016 bị bãi bỏ bởi văn bản nào?", False),
    ],
)
def test_a_question_may_ask_for_the_successor_of_a_repealed_text(question, asks):
    from assistant.answering.extractive import SUCCESSOR_ASKED_RE

    assert bool(SUCCESSOR_ASKED_RE.search(fold(question))) is asks


def test_how_much_more_may_be_answered_by_a_multiple():
    from assistant.answering.extractive import figure_check

    def check(question):
        return figure_check(QueryAnalysis(text=question, folded=fold(question), lexical_query=fold(question)))

    cap = "Giám đốc Trung tâm quyết định mức chi cao hơn nhưng không quá 1,5 lần mức chi quy định."
    assert check("Can the city pay more than that ceiling, and by how much at most?")(cap)
    assert not check("How much does the city pay a level 1 consultant per month?")(cap)


@pytest.mark.parametrize(
    "question,named",
    [
        ("which job positions did it strike out of Appendix II of Circular 06/2023?", ["ii"]),
        ("Thông tư bãi bỏ những vị trí nào tại phụ lục VI?", ["vi"]),
        ("Phụ lục của nghị quyết quy định gì?", []),
    ],
)
def test_an_appendix_named_by_its_number_is_read_from_the_question(question, named):
    from assistant.answering.extractive import APPENDIX_NAMED_RE

    assert APPENDIX_NAMED_RE.findall(fold(question)) == named


def _outside_mention(corpus):
    """A clause of a corpus text naming, by number, a text the corpus does not hold and no corpus text ends."""
    import re

    from assistant.answering.extractive import ENDING_KINDS
    from assistant.answering.validity import relations_to

    held = {fold(d.meta.number or "") for d in corpus.documents.values()}
    for loc in corpus.units():
        if loc.unit.kind != "clause" or loc.article is None:
            continue
        for number in re.findall(r"\b\d{1,4}/\d{4}/[A-ZĐ]{2,3}-[A-ZĐ]{2,6}\b", loc.unit.text):
            ended = any(r.kind.value in ENDING_KINDS for _, r in relations_to(corpus, [number]))
            if fold(number) not in held and not ended:
                return loc, number
    pytest.skip("no shipped clause names an outside text")


def test_a_time_asked_of_an_outside_text_a_named_text_cites_is_answered_from_its_clause(corpus, composer):
    """ "QĐ A: from what date does Nghị định B apply?" (A names B; the corpus neither holds nor ends B): the clause of
    A that names B is the answer, not A's own effective date."""
    loc, number = _outside_mention(corpus)
    hit = Hit(id=loc.article_id, score=0.9, units=[loc.id], label=loc.article.label, doc_id=loc.document.id)
    question = f"Theo {loc.document.meta.doc_type} {loc.document.meta.number}, văn bản {number} áp dụng từ ngày nào?"
    qa = _analysis(
        question,
        intents=["effective", "applicable"],
        documents=[loc.document.id],
        explicit_documents=[loc.document.id],
        unknown_numbers=[number],
    )
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    assert not composed.abstained and composed.citations[0].id.startswith(loc.article_id)


def test_which_text_a_question_asks_for():
    from assistant.answering.extractive import WHICH_TEXT_RE

    for asked in ("which old Quang Binh royalty decision now applies?", "quyết định cũ nào còn áp dụng?"):
        assert WHICH_TEXT_RE.search(fold(asked)), asked
    assert not WHICH_TEXT_RE.search(fold("Is Decision 24/2018 still in force?"))


def _point_with_words_of_its_own(corpus):
    """A shipped clause's second point and the words it alone of the clause's points writes."""
    from index.stores.tokens import syllables

    for loc in corpus.units():
        clause = loc.unit
        if loc.unit.kind != "clause" or loc.article is None or len(getattr(clause, "points", [])) < 2:
            continue
        second = clause.points[1]
        others = set().union(*(set(syllables(p.text)) for p in clause.points if p is not second))
        own = [w for w in syllables(second.text) if w not in others and len(w) > 2]
        if len(own) >= 2:
            return loc, second, own
    pytest.skip("no shipped clause with two points that differ in words")


def test_a_share_asked_of_a_cited_article_is_the_point_its_words_name(corpus, composer):
    """ "How much of that is for X?": among the cited article's clauses and points, the one X's words name."""
    loc, second, own = _point_with_words_of_its_own(corpus)
    article = corpus.resolve(loc.article_id)
    qa = _analysis("x", language="vi", part=" ".join(own[:3]), focus=loc.article_id)
    assert composer.part_named(article, qa).id == second.id
    qa = _analysis("x", language="vi", part="zzqx wwqk", focus=loc.article_id)
    assert composer.part_named(article, qa) is None  # words no unit holds: no narrowing


def test_a_comparison_within_one_text_keeps_its_two_best_units(corpus, composer):
    """ "How does Level 2 compare with Level 4?" asked of one text: both compared units are answered, not only the
    best one (a comparison across texts keeps one unit per text)."""
    doc = next(d for d in corpus.documents.values() if d.part("regulation") is not None)
    first, second = doc.part("regulation").articles[:2]
    hits = [
        Hit(id=first.id, score=0.9, units=[], label=first.label, doc_id=doc.id),
        Hit(id=second.id, score=0.8, units=[], label=second.label, doc_id=doc.id),
    ]
    qa = _analysis("Điều 1 và Điều 2 khác nhau thế nào?", intents=["comparison"], documents=[doc.id])
    assert [h.id for h in composer.select(qa, hits)] == [first.id, second.id]
    other = next(d for d in corpus.documents.values() if d.id != doc.id)
    third = Hit(id=f"{other.id}/x", score=0.85, units=[], label="x", doc_id=other.id)
    picked = composer.select(qa, [hits[0], third, hits[1]])
    assert [h.doc_id for h in picked] == [doc.id, other.id]  # across texts: one unit each


def test_a_share_is_looked_for_in_every_article_the_last_answer_cited(corpus, composer):
    """The last answer may cite the article holding the share second: the one naming it best is chosen."""
    loc, second, own = _point_with_words_of_its_own(corpus)
    other = next(a for a in loc.document.parts[0].articles if a.id != loc.article_id)
    qa = _analysis("x", language="vi", part=" ".join(own[:3]))
    assert composer.part_of([other.id, loc.article_id], qa) == loc.article_id


def test_a_khoans_heading_line_is_quoted_with_the_line_it_heads():
    from assistant.answering.extractive import with_what_it_heads

    text = "3. Khóa tài khoản vĩnh viễn\nTài khoản bị khóa vĩnh viễn trong các trường hợp sau đây:"
    assert with_what_it_heads(text, "3. Khóa tài khoản vĩnh viễn") == text
    assert with_what_it_heads(text, "Tài khoản bị khóa") == "Tài khoản bị khóa"  # not the heading: unchanged
    sentence = "1. Sở Tư pháp chủ trì thực hiện.\nBáo cáo hằng năm."
    assert with_what_it_heads(sentence, "1. Sở Tư pháp chủ trì thực hiện.") == "1. Sở Tư pháp chủ trì thực hiện."


LOCKS = """QUYẾT ĐỊNH

Điều 1. Khóa tài khoản

1. Khóa tài khoản có thời hạn

Tài khoản bị khóa có thời hạn trong các trường hợp sau đây:

a) Có quyết định tạm đình chỉ hành nghề.

b) Có văn bản đề nghị khóa có thời hạn.

2. Khóa tài khoản vĩnh viễn

Tài khoản bị khóa vĩnh viễn trong các trường hợp sau đây:

a) Có quyết định miễn nhiệm, thu hồi thẻ hành nghề.

b) Có quyết định giải thể tổ chức hành nghề.
"""


def test_a_khoan_announcing_its_cases_is_quoted_with_them(corpus, one_text):
    """ "In which cases is an account locked for good?": the search matched one point; its khoản's lead-in, quoted up to
    "… các trường hợp sau đây:", brings each of the points it announces, not only the one matched."""

    doc, texts = one_text(LOCKS)
    small = ExtractiveComposer(texts)
    art = f"{doc.id}/decision/dieu-1"
    hit = Hit(id=art, score=0.9, units=[f"{art}/khoan-2/diem-b"], doc_id=doc.id)  # the search matched one point
    qa = _analysis("Trường hợp nào thì tài khoản bị khóa vĩnh viễn?", documents=[doc.id])
    cited = [c.id for c in small.quote_answer(qa, [hit], en=False).citations]
    assert cited[:3] == [f"{art}/khoan-2", f"{art}/khoan-2/diem-a", f"{art}/khoan-2/diem-b"]


CHECKS = """QUYẾT ĐỊNH

Điều 1. Tra cứu thông tin

1. Trước khi công chứng, công chứng viên tra cứu thông tin ngăn chặn và thông tin cảnh báo rủi ro.

2. Công chứng viên lưu hồ sơ tra cứu theo quy định.

3. Khi có thông tin cảnh báo rủi ro, công chứng viên phải xác minh bổ sung.

4. Khi có thông tin ngăn chặn, công chứng viên tạm dừng việc công chứng.
"""


def test_two_cases_set_against_each_other_are_each_answered_by_their_own_khoan(corpus, one_text):
    """ "… cảnh báo rủi ro thì xử lý khác gì so với khi có thông tin ngăn chặn?": the khoản saying each case, told apart
    by the words one side has and the other has not; khoản 1, naming both, tells neither."""
    from assistant.answering.extractive import compared_sides

    doc, texts = one_text(CHECKS)
    small = ExtractiveComposer(texts)
    art = f"{doc.id}/decision/dieu-1"
    hit = Hit(id=art, score=0.9, units=[f"{art}/khoan-1", f"{art}/khoan-3"], doc_id=doc.id)
    question = "Khi có thông tin cảnh báo rủi ro thì công chứng viên xử lý khác gì so với khi có thông tin ngăn chặn?"
    qa = _analysis(question, intents=["comparison"], documents=[doc.id])
    assert compared_sides(qa) is not None
    assert [u.id for u in small.units_for(hit, qa)][:2] == [f"{art}/khoan-3", f"{art}/khoan-4"]
    assert compared_sides(_analysis("Cảnh báo rủi ro và thông tin ngăn chặn là gì?", intents=["comparison"])) is None


DIRECTIVE = """CHỈ THỊ

Về cải cách thủ tục hành chính

1. Sở Nội vụ

a) Theo dõi, đôn đốc việc thực hiện Chỉ thị này.

2. Công an thành phố

a) Bảo đảm an ninh, trật tự tại các điểm tiếp nhận hồ sơ.
"""


@pytest.mark.parametrize(
    "question,agency,none",
    [
        ("Chỉ thị giao Sở Tài chính những nhiệm vụ gì?", "Sở Tài chính", False),
        ("Chỉ thị giao Sở Nội vụ những nhiệm vụ gì?", "Sở Nội vụ", True),
        ("Công an tỉnh có nhiệm vụ gì?", "Công an tỉnh", True),  # a city's "Công an thành phố"
    ],
)
def test_an_agency_no_text_in_scope_names_is_given_no_task(corpus, question, agency, none, one_text):

    doc, texts = one_text(DIRECTIVE)
    small = ExtractiveComposer(texts)
    qa = _analysis(
        question, intents=["duties", "list"], agencies=[agency], documents=[doc.id], explicit_documents=[doc.id]
    )
    said = small.no_task_for(qa)
    assert (said is None) is none
    if said is not None:
        assert agency in said[0] and agency in said[1]
    assert small.no_task_for(_analysis(question, intents=["duties", "deadline"], agencies=[agency])) is None
    # asked of a province's one text in scope by its kind, not by its number: the same
    of_text = f"Theo chỉ thị này, {question[0].lower()}{question[1:]}"
    alone = small.no_task_for(_analysis(of_text, intents=["duties"], agencies=[agency], documents=[doc.id]))
    assert (alone is None) is none
    # asked of the province alone, naming no text: the closest provisions, with that said first
    of_place = f"{agency} có trách nhiệm gì?"
    assert small.no_task_for(_analysis(of_place, intents=["duties"], agencies=[agency], documents=[doc.id])) is None
    # asked of a province with several texts: the closest provisions, with that said first
    several = _analysis(question, intents=["duties"], agencies=[agency], documents=[doc.id, doc.id + "-2"])
    assert small.no_task_for(several) is None


@pytest.mark.parametrize(
    "question,more",
    [
        ("Who exactly is covered by the resolution, and from what date does it apply?", True),
        ("Những ai được hỗ trợ theo nghị quyết, và áp dụng từ ngày nào?", True),
        ("When did the decision take effect, and is it still in force?", False),
        ("What's its effective date, and which older rules does it repeal?", False),
        ("When does it take effect?", False),
    ],
)
def test_a_second_question_joined_by_and_is_asked_of_the_text_unless_about_its_effect(question, more):
    assert ExtractiveComposer.asks_more(question, QueryAnalysis(text=question, folded=fold(question))) is more


def test_a_province_level_agency_asked_of_a_city_is_the_citys_own():
    """ "City People's Committee" is glossed "Ủy ban nhân dân tỉnh"; a city's text writes "Ủy ban nhân dân Thành phố":
    the same body, never said to be unmentioned."""
    from assistant.answering.agencies import unmentioned_agencies

    texts = {
        "city": fold("Giao Ủy ban nhân dân Thành phố hướng dẫn, tổ chức thực hiện"),
        "other": fold("Ủy ban nhân dân tỉnh chỉ đạo Sở Ngoại vụ"),
    }
    asked = QueryAnalysis(text="q", folded="q", agencies=["Ủy ban nhân dân tỉnh"], documents=["city"])
    assert unmentioned_agencies(asked, texts.__getitem__, list(texts)) == []
    # a commune's People's Committee, written "UBND xã, phường" in one text and "Ủy ban nhân dân cấp xã" in another
    texts["city"] += fold(" Cổng TTĐT của UBND xã, phường")
    texts["other"] += fold(" Ủy ban nhân dân cấp xã")
    commune = asked.model_copy(update={"agencies": ["Ủy ban nhân dân cấp xã"]})
    assert unmentioned_agencies(commune, texts.__getitem__, list(texts)) == []
    asked_elsewhere = asked.model_copy(update={"agencies": ["Sở Ngoại vụ"]})
    assert unmentioned_agencies(asked_elsewhere, texts.__getitem__, list(texts)) == ["Sở Ngoại vụ"]


@pytest.mark.parametrize(
    "text,person",
    [
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrương Công Thái", True),
        ("Người phát ngôn của Ủy ban nhân dân tỉnh phát ngôn và cung cấp thông tin cho báo chí", False),
        ("Sở Văn Hóa Thể Thao và Du lịch", False),  # a body, however capitalised
        ("trên địa bàn tỉnh Bà Rịa Vũng Tàu", False),  # a place
    ],
)
def test_a_persons_name_is_told_from_a_body_or_a_place(text, person):
    from assistant.answering.extractive import names_a_person

    assert names_a_person(text) is person


def test_a_count_of_people_asked_needs_a_quote_that_counts_people():
    from assistant.answering.extractive import figure_check

    asked = _analysis("How many staff does each commune have to assign to this work?", intents=["quantity"])
    states = figure_check(asked)
    assert states("Mỗi xã bố trí ít nhất 01 công chức phụ trách.")
    assert not states("Định kỳ hằng năm, báo cáo trước ngày 15 tháng 12, trong 05 ngày làm việc.")


@pytest.mark.parametrize(
    "question,answered",
    [
        ("Which agency manages foreign reporters, and which decree must their work comply with?", 2),
        ("Sở nào chủ trì quản lý phóng viên nước ngoài, và cơ quan nào tham mưu cho phép?", 2),
        ("Which agency manages foreign reporters? Which decree must their work comply with?", 2),
        ("Which agency manages foreign reporters working in the province?", 1),
    ],
)
def test_a_question_asking_two_things_is_answered_from_two_articles(question, answered, one_text):
    doc, texts = one_text(PORTALS_TWO)
    part = next(p.id_slug for p in doc.parts if p.articles)
    hits = [Hit(id=f"{doc.id}/{part}/dieu-{n}", score=score, doc_id=doc.id) for n, score in ((1, 1.0), (2, 0.6))]
    picked = ExtractiveComposer(texts).select(_analysis(question, intents=["lead"], documents=[doc.id]), hits)
    assert len(picked) == answered


PORTALS_TWO = """QUY CHẾ
Quản lý hoạt động báo chí

Điều 1. Quản lý phóng viên nước ngoài

1. Văn phòng Ủy ban nhân dân tỉnh chủ trì quản lý, hướng dẫn phóng viên nước ngoài.

Điều 2. Tuân thủ pháp luật

1. Hoạt động báo chí nước ngoài phải tuân thủ quy định của Nghị định.
"""


EXTRA_TEXTS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus-extra"


@pytest.mark.skipif(not EXTRA_TEXTS.exists(), reason=f"{EXTRA_TEXTS} is absent (the real corpus-extra texts)")
def test_a_question_on_the_review_of_a_draft_quotes_the_basis_naming_the_review():
    """A decision's appraisal by the Sở Tư pháp and a resolution's verification by a People's Council committee are
    lines of their legal bases, on real texts: the one naming the review is quoted, not the proposal before it."""
    from assistant.answering.validity import _metadata_support
    from corpus.catalog import load_catalog
    from corpus.reader import read_file
    from corpus.store import Corpus

    quoted = []
    for path in sorted(EXTRA_TEXTS.glob("*.txt")):
        document = read_file(path).document
        corpus = Corpus([document], load_catalog(), None)
        bases = " ".join(p.preamble.text for p in document.parts if p.preamble is not None)
        if "thẩm định của" not in bases and "thẩm tra số" not in bases:
            continue
        qa = _analysis("Văn bản này được thẩm định, thẩm tra tại báo cáo số mấy?", language="vi", intents=["metadata"])
        citations, _ = _metadata_support(corpus, qa, document.meta.id, en=False)
        assert citations and citations[0].id.endswith("/can-cu")
        assert re.search(r"(thẩm định|thẩm tra)[^;]*Báo cáo|Báo cáo (thẩm định|thẩm tra)", citations[0].quote)
        assert citations[0].quote in corpus.resolve(citations[0].id).unit.text
        quoted.append(document.meta.id)
    assert len(quoted) >= 2  # a provincial decision and a People's Council resolution


def test_a_sum_asked_for_one_thing_is_not_answered_by_a_sum_for_another(composer):
    """A sum stated for a digital signature is no support for buying computers; it answers the signature question,
    whose words sit in the sum's sentence (not always within a few words of it)."""
    quote = (
        "Chi phí hỗ trợ cho mỗi cá nhân không vượt quá 100.000 đồng/năm, bao gồm các khoản phát sinh phục vụ việc "
        "ký số trong giao dịch điện tử."
    )
    other = _analysis("Doanh nghiệp được hỗ trợ bao nhiêu tiền để mua máy tính, máy quét phục vụ nộp hồ sơ?")
    assert not composer.sum_of_topic(other, quote)
    asked = _analysis("Người dân được hỗ trợ chi phí chữ ký số tối đa bao nhiêu tiền một năm?")
    assert composer.sum_of_topic(asked, quote)
    # nothing to pay, and a multiple of a sum, answer a question about money too
    fee = _analysis("Nộp hồ sơ trực tuyến thủ tục có lệ phí thì phải nộp bao nhiêu tiền?")
    assert composer.sum_of_topic(fee, "Khi thực hiện dịch vụ công trực tuyến, mức thu lệ phí được ấn định bằng không.")


@pytest.mark.skipif(not EXTRA_TEXTS.exists(), reason=f"{EXTRA_TEXTS} is absent (the real corpus-extra texts)")
def test_a_successor_asked_of_a_text_that_only_repeals_is_said_to_be_missing():
    """On the real texts: "which new decision sets it out now?" answered by the clause of a text that only repeals
    (titled a repeal, issuing nothing) is an abstention that still quotes the repeal; answered by the clause of a
    text that ends an older one while issuing its own rules, it stands (that text is the successor)."""
    from assistant.answering.base import ComposedAnswer
    from assistant.citations import make_citation
    from corpus.catalog import load_catalog
    from corpus.reader import read_file
    from corpus.store import Corpus

    documents = [read_file(p).document for p in sorted(EXTRA_TEXTS.glob("*.txt"))]
    corpus = Corpus(documents, load_catalog(), None)
    composer = ExtractiveComposer(corpus, abstain_below=0.35)
    qa = _analysis("Sau khi bãi bỏ, quyết định nào mới quy định nội dung này?", language="vi")
    seen = {"only": 0, "issuing": 0}
    for document in documents:
        for rel in document.meta.relations:
            if rel.kind.value not in ("repeals", "ends") or not rel.evidence_unit:
                continue
            loc = corpus.resolve(rel.evidence_unit)
            composed = ComposedAnswer(answer="…", abstained=False, citations=[make_citation(loc, loc.unit.text[:200])])
            said = composer.successor_unstated(qa, composed)
            if composer.repeals_only(document.meta.id):
                assert said is not None and said.abstained and said.citations == composed.citations
                assert "không nói" in said.answer
                seen["only"] += 1
            elif any(r.kind.value == "issues" for r in document.meta.relations):
                assert said is None
                seen["issuing"] += 1
    assert seen["only"] and seen["issuing"]


def test_a_header_fact_the_text_does_not_give_is_said_missing_with_what_it_gives(corpus):
    """ "Who signed it?" of a text whose signature block names no one (and "its number and date" of a draft) is an
    abstention that says which fact is missing and gives the header facts there are; asked of a text that names its
    signer, the signer is answered."""
    from assistant.answering.validity import metadata_answer

    unsigned = [d for d in corpus.documents.values() if not d.meta.signer and d.meta.issuer]
    signed = [d for d in corpus.documents.values() if d.meta.signer]
    assert unsigned and signed
    for document in unsigned:
        qa = _analysis("Văn bản này do ai ký?", language="vi", intents=["metadata"], documents=[document.id])
        said = metadata_answer(corpus, qa, [], en=False)
        assert said is not None and said.abstained and "không ghi tên người ký" in said.answer
        assert document.meta.issuer in said.answer
    for document in signed:
        qa = _analysis("Who signed it?", language="en", intents=["metadata"], documents=[document.id])
        said = metadata_answer(corpus, qa, [], en=True)
        assert said is not None and not said.abstained and document.meta.signer in said.answer


@pytest.mark.parametrize(
    "question,date_asked",
    [
        ("Việc triển khai phải hoàn thành trước ngày nào?", True),
        ("By what date must the e-forms be finished?", True),
        ("Hạn chót nộp báo cáo là khi nào?", True),
        ("Thời gian thực hiện nhiệm vụ này thế nào?", False),  # "Thường xuyên" answers it
        ("How often must they report?", False),
    ],
)
def test_a_question_asking_for_a_date_itself_is_told_from_one_asking_when(question, date_asked):
    from assistant.answering.extractive import DATE_ASKED_RE, WHEN_RE

    assert bool(DATE_ASKED_RE.search(fold(question))) is date_asked
    # what answers it: a day, a month, a quarter, a period; a task's wording without one does not
    assert WHEN_RE.search("Thời gian thực hiện: Quý IV/2025.") and WHEN_RE.search("trước ngày 15/12 hằng năm")
    assert not WHEN_RE.search("Thời gian thực hiện sau khi Chiến lược được ban hành.")


@pytest.mark.parametrize(
    "question",
    ["Nghị quyết này hết hiệu lực vào ngày nào?", "het hieu luc khi nao", "When does the resolution cease to apply?"],
)
def test_when_a_text_expires_is_asked_as_until_when(question):
    from assistant.answering.extractive import UNTIL_WHEN_RE

    assert UNTIL_WHEN_RE.search(fold(question))


def test_a_count_asked_needs_a_quote_counting_that_thing():
    """ "bao nhiêu lớp tập huấn" is answered by "02 lớp", not by "100% cán bộ được tập huấn"; words after "bao
    nhiêu" that ask for a sum, a share or a time are left to their own checks."""
    from assistant.answering.extractive import COUNT_ASKED_RE, NOT_COUNTED, counts

    asked = COUNT_ASKED_RE.search(fold("Mỗi năm tổ chức bao nhiêu lớp tập huấn?"))
    assert asked and asked.group(1) == "lop"
    assert counts("lop", "Mỗi năm tổ chức 02 lớp tập huấn.") and counts("lop", "tổ chức (03) lớp")
    assert not counts("lop", "100% cán bộ được tập huấn, bồi dưỡng.")
    for question in ("Mức chi tối đa bao nhiêu một tháng?", "Tỷ lệ là bao nhiêu phần trăm?", "Trong mấy ngày?"):
        m = COUNT_ASKED_RE.search(fold(question))
        assert m is None or m.group(1) in NOT_COUNTED


def test_who_took_over_after_a_merger_is_said_missing_when_only_the_former_provinces_text_is_here(corpus, composer):
    """ "After X was merged into Y, which department took over?" answered only from X's former text, where the corpus
    has no text of Y: an abstention that keeps the former text quoted. Answered from a text of another province, it
    stands."""
    from assistant.answering.base import ComposedAnswer
    from assistant.citations import make_citation

    loc = next(loc for loc in corpus.units() if loc.clause is not None and loc.unit is loc.clause)
    former = loc.document.meta.province
    composed = ComposedAnswer(answer="…", abstained=False, citations=[make_citation(loc, loc.unit.text[:120])])
    asked = _analysis(
        f"After {former} was merged into Elsewhere, which department took over this?",
        language="en",
        provinces=[former],
        former_provinces=[former],
        other_provinces=["Elsewhere"],
    )
    said = composer.successor_unstated(asked, composed)
    assert said is not None and said.abstained and said.citations == composed.citations
    assert "no text of Elsewhere" in said.answer
    other = _analysis(asked.text, language="en", former_provinces=["Nowhere"], other_provinces=["Elsewhere"])
    assert composer.successor_unstated(other, composed) is None


def test_a_total_asked_is_not_answered_by_a_rate():
    from assistant.answering.extractive import SUM_TOTAL_ASKED_RE, states_total

    assert SUM_TOTAL_ASKED_RE.search(fold("How much state budget in total has the city set aside?"))
    assert SUM_TOTAL_ASKED_RE.search(fold("Tổng kinh phí thực hiện kế hoạch là bao nhiêu?"))
    assert not SUM_TOTAL_ASKED_RE.search(fold("What is the maximum total processing time?"))
    assert not states_total("Chi phí hỗ trợ cho mỗi cá nhân không vượt quá 100.000 đồng/năm.")
    assert not states_total("Mức 2, không quá 30.000.000 đồng/tháng áp dụng đối với chuyên gia tư vấn.")
    assert states_total("Tổng kinh phí thực hiện Kế hoạch là 2.500 triệu đồng, từ ngân sách tỉnh.")
