"""Diacritics restored on unaccented Vietnamese from a hand-built corpus (index.retrieval.diacritics)."""

from __future__ import annotations

from index.retrieval.diacritics import DiacriticRestorer

TEXTS = [
    "Sở Ngoại vụ chủ trì quản lý phóng viên nước ngoài hoạt động tại tỉnh Tuyên Quang.",
    "Báo cáo định kỳ gửi trước ngày 15 tháng 12 về Sở Thông tin và Truyền thông.",
    "Cơ quan nào chủ trì? Các cơ quan phối hợp thực hiện báo cáo.",
]


def test_an_unaccented_question_gets_the_corpus_spelling():
    restorer = DiacriticRestorer(TEXTS)
    # "o" is no syllable of this corpus: left as typed
    assert restorer.restore("co quan nao chu tri quan ly phong vien nuoc ngoai o Tuyen Quang?") == (
        "cơ quan nào chủ trì quản lý phóng viên nước ngoài o Tuyên Quang?"
    )
    assert restorer.restore("bao cao gui truoc ngay nao") == "báo cáo gửi trước ngày nào"


def test_pairs_decide_between_spellings_of_one_syllable():
    restorer = DiacriticRestorer(["văn bản", "văn bản", "văn bản", "bản đồ", "mua bán hàng"])
    assert restorer.written("ban") == "bản"  # the most frequent spelling alone
    assert restorer.restore("mua ban hang") == "mua bán hàng"  # after "mua", the pair seen decides
    assert restorer.restore("van ban") == "văn bản"


def test_accented_text_and_unknown_words_are_left_as_typed():
    restorer = DiacriticRestorer(TEXTS)
    assert restorer.restore("Cơ quan nào chủ trì?") == "Cơ quan nào chủ trì?"
    assert restorer.restore("karaoke xyz") == "karaoke xyz"
    assert restorer.restore("UBND tinh Tuyen Quang") == "UBND tỉnh Tuyên Quang"


def test_vietnamese_runs_inside_an_english_question_get_their_accents():
    """ "So Tu phap", "Quy che": two or more corpus syllables the corpus writes one after the other; a frequent English
    word ("so", "do", "to") joins a run only capitalised inside the sentence; single words stay as typed."""
    texts = ["Sở Tư pháp chủ trì.", "Quy chế quản lý cơ sở dữ liệu.", "Sở Tư pháp báo cáo.", "Quy chế này."]
    restorer = DiacriticRestorer(texts)
    common = {"so", "do", "to", "the"}
    assert restorer.restore_runs("What does So Tu phap do under the Quy che?", common) == (
        "What does Sở Tư pháp do under the Quy chế?"
    )
    assert restorer.restore_runs("so tu phap", common) == "so tư pháp"  # sentence-initial "so": English
    assert restorer.restore_runs("Which phap rules apply?", common) == "Which phap rules apply?"  # one word alone
    assert restorer.restore_runs("Does Sở Tư pháp report?", common) == "Does Sở Tư pháp report?"  # accented already


def test_the_phrases_questions_are_worded_with_restore_a_questions_own_words():
    """The corpus states rules and seldom asks: "bao nhiêu", "có … tối đa", "cần … gấp" are learnt from the question
    phrases data file, so an unaccented question's question words come back as a question writes them."""
    from index.retrieval.diacritics import question_phrases

    corpus_text = ["Cơ quan tiếp nhận kiến nghị.", "Cơ quan chủ trì báo cáo nhiều lần.", "Căn cứ Luật; tối đa 05 ngày."]
    alone = DiacriticRestorer(corpus_text)
    assert alone.restore("co quan co toi da bao nhieu ngay") != "cơ quan có tối đa bao nhiêu ngày"
    learnt = DiacriticRestorer([*corpus_text, *question_phrases()])
    assert learnt.restore("co quan co toi da bao nhieu ngay") == "cơ quan có tối đa bao nhiêu ngày"
    assert learnt.restore("can xu ly gap") == "cần xử lý gấp"
    assert learnt.restore("thi tinh tien the nao") == "thì tính tiền thế nào"


def test_words_spelled_out_with_diacritics_stay_and_the_rest_is_restored():
    """An abbreviation typed in an unaccented question ("QD 10/2018 … co quan nao") is spelled out with its accents
    before restoring: those words are kept, the others get the corpus spelling."""
    restorer = DiacriticRestorer(TEXTS)
    assert (
        restorer.restore("Theo Quyết định 10/2018, co quan nao chu tri?")
        == "Theo Quyết định 10/2018, cơ quan nào chủ trì?"
    )
