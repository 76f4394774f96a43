"""Follow-up resolution and conversation state on hand-built turns (no model, no index)."""

from __future__ import annotations

import pytest

from assistant.conversation import Conversation, ConversationStore, Turn, renumber, resolve_follow_up
from index.retrieval.analysis import QueryAnalyzer


@pytest.fixture(scope="module")
def analyzer(corpus):
    return QueryAnalyzer(corpus)


def _two_provinces(corpus):
    names = sorted({d.meta.province for d in corpus.documents.values() if d.meta.status.value == "in_force"})
    return names[0], names[1]


def test_new_province_reasks_previous_question(corpus, analyzer):
    first, second = _two_provinces(corpus)
    docs = [d.id for d in corpus.documents.values() if d.meta.province == first]
    conv = Conversation(
        turns=[
            Turn(
                question=f"Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở {first}?",
                resolved=f"Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở {first}?",
                documents=docs,
                provinces=[first],
            )
        ]
    )
    question = f"Còn {second} thì sao?"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.note == "scope"
    assert second in follow.question and first not in follow.question
    assert all(corpus.get(d).meta.province == second for d in follow.documents)


def test_anaphora_inherits_scope_and_focus(corpus, analyzer):
    first, _ = _two_provinces(corpus)
    doc = next(d for d in corpus.documents.values() if d.meta.province == first)
    conv = Conversation(
        turns=[Turn(question="q", resolved="q", documents=[doc.id], provinces=[first], articles=[f"{doc.id}/x"])]
    )
    question = "Văn bản đó còn hiệu lực không?"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.documents == [doc.id] and follow.article == f"{doc.id}/x"


def test_standalone_question_is_not_a_follow_up(corpus, analyzer):
    first, _ = _two_provinces(corpus)
    conv = Conversation(turns=[Turn(question="q", resolved="q", documents=[], provinces=[])])
    question = (
        "Theo quy chế quản lý hoạt động thông tin đối ngoại, cơ quan nào chịu trách nhiệm tổng hợp báo cáo "
        f"định kỳ hằng năm gửi Ủy ban nhân dân tỉnh {first} và thời hạn gửi là khi nào?"
    )
    assert resolve_follow_up(question, conv, analyzer.analyze(question), corpus) is None
    assert resolve_follow_up("Còn thì sao?", None, analyzer.analyze("Còn thì sao?"), corpus) is None


def _one_turn(corpus, question):
    doc = next(iter(corpus.documents.values()))
    return doc, Conversation(turns=[Turn(question=question, resolved=question, documents=[doc.id], provinces=[])])


def test_renumbered_follow_up_asks_the_previous_question_for_the_new_number(corpus, analyzer):
    doc, conv = _one_turn(corpus, "Mục tiêu tỷ lệ doanh nghiệp ứng dụng công nghệ số đến hết năm 2030 là bao nhiêu?")
    question = "Còn mốc năm 2040 thì tỷ lệ là bao nhiêu?"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.note == "renumbered" and follow.documents == [doc.id]
    assert follow.question.endswith("đến hết năm 2040 là bao nhiêu?")
    assert renumber("What is the monthly cap for a Level 1 consultant?", "and level 4?") == (
        "What is the monthly cap for a Level 4 consultant?"
    )
    assert renumber("Fees under the 2018 decision?", "and the 2025 one?") is None  # "the" names nothing
    assert renumber("Điều 5 quy định gì?", "Còn khoản 2?") is None  # no number after the same word
    # an outline path alone: the previous path, ending the other way
    assert (
        renumber("Mục IV.3.5 của phụ lục do ai chủ trì?", "what about 3.4?") == "Mục IV.3.4 của phụ lục do ai chủ trì?"
    )
    assert renumber("Mục II.1 nói gì?", "còn II.2?") == "Mục II.2 nói gì?"


def test_a_follow_up_naming_another_path_asks_the_previous_question_for_it_whatever_else_it_says(corpus, analyzer):
    doc, conv = _one_turn(corpus, "In the appendix, who leads the publicity campaign (item III.1)?")
    question = "what about item III.2, on raising awareness of human rights and briefing the press?"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.note == "renumbered"
    assert follow.question == "In the appendix, who leads the publicity campaign (item III.2)?"


def test_elliptic_follow_up_is_searched_with_the_previous_question_but_keeps_its_intents(corpus, analyzer):
    doc, conv = _one_turn(corpus, "What is the web address of the notarization database?")
    question = "Who gets the top-level admin account for it?"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.note == "elliptic" and follow.own_intents
    assert follow.question.startswith(question) and "notarization database" in follow.question
    question = "Is it still in force?"  # about the text itself: inherits the scope, not a new search
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.note == "inherit" and follow.question == question


def test_conversation_is_immutable_bounded_and_serialisable():
    conv = Conversation()
    for n in range(5):
        conv = conv.with_turn(Turn(question=str(n), resolved=str(n), documents=[], provinces=[]), max_turns=3)
    assert [t.question for t in conv.turns] == ["2", "3", "4"]
    assert Conversation.model_validate_json(conv.model_dump_json()) == conv


def test_store_keeps_conversations_by_id_and_drops_the_oldest():
    store = ConversationStore(max_conversations=2)
    for cid in ("a", "b", "c"):
        store.put(cid, store.get(cid).with_turn(Turn(question=cid, resolved=cid, documents=[], provinces=[])))
    assert store.get(None) is None
    assert store.get("c").turns[0].question == "c"
    assert store.get("a").turns == []  # dropped, starts afresh


def test_a_long_follow_up_for_another_version_moves_to_it_and_keeps_the_topic(corpus, analyzer):
    drafts = [d for d in corpus.documents.values() if d.meta.status.value == "draft"]
    if not drafts:
        pytest.skip("no draft in the corpus")
    draft = drafts[0]
    issued = next(d for d in corpus.documents.values() if d.meta.province == draft.meta.province and d.id != draft.id)
    first = "Which agency leads the management of foreign press delegations under the decision?"
    conv = Conversation(
        turns=[Turn(question=first, resolved=first, documents=[issued.id], provinces=[issued.meta.province])]
    )
    question = "and under the draft — is it still the same department, and who does it work with?"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.documents == [draft.id] and follow.own_intents
    assert follow.question.startswith(question) and first in follow.question  # "it": the previous topic


def test_a_follow_up_about_that_department_with_words_of_its_own_is_not_a_status_question(corpus, analyzer):
    doc = next(iter(corpus.documents.values()))
    conv = Conversation(
        turns=[Turn(question="q", resolved="q", documents=[doc.id], provinces=[], articles=[f"{doc.id}/x"])]
    )
    question = "so do phai xay dung nhung san pham thong tin doi ngoai gi"
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.article == f"{doc.id}/x" and follow.own_words > 2


@pytest.mark.parametrize(
    "question",
    [
        "Vậy nếu chuyên gia chỉ làm vài tiếng trong ngày, chưa đủ một ngày công, thì tiền công được tính như thế nào?",
        "What if the expert only works a few hours on one day, less than a full day, how is the pay worked out then?",
        "Thế trong quá trình thực hiện thông tư này mà có vướng mắc thì phản ánh về cơ quan nào để được giải đáp?",
        "the neu chi thue chuyen gia do lam vai ngay, chua du 6 ngay thi tinh tien the nao",
        "During the implementation of this circular, if there are problems, where should the agencies report them?",
        # "thế sở đó …" typed without accents
        "the so do phai tong hop bao cao uy ban nhan dan va bo chu quan truoc ngay nao trong nam",
    ],
)
def test_a_long_turn_opening_like_a_follow_up_keeps_the_conversations_texts(corpus, analyzer, question):
    first, _ = _two_provinces(corpus)
    docs = [d.id for d in corpus.documents.values() if d.meta.province == first]
    conv = Conversation(turns=[Turn(question="q", resolved="q", documents=docs, provinces=[first])])
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.documents == docs


@pytest.mark.parametrize(
    "last,question",
    [
        # the last question, for another case
        (
            "Khi tra cứu thấy tài sản đang có thông tin ngăn chặn thì phải xử lý thế nào?",
            "Còn nếu chỉ là thông tin cảnh báo rủi ro thì sao?",
        ),
        # only what the last answer's task has (15 words, no "it"): who coordinates, by when
        (
            "Nhiệm vụ xây dựng hạ tầng 5G trong khu công nghiệp do cơ quan nào chủ trì?",
            "Vậy cơ quan phối hợp là những ai và thời hạn hoàn thành khi nào?",
        ),
        # ... with no opening word at all: a turn with no topic of its own is about the last one
        (
            "Nhiệm vụ tuyên truyền, phổ biến nghị quyết về xây dựng pháp luật do đơn vị nào chủ trì?",
            "Đơn vị phối hợp là ai và thời gian thực hiện thế nào?",
        ),
    ],
)
def test_a_turn_asking_the_last_question_again_is_searched_with_it(corpus, analyzer, last, question):
    first, _ = _two_provinces(corpus)
    docs = [d.id for d in corpus.documents.values() if d.meta.province == first]
    conv = Conversation(turns=[Turn(question=last, resolved=last, documents=docs, provinces=[first])])
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and last in follow.question and follow.documents == docs


@pytest.mark.parametrize(
    "question",
    [
        "Which of those targets is about bringing in outside talent, and what share of the staff does it aim for?",
        "Trong các mục tiêu đó, mục tiêu nào trong số đó nói về thu hút người tài và đặt tỷ lệ bao nhiêu phần trăm?",
    ],
)
def test_a_long_turn_choosing_among_what_the_last_answer_listed_is_searched_with_it(corpus, analyzer, question):
    last = "What are the main targets of the plan for officials who draft policies and laws?"
    first, _ = _two_provinces(corpus)
    docs = [d.id for d in corpus.documents.values() if d.meta.province == first]
    conv = Conversation(turns=[Turn(question=last, resolved=last, documents=docs, provinces=[first])])
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and last in follow.question and follow.documents == docs
    alone = "Which targets are about bringing in outside talent, and what share of the staff does the plan aim for?"
    assert resolve_follow_up(alone, conv, analyzer.analyze(alone), corpus) is None


@pytest.mark.parametrize(
    "question",
    [
        "ok, and what about the Department of Science and Technology?",
        "Thanks! And what about the Department of Science and Technology?",
        "Cảm ơn, còn Sở Khoa học và Công nghệ thì sao?",
    ],
)
def test_an_acknowledgement_before_a_follow_up_does_not_hide_it(corpus, analyzer, question):
    doc, conv = _one_turn(corpus, "What does the directive ask the Department of Home Affairs to do?")
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.documents == [doc.id]


def test_a_place_starting_like_an_acknowledgement_is_kept():
    from assistant.conversation import ACKNOWLEDGEMENT_RE

    assert ACKNOWLEDGEMENT_RE.sub("", "da nang co quy dinh gi") == "da nang co quy dinh gi"  # Đà Nẵng
    assert ACKNOWLEDGEMENT_RE.sub("", "okay, thanks. and in hue?") == "and in hue?"


@pytest.mark.parametrize(
    "question,part",
    [
        ("and how much of that is for the police security and order certificate?", "the police security and order"),
        ("Trong đó riêng khâu cấp giấy phép karaoke được bao nhiêu ngày?", "khau cap giay phep karaoke"),
        ("con rieng buoc dang ky ho kinh doanh thi bao nhieu ngay", "buoc dang ky ho kinh doanh"),
    ],
)
def test_a_share_of_the_last_answer_is_asked_of_the_article_it_cited(corpus, analyzer, question, part):
    doc = next(iter(corpus.documents.values()))
    article = f"{doc.id}/decision/dieu-6"
    conv = Conversation(
        turns=[
            Turn(
                question="How long does the whole procedure take?",
                resolved="How long does the whole procedure take?",
                documents=[doc.id],
                provinces=[],
                articles=[article],
                units=[f"{article}/khoan-2", f"{doc.id}/decision/dieu-7/khoan-1"],
            )
        ]
    )
    follow = resolve_follow_up(question, conv, analyzer.analyze(question), corpus)
    assert follow is not None and follow.note == "part" and follow.article == article
    assert follow.part is not None and follow.part.startswith(part)
    assert follow.within == [f"{article}/khoan-2", f"{doc.id}/decision/dieu-7/khoan-1"]  # the units it quoted
    assert follow.articles == [article]


def test_a_question_using_rieng_or_trong_do_inside_is_not_a_share_of_the_last_answer():
    from assistant.conversation import PARTITIVE_RE

    assert not PARTITIVE_RE.search("so tu phap co tai khoan rieng khong")
    assert not PARTITIVE_RE.search("ke hoach co bao nhieu nhiem vu, trong do bao nhieu do so chu tri")
    assert PARTITIVE_RE.search("vay rieng khau cong an mat may ngay")


def test_a_turn_with_a_topic_of_its_own_is_not_searched_with_the_last_question(corpus, analyzer):
    first, _ = _two_provinces(corpus)
    docs = [d.id for d in corpus.documents.values() if d.meta.province == first]
    last = "Nhiệm vụ xây dựng hạ tầng 5G trong khu công nghiệp do cơ quan nào chủ trì?"
    conv = Conversation(turns=[Turn(question=last, resolved=last, documents=docs, provinces=[first])])
    other = "Vậy cơ quan nào phối hợp tổ chức hội nghị tập huấn về chuyển đổi số cho doanh nghiệp nhỏ và vừa?"
    follow = resolve_follow_up(other, conv, analyzer.analyze(other), corpus)
    assert follow is None or last not in follow.question


def test_an_english_turn_opening_with_the_is_no_follow_up(corpus, analyzer):
    doc, conv = _one_turn(corpus, "Which department leads foreign information work?")
    question = "The provincial police must report on foreign journalists to which agency and by what date each year?"
    assert resolve_follow_up(question, conv, analyzer.analyze(question), corpus) is None
