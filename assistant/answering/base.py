"""The composer contract: question + analysis + search result → a composed answer with citations.

An LLM-backed composer (e.g. through llama-index) can implement ``Composer`` later; the service verifies every
citation of whatever a composer returns before it leaves the process.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from assistant.schemas import Citation
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import SearchResult


class ComposedAnswer(BaseModel):
    """A composer's output, before verification: markdown text, citations in the order [1], [2] …"""

    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Composer(Protocol):
    def compose(self, question: str, analysis: QueryAnalysis, search: SearchResult) -> ComposedAnswer: ...
