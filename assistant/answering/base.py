"""The composer contract: question + analysis + search result → a composed answer with citations.

An LLM-backed composer (e.g. through llama-index) can implement ``Composer`` later; the service verifies every
citation of whatever a composer returns before it leaves the process.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, Field

from assistant.schemas import ApplicableDocument, Citation
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import SearchResult


class ComposedAnswer(BaseModel):
    """A composer's output, before verification: markdown text, citations in the order [1], [2] …"""

    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    reference_notes: list[str] = Field(default_factory=list)  # labelled reference data, never corpus citations
    applicable_documents: list[ApplicableDocument] = Field(default_factory=list)


class Composer(Protocol):
    """``context`` (an ``assistant.answering.versions.AnswerContext``) carries the answer's date and the
    documents' statuses on it; composers label cited documents with those statuses."""

    def compose(
        self, question: str, analysis: QueryAnalysis, search: SearchResult, context: Any = None
    ) -> ComposedAnswer: ...


def merge(first: ComposedAnswer, second: ComposedAnswer) -> ComposedAnswer:
    """Two answers as one (a question in two parts): the second's markers [n] renumbered after the first's
    citations, a citation both quote (same unit, same words) kept once."""
    import re

    citations = list(first.citations)
    number: dict[int, int] = {}
    for k, c in enumerate(second.citations, 1):
        same = next((i for i, x in enumerate(citations, 1) if x.id == c.id and x.quote == c.quote), None)
        if same is None:
            citations.append(c)
            same = len(citations)
        number[k] = same
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{number.get(int(m.group(1)), int(m.group(1)))}]", second.answer)
    return first.model_copy(
        update={
            "answer": f"{first.answer}\n\n{text}",
            "citations": citations,
            "warnings": list(dict.fromkeys([*first.warnings, *second.warnings])),
        }
    )
