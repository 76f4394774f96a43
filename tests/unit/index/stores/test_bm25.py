"""The BM25 store: a saved index loads with the same ids and scores, its tokens shared strings."""

from __future__ import annotations

from index.stores.bm25 import LexicalIndex

TEXTS = [
    "Sở Tư pháp chủ trì, phối hợp với các cơ quan liên quan",
    "Ủy ban nhân dân cấp huyện phối hợp thực hiện",
    "Phóng viên nước ngoài hoạt động báo chí",
]


def test_saved_index_loads_with_the_same_scores(tmp_path):
    built = LexicalIndex.from_texts(["a", "b", "c"], TEXTS)
    built.save(tmp_path / "bm25.json")
    loaded = LexicalIndex.load(tmp_path / "bm25.json")
    assert loaded.ids == built.ids and loaded.tokens == built.tokens and loaded.vocab == built.vocab
    for query in ("sở tư pháp chủ trì", "phối hợp", "phóng viên", "không có gì"):
        assert loaded.scores(query).tolist() == built.scores(query).tolist()


def test_loaded_tokens_are_one_string_each(tmp_path):
    LexicalIndex.from_texts(["a", "b", "c"], TEXTS).save(tmp_path / "bm25.json")
    first, second = LexicalIndex.load(tmp_path / "bm25.json"), LexicalIndex.load(tmp_path / "bm25.json")
    seen: dict[str, str] = {}
    for toks in first.tokens:
        for t in toks:
            assert seen.setdefault(t, t) is t  # a token repeated in the build is one object
    # a second load (the next build a server swaps in) reuses the strings instead of allocating them again
    assert all(a is b for x, y in zip(first.tokens, second.tokens) for a, b in zip(x, y))
