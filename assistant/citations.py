"""Citations: build them from corpus units and verify them before any answer leaves the process."""

from __future__ import annotations

import re

from corpus.store import Corpus, Located
from assistant.schemas import Answer, Citation

SENTENCE_SPLIT = re.compile(r"(?<=[.;:])\s+")


def unit_path(unit_id: str) -> str:
    return unit_id.split("/", 1)[1] if "/" in unit_id else ""


def unit_url(unit_id: str) -> str:
    doc, _, path = unit_id.partition("/")
    return f"/documents/{doc}?hl={path}#{path}" if path else f"/documents/{doc}"


def best_quote(text: str, max_chars: int = 320, prefer: list[str] | None = None) -> str:
    """A verbatim piece of ``text``: the first line (or the sentence holding a preferred term), cut at
    a sentence boundary, never paraphrased."""
    lines = [l for l in text.split("\n") if l.strip()]
    if not lines:
        return text
    chosen = lines[0]
    if prefer:
        from corpus.text import fold

        for line in lines:
            if any(fold(p) in fold(line) for p in prefer):
                chosen = line
                break
    if len(chosen) <= max_chars:
        return chosen
    pieces = SENTENCE_SPLIT.split(chosen)
    out = ""
    for piece in pieces:
        if len(out) + len(piece) + 1 > max_chars and out:
            break
        out = f"{out} {piece}".strip() if out else piece
    if len(out) > max_chars:
        out = out[:max_chars].rsplit(" ", 1)[0]
    return out


def make_citation(loc: Located, quote: str) -> Citation:
    m = loc.document.meta
    return Citation(
        id=loc.id,
        document_id=m.id,
        document_title=m.title,
        document_number=m.number,
        province=m.province,
        status=m.status.value,
        part=loc.part,
        article=loc.article.number if loc.article is not None else None,
        article_title=loc.article.title if loc.article is not None else None,
        clause=loc.clause.number if loc.clause is not None else None,
        point=loc.point.letter if loc.point is not None else None,
        section=loc.section.path if loc.section is not None else (getattr(loc.unit, "path", None)),
        label=loc.unit.label,
        quote=quote,
        url=unit_url(loc.id),
    )


class CitationError(ValueError):
    pass


def verify(answer: Answer, corpus: Corpus) -> Answer:
    """Every citation must resolve and its quote must be a substring of the cited unit's text.
    Raises ``CitationError`` otherwise: such an answer is never emitted."""
    for c in answer.citations:
        loc = corpus.resolve(c.id)
        if loc is None:
            raise CitationError(f"citation {c.id} does not resolve")
        if not c.quote or c.quote not in loc.unit.text:
            raise CitationError(f"quote of {c.id} is not in the unit's text")
        if c.document_id != loc.document.id:
            raise CitationError(f"citation {c.id} names the wrong document")
    if not answer.abstained and not answer.citations:
        raise CitationError("an answer that is not an abstention must cite")
    return answer
