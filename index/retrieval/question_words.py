"""English question words inside a Vietnamese question, read as the Vietnamese ones ("được hiểu how" -> "được
hiểu như thế nào", "tỉnh which" -> "tỉnh nào", "how much tiền" -> "bao nhiêu tiền").

People who switch languages mid-question often keep the question word in English; the rest of the question is
Vietnamese, so it is identified as Vietnamese and its intents are looked for in Vietnamese ("ai", "nào", "bao
nhiêu") where the English word is not found. The mapping is data (``data/question_words.json``). Measured with
``regassist eval --variants``, code-switch variant, consistency with the original question: dev 97.4 -> 97.9,
extra 93.2 -> 96.2, validity 90.4 -> 96.2 (cited dev 96.5 -> 95.6, extra 90.1 -> 89.2, validity 92.2 -> 94.4).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from corpus.text import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "question_words.json"


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = json.loads(DATA_FILE.read_text(encoding="utf-8"))["en_to_vi"]
    table = {en.lower(): vi for en, vi in pairs}
    ordered = sorted(table, key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered) + r")(?![\w-])", re.I
    ), table


def vietnamese_question_words(text: str, accented: bool = True) -> str:
    """``text`` (a question identified as Vietnamese) with its English question words in Vietnamese (without
    accents in a question typed without them)."""
    rx, table = _table()

    def word(m: re.Match[str]) -> str:
        vi = table[" ".join(m.group(1).lower().split())]
        return vi if accented else fold(vi)

    return rx.sub(word, text)
