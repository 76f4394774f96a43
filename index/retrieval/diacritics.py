"""Diacritics restored on a Vietnamese question typed without them, from the corpus's own words.

The embedder reads "quy che thong tin doi ngoai" far less precisely than "quy chế thông tin đối ngoại": on the
metamorphic no-diacritics variant the first cited article changed for 1 question in 17 (BM25 folds accents and
does not care; the dense side does). ``DiacriticRestorer`` knows, for every folded syllable of the corpus, the
written forms it takes and how often, and how often each pair of written forms follows each other; a question
typed without accents is given, by dynamic programming over its words (a bigram model, Viterbi), the sequence of
written forms the corpus makes most likely. Words the corpus never writes are left as typed. Only the text the
embedder reads changes; what is shown is the question as typed.

Measured with ``regassist eval --variants``, no-diacritics variant (every gold question with its accents
removed): dev (151) cited 92.1 -> 94.3, consistency with the original 94.0 -> 97.4; extra (98) consistency
94.9 -> 95.9; validity (44) cited 98.7, consistency 95.5 -> 100. The unaccented gold questions: dev cited
unchanged, one unanswerable one (a building-permit question for a province whose texts are about something
else) no longer abstains: typed with accents it was answered too (confidence 0.39 against the 0.35 threshold);
the dense side now sees both spellings alike. Restoring a question takes ~0.1-0.2 ms.

The corpus states rules and seldom asks: learnt from it alone, "co toi da bao nhieu ngay" came back "cơ tối đa báo
nhiều ngày" and "can xu ly gap" "căn xử lý gặp". The phrases questions are worded with (``data/question_phrases.json``,
each counted 20 times) are learnt too: on the extra questions' no-diacritics variant, the questions whose first cited
article differs from the original's went 14 -> 10 (the extra questions as written: unchanged, 96.1 cited).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

from corpus.text import fold

#: how questions are worded (``data/question_phrases.json``): learnt besides the corpus, which seldom asks anything
PHRASES_FILE = Path(__file__).resolve().parent / "data" / "question_phrases.json"

WORD_RE = re.compile(r"[^\W\d_]+")
#: two words typed without accents inside an English question are read as Vietnamese when the corpus writes them
#: one after the other at least this often ("Nghi dinh", "Phan mem dich vu cong lien thong")
RUN_PAIR_MIN = 2
CANDIDATES = 6  # written forms kept per folded syllable (most frequent first)
PAIR_WEIGHT = 3.0  # a pair of written forms seen together outweighs the forms' own frequency


@lru_cache(maxsize=1)
def question_phrases() -> tuple[str, ...]:
    """The phrases of ``data/question_phrases.json``, each repeated its ``weight`` times (counts for the restorer)."""
    data = json.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    return tuple(phrase for phrase in data["phrases"] for _ in range(int(data.get("weight", 1))))


class DiacriticRestorer:
    """``DiacriticRestorer(texts)``; ``restore(text)`` gives the most likely accented spelling of an unaccented
    Vietnamese text (unchanged when it already has diacritics)."""

    def __init__(self, texts: Iterable[str]):
        forms: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            words = WORD_RE.findall(text.lower())
            forms.update(words)
            pairs.update(zip(words, words[1:], strict=False))
        self.forms: dict[str, list[tuple[str, float]]] = {}
        for form, count in forms.most_common():
            options = self.forms.setdefault(fold(form), [])
            if len(options) < CANDIDATES:
                options.append((form, math.log(count)))
        self.pairs = {p: math.log(1 + c) for p, c in pairs.items() if fold(p[0]) != p[0] or fold(p[1]) != p[1]}
        self.folded_pairs: Counter[tuple[str, str]] = Counter()
        for (a, b), c in pairs.items():
            self.folded_pairs[fold(a), fold(b)] += c

    def written(self, folded: str) -> str:
        """The corpus's most frequent written form of one folded syllable (itself when the corpus lacks it)."""
        options = self.forms.get(folded)
        return options[0][0] if options else folded

    def restore(self, text: str) -> str:
        """An unaccented text as the corpus writes it. Words already written with diacritics (an abbreviation the
        question typed, spelled out: "QD" -> "Quyết định") stay as they are and guide their neighbours."""
        words = list(WORD_RE.finditer(text))
        typed = [m.group(0).lower() for m in words]
        plain = [fold(w) == w for w in typed]  # typed without diacritics: to restore
        if not any(plain):
            return text
        lattice = [self.forms.get(w, [(w, 0.0)]) if bare else [(w, 0.0)] for w, bare in zip(typed, plain, strict=True)]
        # Viterbi over the written forms, the score of a path: the forms' log-frequency + PAIR_WEIGHT x the
        # log-frequency of each adjacent pair (pairs across punctuation count too: questions are short)
        best = [(score, [form]) for form, score in lattice[0]]
        for options in lattice[1:]:
            step = []
            for form, own in options:
                score, path = max(
                    ((s + own + PAIR_WEIGHT * self.pairs.get((p[-1], form), 0.0), p) for s, p in best),
                    key=lambda x: x[0],
                )
                step.append((score, [*path, form]))
            best = step
        chosen = max(best, key=lambda x: x[0])[1]
        out, last = [], 0
        for m, form in zip(words, chosen, strict=True):
            typed = m.group(0)
            form = form.upper() if typed.isupper() and len(typed) > 1 else form
            form = form[:1].upper() + form[1:] if typed[:1].isupper() else form
            out.append(text[last : m.start()] + form)
            last = m.end()
        out.append(text[last:])
        return "".join(out)

    def restore_runs(self, text: str, common: Collection[str] = frozenset()) -> str:
        """Vietnamese typed without accents inside an English question ("Under Nghi dinh 297, which ministry runs the
        Phan mem dich vu cong lien thong?"), accents restored run by run: a run is two or more words that are the
        corpus's syllables, each pair written one after the other in the corpus (``RUN_PAIR_MIN``); a frequent
        English word (``common``: "so", "to", "do", "can") joins a run only capitalised inside the sentence ("So
        Tu phap"). Words with diacritics and everything else stay as typed.

        Measured on the metamorphic no-diacritics variant of the extra questions (an English question loses the
        accents of the Vietnamese names and terms it quotes): English questions whose first cited article differs
        from the original's, 17 -> 2 (all questions 29 -> 14); the extra questions as written: cited 96.1 both,
        one near tie (Điều 1 / Điều 2 of one decision, its "…/QD-UBND" now read "QĐ") lost."""
        words = list(WORD_RE.finditer(text))

        def vietnamese(i: int) -> bool:
            typed = words[i].group(0)
            low = typed.lower()
            if low != fold(low) or low not in self.forms:
                return False
            return low not in common or (typed[:1].isupper() and i > 0)

        runs: list[list[int]] = []
        for i in range(len(words)):
            joined = (
                runs
                and runs[-1][-1] == i - 1
                and not text[words[i - 1].end() : words[i].start()].strip(" -")
                and self.folded_pairs.get((words[i - 1].group(0).lower(), words[i].group(0).lower()), 0) >= RUN_PAIR_MIN
            )
            if not vietnamese(i):
                continue
            if joined:
                runs[-1].append(i)
            else:
                runs.append([i])
        out, last = [], 0
        for run in (r for r in runs if len(r) >= 2):
            start, end = words[run[0]].start(), words[run[-1]].end()
            out.append(text[last:start] + self.restore(text[start:end]))
            last = end
        out.append(text[last:])
        return "".join(out)
