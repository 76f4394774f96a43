"""Courtesy stripped before understanding: "Cho tôi hỏi, …", "Could you tell me …", "… ạ", "… please".

People wrap questions in politeness; the wrapper carries no topic, yet it shifted retrieval (its words reach
the embedding, BM25 and the confidence's coverage) and hid a follow-up's shape ("Cho tôi hỏi, còn Cần Thơ thì
sao?" is still "còn Cần Thơ thì sao?"). Measured with ``regassist eval --variants`` on dev (181 questions):
the polite variant cited 89.7 % with 6 wrong abstentions and 91.7 % consistency before this step. The phrases
are data (``data/courtesy.json``), matched accent-insensitively at the start (lead-ins, repeatedly) and the end
(closings) only, on word boundaries, so a question that is nothing but courtesy is left as it is.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from corpus.text import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "courtesy.json"
_SEP = r"[\s,;:!.?\-–—]*"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))

    def alternation(phrases: list[str]) -> str:
        ordered = sorted({fold(p) for p in phrases}, key=len, reverse=True)
        return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)

    lead = re.compile(rf"^{_SEP}(?:{alternation(data['lead_ins'])})\b{_SEP}")
    exact = "|".join(re.escape(p) for p in sorted(data["closings_exact"], key=len, reverse=True))
    close = re.compile(rf"{_SEP}\b(?:{alternation(data['closings'])}){_SEP}$")
    return lead, close, re.compile(rf"(?<=\w)\s+(?:{exact}){_SEP}$")


def strip_courtesy(text: str) -> str:
    """``text`` without leading courtesy phrases and trailing closings (offsets kept from the original text;
    accent folding keeps NFC Vietnamese the same length). A question mark at the end is kept."""
    lead, close, close_exact = _patterns()
    folded = fold(text)
    if len(folded) != len(text):  # a decomposed or unusual text: leave it alone rather than cut wrongly
        return text
    start, end = 0, len(text)
    while m := lead.match(folded, start):
        if m.end() == start or m.end() >= end:
            break
        start = m.end()
    question_mark = text.rstrip().endswith("?")
    while True:
        m = close.search(folded, start, end) or close_exact.search(text, start, end)
        if m is None or m.start() <= start:
            break
        end = m.start()
    core = text[start:end].strip()
    if not core:
        return text
    if question_mark and not core.endswith("?"):
        core += "?"
    return core[0].upper() + core[1:] if text[:1].isupper() and start else core
