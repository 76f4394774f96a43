"""Citations: build them from corpus units and verify them before any answer leaves the process."""

from __future__ import annotations

import math
import re

from assistant.schemas import Answer, Citation
from corpus.store import Corpus, Located


def unit_path(unit_id: str) -> str:
    return unit_id.split("/", 1)[1] if "/" in unit_id else ""


def unit_url(unit_id: str) -> str:
    doc, _, path = unit_id.partition("/")
    return f"/documents/{doc}?hl={path}#{path}" if path else f"/documents/{doc}"


SENTENCE_END_RE = re.compile(r"(?<=[^\d\s][.;:])\s+|(?<=\.\))\s+")


def _spans(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line (offsets), never splitting after a clause number like '2.'."""
    spans, start = [], 0
    for m in SENTENCE_END_RE.finditer(line):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(line)))
    return [(a, b) for a, b in spans if b > a]


def _longest_run(asked: list[str], toks: list[str]) -> int:
    """The length of the longest run of consecutive question words found consecutively in ``toks``."""
    best = 0
    at: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        at.setdefault(t, []).append(i)
    for i in range(len(asked)):
        for j in at.get(asked[i], []):
            n = 0
            while i + n < len(asked) and j + n < len(toks) and asked[i + n] == toks[j + n]:
                n += 1
            best = max(best, n)
    return best


def best_quote(
    text: str, max_chars: int = 450, prefer: list[str] | None = None, query: str | None = None, phrases: bool = True
) -> str:
    """A verbatim piece of ``text`` chosen for the question: the sentence that best matches the
    preferred terms and the question's words, widened with its neighbours up to ``max_chars``.
    Never paraphrased: the result is always a substring of ``text``."""
    from corpus.text import fold

    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return text
    terms = [fold(p) for p in (prefer or [])]
    asked = [w for w in re.findall(r"[a-z0-9/]+", fold(query or "")) if len(w) > 1]
    words = set(asked)
    pairs = {f"{a} {b}" for a, b in zip(asked, asked[1:])} if phrases else set()
    pieces = [(li, a, b) for li, line in enumerate(lines) for a, b in _spans(line)]
    folded = [fold(lines[li][a:b]) for li, a, b in pieces]
    tokens = [re.findall(r"[a-z0-9/]+", f) for f in folded]
    # a word found in every sentence of the unit tells none apart: weigh the question's words by how few
    # sentences hold them (and its word pairs as phrases), so the sentence with the question's own subject wins
    # over one that only repeats the unit's common vocabulary
    df: dict[str, int] = {}
    for toks in tokens:
        for t in set(toks) | {f"{a} {b}" for a, b in zip(toks, toks[1:])}:
            df[t] = df.get(t, 0) + 1
    n = len(pieces)

    def weight(t: str) -> float:
        return math.log(1 + n / df[t]) / math.log(1 + n) if n > 1 else 1.0

    def score(k: int) -> float:
        toks = tokens[k]
        shared = sum(weight(w) for w in words & set(toks))
        paired = sum(weight(p) for p in pairs & {f"{x} {y}" for x, y in zip(toks, toks[1:])})
        run = _longest_run(asked, toks) if phrases else 0  # the question's own phrase, written out
        prefer_hits = sum(t in folded[k] for t in terms)
        return 3.0 * prefer_hits + (shared + paired + (run if run >= 3 else 0)) / (1 + len(words))

    candidates = [(score(k), -li, li, a, b) for k, (li, a, b) in enumerate(pieces)]
    _, _, li, a, b = max(candidates) if (terms or words) else (0, 0, 0, *_spans(lines[0])[0])
    line = lines[li]
    spans = _spans(line)
    k = next(i for i, (x, y) in enumerate(spans) if x == a)
    lo, hi = k, k
    # widen: the clause's opening sentence first (it names who does what), then following ones
    while lo > 0 and spans[hi][1] - spans[lo - 1][0] <= max_chars and lo > k - 1:
        lo -= 1
    while hi + 1 < len(spans) and spans[hi + 1][1] - spans[lo][0] <= max_chars:
        hi += 1
    out = line[spans[lo][0] : spans[hi][1]]
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
    if not answer.abstained and not answer.citations and not answer.reference_notes:
        raise CitationError("an answer that is not an abstention must cite (or give a labelled reference note)")
    return answer
