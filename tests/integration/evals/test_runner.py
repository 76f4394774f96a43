"""Runner, report and baselines on the real index (a few dev questions; the llama-index baseline's chunk → article
mapping is checked on the real document texts without embedding them)."""

from __future__ import annotations

import pytest

from evals.baselines import BM25Baseline, DenseBaseline, _DocMap, document_text
from evals.gold import load_gold

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def few():
    dev = load_gold("dev")
    by_id = {q.id: q for q in dev}
    return [
        by_id[i] for i in ("g001", "g048", "g101", "g150", "g166")
    ]  # lead, en lookup, comparison, unanswerable, follow-up


def test_evaluate_in_process_with_baselines(assistant, few, tmp_path):
    from evals.report import write_report
    from evals.runner import evaluate
    from evals.tables import main_table

    run = evaluate(few, assistant=assistant, baseline_names=("bm25", "dense"))
    assert run.systems == ["regassist", "bm25", "dense"]
    dev = run.splits["dev"]
    sys_ = dev["regassist"]["overall"]["all"]
    assert sys_["retrieval"]["n"] == 4 and sys_["answers"]["n"] == 5
    assert sys_["answers"]["bad_citations"] == 0
    assert dev["bm25"]["overall"]["all"]["answers"] is None
    assert set(dev["regassist"]["language"]) <= {"vi", "en", "vi-unaccented"}
    assert "none" in dev["regassist"]["document"]
    assert {"total", "ask", "search"} <= set(dev["regassist"]["latency"])
    follow = next(r for r in run.records if r.id == "g166" and r.system == "regassist")
    assert follow.ranked and all(i.startswith("hung-yen-29-2019/") for i in follow.ranked[:3])
    table = main_table(run.splits)
    assert "dev" in table and "n/a" in table
    report = write_report(run, tmp_path)
    text = report.read_text()
    assert "split: dev" in text and (tmp_path / "dev-latency.png").stat().st_size > 0
    assert all(q.question not in text for q in few)  # ids and figures only


def test_baselines_return_article_grain_ids(corpus, retriever):
    bm25, dense = (
        BM25Baseline(corpus, retriever.lexical),
        DenseBaseline(corpus, retriever.vectors, retriever.embedder, retriever.manifest.ids),
    )
    for b in (bm25, dense):
        ids = b.search("Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?", 5)
        assert 0 < len(ids) <= 5 and len(set(ids)) == len(ids)
        assert all(corpus.resolve(i).article_id == i for i in ids)
    assert bm25.search("zzzz qqqq", 5) == []


def test_llama_index_document_text_and_chunk_mapping(corpus):
    for doc in corpus.documents.values():
        text, spans = document_text(corpus, doc)
        for start, end, art in spans:
            loc = corpus.resolve(art)
            assert loc is not None and loc.article_id == art
        m = _DocMap(text, spans)
        assert (m.owner >= 0).sum() > 0.95 * len(text)
    doc = corpus.get("bac-ninh-68-2025")
    text, spans = document_text(corpus, doc)
    m = _DocMap(text, spans)
    art11 = corpus.resolve("bac-ninh-68-2025/regulation/dieu-11").unit.text
    start = text.index(art11)
    # a chunk starting 100 chars before Điều 11 and ending inside it: mostly Điều 11, then Điều 10
    assert m.articles(start - 100, start + 400) == [
        "bac-ninh-68-2025/regulation/dieu-11",
        "bac-ninh-68-2025/regulation/dieu-10",
    ]
    plan = corpus.get("bac-giang-69-2024")
    text, spans = document_text(corpus, plan)
    child = corpus.resolve("bac-giang-69-2024/plan/II.6.2").unit.text
    assert text.count(child) == 1  # nested plan sections are not repeated
    at = text.index(child)
    assert m is not None and _DocMap(text, spans).articles(at, at + 200) == ["bac-giang-69-2024/plan/II.6.2"]


def test_index_staleness_is_reported(corpus, retriever):
    from evals.runner import index_staleness

    assert index_staleness(corpus, retriever.manifest) is None
    doctored = retriever.manifest.model_copy(update={"hashes": ["0" * 20] + retriever.manifest.hashes[1:]})
    assert "1 changed" in index_staleness(corpus, doctored)
