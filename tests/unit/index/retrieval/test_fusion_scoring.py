"""Fusion, diversification and scoring on hand-built inputs (no model, no index)."""

from __future__ import annotations

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
