"""Wording shared by every kind of answer: English glosses, intros and abstentions (status labels: versions).

Quotes stay in Vietnamese as written; English answers gloss Vietnamese agency names in brackets.
"""

from __future__ import annotations

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
    provinces = sorted({d.meta.province for d in corpus.documents.values()})
    if en:
        return "The corpus covers foreign-information regulations and plans of: " + ", ".join(provinces) + "."
    return "Kho văn bản hiện có quy chế, kế hoạch thông tin đối ngoại của: " + ", ".join(provinces) + "."


def abstain(corpus: Corpus, reason_vi: str, reason_en: str, en: bool) -> ComposedAnswer:
    """An abstention, said plainly, with what the corpus does cover."""
    text = (reason_en if en else reason_vi) + " " + coverage_note(corpus, en)
    return ComposedAnswer(answer=text, abstained=True)
