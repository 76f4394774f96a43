"""Answers that know which rule applies (issue 13), through the real assistant on the shipped corpus.

* a content question whose best match is in a draft leads with the version in force on the answer's date (the
  same comparison-table row) and gives the draft's provision after it, labelled; asked about the draft, the
  draft leads;
* the ``status`` filter applies each document's status on the answer's date, not today's;
* a repeal is answered with the repealing clause and the clause that gives the repealing text effect;
* a text not yet in force on the date asked about names the texts it repeals as the ones still applying.
"""

from __future__ import annotations

from datetime import date

from assistant.schemas import AskRequest

LEAD_QUESTION = "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?"
IN_FORCE = {"in_force", "amended_in_force"}


def test_a_draft_match_is_led_by_the_version_in_force(assistant, corpus):
    answer = assistant.ask(AskRequest(question=LEAD_QUESTION))
    assert not answer.abstained
    first = answer.citations[0]
    assert first.status in IN_FORCE
    assert corpus.get(first.document_id).meta.status.value != "draft"
    drafts = [c for c in answer.citations if c.status == "draft"]
    assert drafts, "the draft's provision on the same point follows, labelled"
    assert answer.citations.index(drafts[0]) > 0
    assert "dự thảo" in answer.answer.split("\n", 1)[1]  # the draft is labelled where it is quoted
    asked = assistant.ask(AskRequest(question="Theo dự thảo, " + LEAD_QUESTION[0].lower() + LEAD_QUESTION[1:]))
    assert asked.citations[0].status == "draft"  # asked about the draft: the draft leads


def test_the_status_filter_uses_the_answers_date(assistant, corpus):
    question = "Quy chế của Bắc Ninh giao cơ quan nào tham mưu quản lý nhà nước về thông tin đối ngoại?"
    on = {}
    for day in (date(2025, 11, 20), date(2025, 12, 15)):
        answer = assistant.ask(AskRequest(question=question, status="in_force", as_of=day))
        on[day] = answer
        assert all(c.status in IN_FORCE for c in answer.citations)
    newest = max(
        (d for d in corpus.documents.values() if d.meta.province == "Bắc Ninh" and d.meta.effective_date),
        key=lambda d: d.meta.effective_date,
    )
    assert newest.meta.effective_date == date(2025, 12, 1)
    assert newest.id not in {c.document_id for c in on[date(2025, 11, 20)].citations}  # not yet in force then
    assert newest.id in {c.document_id for c in on[date(2025, 12, 15)].citations}


def test_a_repeal_cites_the_repealing_clause_and_its_effect(assistant):
    answer = assistant.ask(AskRequest(question="Quyết định 24/2018/QĐ-UBND của Bắc Giang còn hiệu lực không?"))
    assert not answer.abstained and "01/12/2025" in answer.answer
    quotes = [c.quote for c in answer.citations]
    assert any("Bãi bỏ" in q and "24/2018" in q for q in quotes)
    assert any("hiệu lực" in q for q in quotes)


def test_before_its_effect_a_text_names_what_still_applies(assistant):
    answer = assistant.ask(AskRequest(question="Ngày 20/11/2025, Quyết định 68/2025/QĐ-UBND đã có hiệu lực chưa?"))
    assert answer.as_of == date(2025, 11, 20)
    assert "chưa có hiệu lực" in answer.answer
    assert "24/2018" in answer.answer and "30/2018" in answer.answer  # the texts it repeals still apply
    assert any("Bãi bỏ" in c.quote for c in answer.citations)


def test_when_a_draft_takes_effect_is_an_abstention_that_says_why(assistant):
    answer = assistant.ask(AskRequest(question="Dự thảo quy chế thông tin đối ngoại Tuyên Quang khi nào có hiệu lực?"))
    assert answer.abstained and not answer.citations
    assert "dự thảo" in answer.answer and "chưa được ban hành" in answer.answer
    english = assistant.ask(AskRequest(question="When will the Tuyen Quang draft regulation take effect?"))
    assert english.abstained and "draft" in english.answer


def test_a_former_province_now_is_answered_from_its_successors_text(assistant, corpus):
    """Bắc Giang was merged into Bắc Ninh on 01/07/2025: 'after the merger, in former Bắc Giang …' leads with the
    text Bắc Ninh issued since then (in force on the date), not with Bắc Giang's own plan."""
    answer = assistant.ask(
        AskRequest(
            question="Sau sáp nhập, ở địa bàn Bắc Giang cũ, báo cáo kết quả thông tin đối ngoại hằng năm gửi về đâu?"
        )
    )
    assert not answer.abstained
    first = corpus.get(answer.citations[0].document_id).meta
    assert first.province == "Bắc Ninh" and first.issue_date >= date(2025, 7, 1)
    assert any("Bắc Giang" in n and "Bắc Ninh" in n for n in answer.reference_notes)


def test_new_articles_of_a_draft_are_those_no_other_version_has(assistant, corpus):
    answer = assistant.ask(AskRequest(question="Dự thảo quy chế Tuyên Quang có những điều mới nào?"))
    assert not answer.abstained
    draft = next(d for d in corpus.documents.values() if d.meta.status.value == "draft")
    others = [
        d.part("regulation")
        for d in corpus.documents.values()
        if d.meta.source_file == draft.meta.source_file and d.id != draft.id and d.part("regulation")
    ]
    rows = {r for p in others for a in p.articles for r in a.table_rows}
    new = {a.number for a in draft.part("regulation").articles if a.table_rows and not set(a.table_rows) & rows}
    cited = {c.article for c in answer.citations if c.document_id == draft.id}
    assert new and cited == new  # every new article, and only those
    assert any("/ly-do" in c.id for c in answer.citations)  # with the drafters' reason


def test_until_when_for_a_text_without_an_end_date_is_said_plainly(assistant):
    answer = assistant.ask(AskRequest(question="Quyết định 68/2025/QĐ-UBND được áp dụng đến hết ngày nào?"))
    assert answer.abstained and not answer.citations
    assert "không quy định thời hạn" in answer.answer
    english = assistant.ask(AskRequest(question="Until when does Decision 68/2025/QĐ-UBND apply?"))
    assert english.abstained and "sets no end date" in english.answer


def test_a_metadata_answer_cites_what_a_unit_states(assistant, corpus):
    """Signer and date come from the header (no unit holds them); when the text takes effect and on whose
    proposal it was issued are stated by units, and the answer quotes and cites them."""
    doc = next(d for d in corpus.documents.values() if d.meta.effective_date and d.part("decision"))
    question = f"{doc.meta.doc_type} {doc.meta.number} do ai ký, có hiệu lực từ ngày nào và ban hành theo đề nghị của cơ quan nào?"
    answer = assistant.ask(AskRequest(question=question))
    assert not answer.abstained and doc.meta.signer in answer.answer
    by_id = {c.id: c for c in answer.citations}
    effect = [c for c in answer.citations if "hiệu lực" in c.quote and c.document_id == doc.id]
    assert effect, "the clause on effect is quoted"
    proposal = [c for c in answer.citations if c.quote.startswith("Theo đề nghị")]
    assert proposal and proposal[0].document_id == doc.id
    for cid, c in by_id.items():
        assert c.quote in corpus.resolve(cid).unit.text
