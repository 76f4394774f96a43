"""What retrieval returns: ranked article-grain ``Hit``s in a ``SearchResult``."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field

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


class MissingReference(BaseModel):
    """A reference the question makes that the documents in scope lack ("Điều 30", "điểm k Mục 1"), and where it was
    looked for: the texts named by number, the plan, or (neither) the text asked about. Worded by the answer's
    language, the reference kept as legal texts write it."""

    reference: str
    texts: str | None = None  # the numbers of the texts looked in, when the question named them
    plan: bool = False  # looked for among a plan's sections

    def vi(self) -> str:
        return f"{self.reference} không có trong {self.texts or ('Kế hoạch' if self.plan else 'văn bản được hỏi')}"

    def en(self) -> str:
        return f"{self.texts or ('the plan' if self.plan else 'the text asked about')} has no {self.reference}"


class SearchResult(BaseModel):
    """The ranking for one question, its analysis, a calibrated confidence and stage timings."""

    query: str
    analysis: QueryAnalysis
    hits: list[Hit]
    confidence: float
    missing: MissingReference | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def not_found(self) -> str | None:
        """What the question names that is not there, in Vietnamese (``regassist search`` prints it)."""
        return self.missing.vi() if self.missing else None
