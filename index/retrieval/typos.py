"""One-character slips in a Vietnamese question, corrected against the corpus's own syllables.

A typo ("phong vein", "chu tri" typed "chu tir") breaks the BM25 token and the bigram around it, and the question
falls to the dense side alone. ``TypoCorrector`` knows every folded syllable of the corpus and how often each
pair of neighbours occurs; a question syllable it does not know (four letters or more, no digit) is replaced by
a known syllable one edit away (symspellpy, a maintained SymSpell implementation: deletion-based lookup, fast
on a 10k-word vocabulary), the one that forms the most frequent pair with its neighbours, then the most frequent;
only when the word is not a well-formed Vietnamese syllable (``SYLLABLE_RE``: a real word the corpus happens not
to use, such as "sánh" or "giống", is left alone) and the correction forms a pair the corpus has with a
neighbour (an English word in a mixed question finds none).
Only Vietnamese questions are corrected (an English word is unknown to a Vietnamese vocabulary, not a typo), and
only the analysis's folded text and lexical query change: the question as typed is what is embedded and shown.

Measured on the dev split's typo variant (one character deleted, doubled, swapped or replaced, 176 questions):
see the commit that introduced this module.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from symspellpy import SymSpell, Verbosity

from corpus.text import fold
from index.stores.tokens import TOKEN_RE

MIN_LENGTH = 3  # shorter syllables are one edit away from too many others
# a well-formed Vietnamese syllable once folded: onset, nucleus (with its glides), final consonant. A question
# word that is one ("sanh" of "so sánh", "giong", "tram") is never corrected, even when the corpus lacks it
SYLLABLE_RE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(ieu|yeu|oai|oao|oay|oeo|uoi|uou|uya|uye|uyu|uay|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye"
    r"|a|e|i|o|u|y)(ch|nh|ng|c|m|n|p|t)?$"
)


class TypoCorrector:
    """``TypoCorrector(texts)``; ``correct(folded)`` returns the folded text with unknown syllables corrected."""

    def __init__(self, texts: Iterable[str]):
        self.words: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            tokens = TOKEN_RE.findall(fold(text))
            self.words.update(tokens)
            self.pairs.update(zip(tokens, tokens[1:], strict=False))
        self.spell = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
        for word, count in self.words.items():
            if len(word) >= MIN_LENGTH - 1 and not any(ch.isdigit() for ch in word):
                self.spell.create_dictionary_entry(word, count)

    def _unknown(self, word: str) -> bool:
        return (
            len(word) >= MIN_LENGTH
            and word not in self.words
            and not any(ch.isdigit() for ch in word)
            and not SYLLABLE_RE.match(word)
        )

    def correct(self, folded: str) -> str:
        matches = list(TOKEN_RE.finditer(folded))
        if not any(self._unknown(m.group(0)) for m in matches):
            return folded
        words = [m.group(0) for m in matches]
        out, last = [], 0
        for i, m in enumerate(matches):
            word = words[i]
            if self._unknown(word):
                found = self.spell.lookup(word, Verbosity.ALL, max_edit_distance=1)
                if found:
                    before = words[i - 1] if i > 0 else None
                    after = words[i + 1] if i + 1 < len(words) else None

                    def fit(term: str, before=before, after=after) -> tuple[int, int]:
                        return (self.pairs[(before, term)] + self.pairs[(term, after)], self.words[term])

                    best = max((s.term for s in found), key=fit)
                    if fit(best)[0] > 0:  # the correction makes a pair the corpus has with a neighbour
                        word = best
            out.append(folded[last : m.start()] + word)
            last = m.end()
        out.append(folded[last:])
        return "".join(out)
