"""Query understanding on real question shapes (accented, unaccented, English)."""

from __future__ import annotations

import pytest

from corpus.text import fold
from index.retrieval.analysis import QueryAnalyzer


@pytest.fixture(scope="module")
def qa(corpus):
    return QueryAnalyzer(corpus)


@pytest.mark.parametrize(
    "question,lang,provinces",
    [
        ("Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?", "vi", ["Tuyên Quang"]),
        ("co quan nao chu tri quan ly phong vien nuoc ngoai o tuyen quang", "vi", ["Tuyên Quang"]),
        ("which agency leads foreign-press management in Tuyen Quang", "en", ["Tuyên Quang"]),
        ("What does Article 14 of Hung Yen's regulation say?", "en", ["Hưng Yên"]),
        ("bao cao nam cua Bac Kan gui truoc ngay nao", "vi", ["Bắc Kạn"]),
    ],
)
def test_language_and_province(qa, question, lang, provinces):
    a = qa.analyze(question)
    assert a.language == lang and a.provinces == provinces


def test_references_and_numbers(qa):
    a = qa.analyze("Điều 11 khoản 2 Quy chế kèm Quyết định 68/2025/QĐ-UBND")
    assert (a.article, a.clause, a.documents) == (11, "2", ["bac-ninh-68-2025"])
    assert qa.analyze("dieu 5 quy che hung yen").article == 5
    assert qa.analyze("Mục IV.13 kế hoạch Bắc Giang").section == "IV.13"
    assert qa.analyze("Quyết định 99/2030 quy định gì?").unknown_numbers == ["99/2030"]


def test_version_selection(qa):
    assert qa.analyze("Dự thảo quy chế Tuyên Quang quy định gì về Sở Nội vụ?").documents == ["tuyen-quang-2025-draft"]
    assert qa.analyze("Quy chế hiện hành của Tuyên Quang về Sở Tài chính").documents == ["tuyen-quang-10-2018"]
    both = qa.analyze("So sánh dự thảo với quy chế 2018 của Tuyên Quang về Công an tỉnh").documents
    assert set(both) == {"tuyen-quang-10-2018", "tuyen-quang-2025-draft"}


def test_other_province_and_intents(qa):
    a = qa.analyze("Lạng Sơn quy định thế nào về thông tin đối ngoại?")
    assert a.other_provinces == ["Lạng Sơn"] and not a.provinces
    assert "lead" in qa.analyze("Cơ quan nào chủ trì?").intents
    assert "deadline" in qa.analyze("Báo cáo gửi trước ngày nào?").intents
    assert "Sở Ngoại vụ" in qa.analyze("Department of Foreign Affairs duties in Ha Giang").agencies


@pytest.mark.parametrize(
    "question,as_of,reason",
    [
        # a year after a document noun names the document, not the date asked about
        ("Hiện nay quy chế nào áp dụng ở Tuyên Quang? Cái dự thảo năm 2025 đã có hiệu lực chưa?", None, ""),
        ("Vào năm 2019, quy chế nào được áp dụng ở Tuyên Quang?", "2019-12-31", "year"),
        # a month the question is set in: its first day
        ("Tháng 3/2026 tôi hỏi: quy chế nào áp dụng ở Bắc Ninh?", "2026-03-01", "month"),
        ("In March 2026, which regulation applies in Bac Ninh?", "2026-03-01", "month"),
        # a day inside a deadline is not the date asked about
        ("Báo cáo năm của Bắc Kạn gửi trước ngày 15 tháng 12/2025 cho cơ quan nào?", None, ""),
    ],
)
def test_the_date_a_question_is_set_on(qa, question, as_of, reason):
    a = qa.analyze(question)
    assert (a.as_of.isoformat() if a.as_of else None, a.as_of_reason) == (as_of, reason)


def test_an_article_of_a_text_outside_the_corpus_is_not_looked_up(qa):
    a = qa.analyze("Quyết định 68/2025/QĐ-UBND bổ sung khoản 4 vào Điều 3 của Quyết định 99/2020/QĐ-UBND thế nào?")
    assert a.foreign_reference and a.article is None and a.clause is None
    assert a.explicit_documents == ["bac-ninh-68-2025"] and a.unknown_numbers
    own = qa.analyze("Điều 3 của Quyết định 68/2025/QĐ-UBND quy định gì?")
    assert own.article == 3 and not own.foreign_reference
    # the outside text's article with its heading quoted or in brackets in between
    for titled in ("Article 10 'Hiệu lực thi hành' of Decision 99/2020", "Điều 10 (Hiệu lực thi hành) của QĐ 99/2020"):
        a = qa.analyze(f"Quyết định 68/2025/QĐ-UBND sửa {titled} thế nào?")
        assert a.foreign_reference and a.article is None, titled
    assert qa.analyze("Điều 3 “Nội dung” của Quyết định 68/2025/QĐ-UBND quy định gì?").article == 3


def test_an_article_named_inside_quotation_marks_is_quoted_words_not_a_reference(qa):
    a = qa.analyze("Quyết định 68/2025/QĐ-UBND có dòng “Điều 9. Tổ chức thực hiện” phải không?")
    assert a.article is None and a.foreign_reference
    assert qa.analyze("Điều 9 của Quyết định 68/2025/QĐ-UBND quy định gì?").article == 9


@pytest.mark.parametrize(
    "question,intent",
    [
        ("What is the provincial police responsible for in this work?", "duties"),
        ("What does the plan ask the Department of Finance to do?", "duties"),
        ("Thông tin đối ngoại được hiểu như thế nào?", "definition"),
        ("Quy chế định nghĩa thế nào về thông tin đối ngoại?", "definition"),
        ("Ban Quản lý phải cập nhật những thông tin gì?", "list"),
        ("What documents make up the application file?", "list"),
        ("Which department is the focal point for supplying information?", "lead"),
        ("chi thi giao so nao toi uu hoa he thong", "lead"),
        ("In this province, who now signs the decisions on adoption, and from what date?", "lead"),
        ("Who approves the annual list of tasks?", "lead"),
        ("Kế hoạch đặt ra những mục tiêu chủ yếu gì?", "list"),
        ("What are the headline targets of the plan?", "list"),
        ("Which of the two decisions kicked in first?", "effective"),
        ("Nếu chỉ làm vài tiếng thì tiền công tính thế nào?", "quantity"),
        ("How is the pay calculated for three days of work?", "quantity"),
        # by what dates, from what moment: a deadline
        ("By what dates must the agencies send their reports?", "deadline"),
        ("Chế độ hỗ trợ được thực hiện từ thời điểm nào?", "deadline"),
        ("truoc ky hop bao nhieu ngay thi cac so phai gui bao cao", "deadline"),
        # a rate or fee asked with words between: a figure
        ("What royalty rate per news article does the province pay contributors?", "quantity"),
        ("What monthly allowance do the officials get?", "quantity"),
        ("Mức nhuận bút cho mỗi tin bài là bao nhiêu?", "quantity"),
        ("When did the resolution go into effect?", "effective"),
        ("Can residents already get the support in mid-December 2025?", "effective"),
        ("Tháng 12/2025 người dân đã được hỗ trợ theo nghị quyết chưa?", "effective"),
        ("When did the decision take effect, and which provincial department recommended it?", "metadata"),
        ("What's its effective date, and which older database rules does it retire?", "relation"),
        ("Đơn vị phối hợp là ai và thời gian thực hiện thế nào?", "deadline"),
        ("What is the timeline for the training courses?", "deadline"),
    ],
)
def test_common_phrasings_of_an_intent(qa, question, intent):
    assert intent in qa.analyze(question).intents


def test_a_vietnamese_syllable_spelt_like_an_english_word_asks_no_effect(qa):
    """Folded, "niêm yết" is "niem yet": "yet" asks whether a text applies only after words of effect."""
    asked = qa.analyze("ubnd xa phai niem yet ket qua trong bao lau, tu thang 12 nam 2025")
    assert "effective" not in asked.intents


def test_an_english_can_before_a_vietnamese_word_is_not_legal_basis(qa):
    """Folded, "can cử tri" reads "can cu tri": the words of "căn cứ" (legal basis)."""
    asked = qa.analyze("In what ways can cử tri submit a kiến nghị?")
    assert "legal_basis" not in asked.intents and "relation" not in asked.intents
    # typed without accents, the Vietnamese words are restored as the corpus writes them ("cu dai dien" -> "cử đại diện")
    unaccented = qa.analyze("In which cases can cu dai dien attend the meeting?")
    assert "legal_basis" not in unaccented.intents
    assert "legal_basis" in qa.analyze("Quyết định này căn cứ vào những văn bản nào?").intents
    assert "legal_basis" in qa.analyze("quyet dinh nay can cu vao van ban nao").intents


def test_english_question_words_in_a_vietnamese_question_are_read_in_vietnamese(qa):
    from index.retrieval.question_words import vietnamese_question_words

    assert (
        vietnamese_question_words("Thông tin đối ngoại được hiểu how?") == "Thông tin đối ngoại được hiểu như thế nào?"
    )
    assert vietnamese_question_words("ho tro how much tien", accented=False) == "ho tro bao nhieu tien"
    assert vietnamese_question_words("Cổng who-is") == "Cổng who-is"  # whole words only
    switched = qa.analyze("Thông tin đối ngoại được hiểu how trong Quy chế?")
    assert switched.language == "vi" and "definition" in switched.intents


def test_glossary_anchors_skip_only_patterns_that_cannot_match():
    import re

    from index.retrieval import glossary

    assert glossary.anchors(r"\bjournalists?\b|reporters?|press") == ("journalist", "reporter", "press")
    assert glossary.anchors(r"(provincial )?police") is None  # starts with a group: always tried
    questions = [
        "Which department leads foreign press management and who coordinates?",
        "When must the annual report be sent to the Department of Justice?",
        "What are the fees for karaoke licences and who inspects them?",
    ]
    for p, vi in glossary.TERMS:
        plain = re.compile(glossary.bounded(p))
        fast = glossary._Pattern(p)
        for q in questions:
            assert bool(plain.search(q.lower())) == bool(fast.search(q.lower())), (p, q)


def test_english_times_and_periods_are_written_as_the_texts_write_them(qa):
    from index.retrieval.analysis import english_figures

    assert english_figures("received after 5 pm, answered within 10 working days, 3 months or by 8:30 a.m.") == [
        "17 giờ",
        "8 giờ",
        "10 ngày làm việc",
        "3 tháng",
    ]
    asked = qa.analyze("If my application arrives after 5 pm, when does processing start?")
    assert asked.figures == ["17 giờ"] and "17 giờ" in asked.lexical_query


def test_abolishing_a_text_is_a_relation_abolishing_its_content_is_not():
    import re

    from index.retrieval.analysis import INTENTS

    relation = re.compile(INTENTS["relation"])
    assert relation.search("bac ninh qd 68/2025: which older decisions does it abolish?")
    assert relation.search("qd 211/2025 hai phong co hieu luc tu ngay nao, nhung qd cu nao het hieu luc")
    assert not relation.search("which job positions does thong tu 24/2025 abolish from appendix ii?")


@pytest.mark.parametrize("province", ["Bac Ninh", "Bắc Ninh", "Hanoi"])
def test_an_english_agency_name_with_the_province_written_inside_it(qa, province):
    a = qa.analyze(f"What is the Office of the {province} Provincial People's Committee responsible for?")
    assert "Văn phòng Ủy ban nhân dân tỉnh" in a.agencies


def test_from_what_date_a_long_named_text_applies_asks_for_its_effect(qa):
    a = qa.analyze(
        "From what date does the provincial People's Council resolution on incentives for using online public "
        "services apply?"
    )
    assert "effective" in a.intents


def test_a_former_province_the_corpus_holds_nothing_of_is_looked_for_in_its_successors_texts(qa):
    from corpus.text import fold

    held = {fold(p) for p in qa.province_docs}
    former = next(
        p
        for p in qa.registry.pre_arrangement()
        if fold(p.name) not in held and fold(qa.registry.successor(p).name) in held
    )
    successor = qa.corpus_province[fold(qa.registry.successor(former).name)]
    a = qa.analyze(f"We are in what used to be {former.name}. Does its 2019 decision still govern us?")
    assert successor in a.provinces and set(qa.province_docs[successor]) <= set(a.documents)


@pytest.mark.parametrize("question", ["What is the latest it can be uploaded?", "Hạn chót nộp báo cáo là khi nào?"])
def test_the_latest_time_asked_for_is_a_deadline(qa, question):
    assert "deadline" in qa.analyze(question).intents


@pytest.mark.parametrize(
    "question",
    [
        "Which takes effect first, this decision or that one?",
        "When did it come into force?",
        "When does it come into effect?",
        "When does the resolution actually start to apply?",
    ],
)
def test_any_form_of_taking_effect_asks_for_effect(qa, question):
    assert "effective" in qa.analyze(question).intents


@pytest.mark.parametrize(
    "question,section",
    [("Mẫu số 01 kèm theo Nghị định gồm những gì?", "mau-01"), ("What does Form No. 2 ask for?", "mau-02")],
)
def test_a_form_of_an_appendix_is_a_reference(qa, question, section):
    assert qa.analyze(question).section == section


def test_what_goes_into_a_file_asks_for_a_list(qa):
    assert "list" in qa.analyze("What has to go into the application file?").intents


@pytest.mark.parametrize(
    "english,vietnamese",
    [
        ("postpone", "hẹn lại"),
        ("posted on the portal", "đăng tải"),
        ("the promised date", "ngày hẹn"),
        ("hire a consultant", "thuê"),
    ],
)
def test_glossary_renders_procedure_words_and_post_is_not_postpone(english, vietnamese):
    from index.retrieval.glossary import expand_english

    assert vietnamese in expand_english(english)
    assert "đăng tải" not in expand_english("postpone")


def test_an_english_phrase_in_a_vietnamese_question_reaches_the_texts_through_the_glossary(qa):
    from index.retrieval.glossary import expand_english

    question = "Cơ quan nào leads foreign-press management ở Tuyên Quang?"
    a = qa.analyze(question)
    assert a.language == "vi" and a.english_words == ["leads", "foreign-press", "management"]
    assert expand_english(question) in a.lexical_query
    from index.retrieval.analysis import CODE_SWITCH_WORDS

    plain = qa.analyze("Ban biên tập có nhiệm vụ gì, karaoke thì sao?")  # one loanword, Vietnamese syllables
    assert plain.english_words == ["karaoke"] and len(plain.english_words) < CODE_SWITCH_WORDS


@pytest.mark.parametrize(
    "question,asks_deadline",
    [
        ("Nếu quá hạn trả kết quả mà chưa có kết quả thì cơ quan giải quyết phải làm gì?", False),
        ("What must the authority do if it misses the deadline for returning the result?", False),
        ("If the office is late, within how many days must it write to the applicant?", True),
        ("Thời hạn trả kết quả là bao nhiêu ngày?", True),
        ("When does a voter petition count as overdue?", True),
        ("Khi nào thì hồ sơ bị coi là quá hạn?", True),
    ],
)
def test_a_deadline_set_as_the_condition_is_not_what_is_asked(qa, question, asks_deadline):
    assert ("deadline" in qa.analyze(question).intents) is asks_deadline


@pytest.mark.parametrize(
    "question,about_content",
    [
        ("Which job positions did the circular abolish?", True),
        ("Thông tư bãi bỏ những chức danh nào?", True),
        ("Which decisions does the circular repeal?", False),
        ("Thông tư bãi bỏ những văn bản nào?", False),
        ("What exactly did the decision repeal, and from when did it apply?", False),
        ("From what date does it apply, and which older decisions does it abolish?", False),
    ],
)
def test_what_a_text_abolishes_inside_other_texts_is_content_not_relations(qa, question, about_content):
    from index.retrieval.analysis import asks_changed_content

    assert asks_changed_content(fold(question)) is about_content
    assert ("relation" in qa.analyze(question).intents) is not about_content


@pytest.mark.parametrize(
    "question,asks_relation",
    [
        ("qd 84 bai bo qd 10/2016 ve so ngoai vu thi nhung ai chiu trach nhiem thi hanh", False),
        ("Quyết định bãi bỏ văn bản cũ thì ai ký?", False),
        ("Quyết định này bãi bỏ những văn bản nào?", True),
        ("Văn bản đó ban hành năm nào thì bị bãi bỏ bởi văn bản nào?", True),
    ],
)
def test_a_change_said_before_thi_is_what_is_known_not_what_is_asked(qa, question, asks_relation):
    assert ("relation" in qa.analyze(question).intents) is asks_relation


def test_an_article_of_an_outside_text_named_before_it_is_no_look_up(qa):
    a = qa.analyze('Trong Quyết định 12/2012/QĐ-UBND, điều "Phạm vi" (Điều 5) được Quyết định 68/2025 sửa thế nào?')
    assert a.foreign_reference and a.article is None
    own = qa.analyze("Điều 5 của Quyết định 68/2025 quy định gì?")
    assert own.article == 5 and not own.foreign_reference


def test_quoted_heading_words_do_not_set_the_kind_of_answer(qa):
    a = qa.analyze('Điều "Hiệu lực thi hành" được sửa thành điều số mấy?')
    assert "effective" not in a.intents
    assert "effective" in qa.analyze("Quyết định có hiệu lực thi hành từ ngày nào?").intents


@pytest.mark.parametrize(
    "question",
    [
        "QĐ này được ban hành theo tờ trình của sở nào?",
        "so to trinh cua quyet dinh la bao nhieu",
        "Which body put forward this decision, and under what submission number?",
    ],
)
def test_the_submission_behind_a_text_is_asked_from_its_header(qa, question):
    assert "metadata" in qa.analyze(question).intents


def test_on_whose_proposal_a_text_was_issued_is_metadata_but_who_proposes_a_task_is_not(qa):
    assert "metadata" in qa.analyze("QĐ này được ban hành theo đề xuất của cơ quan nào?").intents
    assert "metadata" not in qa.analyze("Nếu thuê chuyên gia nước ngoài thì đơn vị nào đề xuất?").intents


def test_which_official_signed_asks_for_the_signer(qa):
    assert "metadata" in qa.analyze("When did the decision take effect, and which Phó Chủ tịch signed it?").intents


@pytest.mark.parametrize(
    "question,point", [("Điểm đ khoản 2 Điều 6 quy định gì?", "đ"), ("diem d khoan 2 dieu 6", "d")]
)
def test_point_dd_is_not_point_d(qa, question, point):
    assert qa.analyze(question).point == point


def test_a_chat_typed_question_is_embedded_as_a_question_is_written(qa):
    """Lower case without a question mark: the embedder reads it with a capital and a question mark (the extra
    questions' lower-case variant: first cited article changed for 28 -> 17 of them, with the any-case abbreviations)."""
    from index.retrieval.analysis import sentence_shape

    assert sentence_shape("which agency leads") == "Which agency leads?"
    assert sentence_shape("Which agency leads?") == "Which agency leads?"
    assert sentence_shape("  cơ quan nào chủ trì ạ.") == "Cơ quan nào chủ trì ạ."
    assert qa.analyze("which agency leads foreign press work").dense_text.endswith("work?")


@pytest.mark.parametrize(
    "question,types",
    [
        (
            "What is the Department of Finance responsible for under the province's 2026-2030 plan to train staff?",
            ["ke hoach"],
        ),
        ("Theo kế hoạch này, Sở Tài chính phải làm gì?", ["ke hoach"]),
        ("Under Plan 141, what must the Department of Finance do?", []),  # named by number: an explicit document
        ("Các sở phải xây dựng kế hoạch gì?", []),  # a plan to make is a task, not the text asked about
        ("Which directive asks communes to post procedures online?", ["chi thi"]),
    ],
)
def test_a_document_type_named_without_a_number_is_read(qa, question, types):
    assert qa.analyze(question).named_types == types


@pytest.mark.parametrize(
    "question,lead",
    [
        # the agency asked for is the partner: no lead role asked
        ("so van hoa the thao du lich phoi hop voi co quan nao de xay dung bo du lieu", False),
        ("The provincial office works together with which department to manage foreign reporters?", False),
        # a lead role asked beside the partner
        ("Which bodies carry it out, which coordinate, and when?", True),
        ("Cơ quan nào chủ trì, cơ quan nào phối hợp?", True),
    ],
)
def test_which_agency_in_a_coordination_question_asks_for_the_partner(qa, question, lead):
    asked = qa.analyze(question)
    assert "coordinate" in asked.intents and ("lead" in asked.intents) is lead


def test_an_ai_assistant_is_no_coordination(qa):
    assert "coordinate" not in qa.analyze("Who launches the legal AI assistant for officials?").intents


def test_an_english_clipping_is_read_written_out(qa):
    """ "info" is "information": the glossary's "foreign information" term reaches BM25."""
    assert (
        "thông tin đối ngoại"
        in qa.analyze("Which anniversary does the foreign info plan ask agencies to publicise?").lexical_query
    )


@pytest.mark.parametrize(
    "question,section",
    [
        ("Mục III (Kinh phí) của kế hoạch quy định thế nào?", "III"),
        ("What does section II of the plan say?", "II"),
        # a task inside the section: searched, not looked up whole
        ("Plan appendix, section V: who is responsible for handling false maps, and who helps?", None),
        ("Phụ lục II của nghị quyết quy định gì?", None),  # an appendix, not a section
    ],
)
def test_a_top_level_section_named_alone_is_looked_up_when_asked_about_itself(qa, question, section):
    assert qa.analyze(question).section == section


def test_an_unaccented_question_with_a_spelled_out_abbreviation_is_read_unaccented(qa):
    asked = qa.analyze("theo QD 10/2018 co quan nao chu tri quan ly phong vien nuoc ngoai")
    assert not asked.accented and "cơ quan nào chủ trì" in asked.dense_text
