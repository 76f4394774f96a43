"""Wording shared by every kind of answer: English glosses, intros and abstentions (status labels: versions).

Quotes stay in Vietnamese as written; English answers gloss Vietnamese agency names in brackets.
"""

from __future__ import annotations

from collections import Counter

from assistant.answering.base import ComposedAnswer
from corpus.store import Corpus
from index.retrieval.glossary import english_gloss

GENERIC_INTRO_EN = "According to the corpus (quotes in Vietnamese, as written):"
GENERIC_INTRO_VI = "Theo văn bản:"


def gloss(name: str, en: bool) -> str:
    """``name (English gloss)`` in English answers when the glossary knows one; the name alone otherwise."""
    if not en:
        return name
    g = english_gloss(name)
    return f"{name} ({g})" if g else name


def coverage_note(corpus: Corpus, en: bool) -> str:
    """What the corpus holds, from its catalog: how many documents of each type, and whose (provinces, national)."""
    kinds = Counter(d.meta.doc_type or "văn bản" for d in corpus.documents.values())
    listed = ", ".join(f"{n} {kind.lower() if not en else kind}" for kind, n in kinds.most_common())
    provinces = ", ".join(sorted({d.meta.province for d in corpus.documents.values()}))
    if en:
        return f"The corpus holds {len(corpus.documents)} documents ({listed}) of: {provinces}."
    return f"Kho văn bản hiện có {len(corpus.documents)} văn bản ({listed}) của: {provinces}."


def abstain(corpus: Corpus, reason_vi: str, reason_en: str, en: bool) -> ComposedAnswer:
    """An abstention, said plainly, with what the corpus does cover."""
    text = (reason_en if en else reason_vi) + " " + coverage_note(corpus, en)
    return ComposedAnswer(answer=text, abstained=True)
