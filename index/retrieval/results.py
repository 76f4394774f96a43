"""What retrieval returns: ranked article-grain ``Hit``s in a ``SearchResult``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.retrieval.analysis import QueryAnalysis


class Hit(BaseModel):
    """One citable article / plan section / appendix row, with the finer units that matched."""

    id: str  # article / plan section / appendix row / preamble
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    direct: bool = False
    units: list[str] = Field(default_factory=list)  # matching finer units, best first
    label: str = ""
    doc_id: str = ""


class SearchResult(BaseModel):
    """The ranking for one question, its analysis, a calibrated confidence and stage timings."""

    query: str
    analysis: QueryAnalysis
    hits: list[Hit]
    confidence: float
    not_found: str | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)
