"""One-character slips in a Vietnamese question, corrected against the corpus's own syllables.

A typo ("phong vein", "chu tri" typed "chu tir") breaks the BM25 token and the bigram around it, and the question
falls to the dense side alone. ``TypoCorrector`` knows every folded syllable of the corpus and how often each
pair of neighbours occurs; a question syllable it does not know (four letters or more, no digit) is replaced by
a known syllable one edit away (symspellpy, a maintained SymSpell implementation: deletion-based lookup, fast
on a 10k-word vocabulary), the one that forms the most frequent pair with its neighbours, then the most frequent;
only when the word is not a well-formed Vietnamese syllable (``SYLLABLE_RE``: a real word the corpus happens not
to use, such as "sánh" or "giống", is left alone) and the correction forms a pair the corpus has with a
neighbour (an English word in a mixed question finds none).
A Vietnamese question is corrected against the corpus's syllables; the embedder reads the question with the
corrected words written as the corpus writes them (``correct_text``: "đối ngosi" -> "đối ngoại"; a question typed
without accents keeps its corrections unaccented). An English question is corrected by ``EnglishSpeller``
against symspellpy's own English frequency list, leaving names, corpus words and abbreviations alone. What is
shown to the user is always the question as typed.

Measured with the metamorphic typo variant (one character deleted, doubled, swapped or replaced; ``regassist eval
--variants``), against Vietnamese-only correction of the folded text: dev (236 questions) cited 92.1 -> 93.7,
consistency with the original 93.6 -> 96.2; extra (152) cited 81.2 -> 85.2, consistency 90.8 -> 96.7; the
original questions' answers unchanged (no gold question was "corrected").

The corpus states rules and seldom asks: "bao nhiêu" is rarely in it, so "bao nhiru tiền" found no pair to correct
by and the question lost its "how much". The question phrases the diacritic restorer learns
(``data/question_phrases.json``) are learnt here too: extra typo variant, questions whose first cited article
differs from the original's 36 -> 31; the extra questions as written unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable

from symspellpy import SymSpell, Verbosity

from corpus.text import fold
from index.stores.tokens import TOKEN_RE

MIN_LENGTH = 3  # shorter syllables are one edit away from too many others
#: an unknown word whose only correction pairs with no neighbour is corrected when that word is this frequent
UNPAIRED_MIN_COUNT = 100
WORD_RE = re.compile(r"[^\W\d_]+")  # a word as written (letters, with their diacritics)
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

    def correct_text(self, text: str, written: Callable[[str], str] = lambda folded: folded) -> str:
        """``text`` (as typed, accented or not) with the words ``correct`` changes replaced by ``written(the
        correction)``, the corpus's written form of it (``DiacriticRestorer.written``): what the embedder reads
        ("thông tin đối ngosi" -> "… đối ngoại")."""
        words = list(WORD_RE.finditer(text))
        folded = [fold(m.group(0)) for m in words]
        corrected = TOKEN_RE.findall(self.correct(" ".join(folded)))
        if len(corrected) != len(folded):
            return text
        accented = fold(text) != text.lower()  # a question typed without accents keeps its corrections so
        out, last = [], 0
        for m, before, after in zip(words, folded, corrected, strict=True):
            if before != after:
                form = written(after) if accented else after
                out.append(text[last : m.start()] + (form[:1].upper() + form[1:] if m.group(0)[:1].isupper() else form))
                last = m.end()
        out.append(text[last:])
        return "".join(out)

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
                    elif len(found) == 1 and self.words[best] >= UNPAIRED_MIN_COUNT:
                        # no Vietnamese syllable, one frequent word a slip away and no neighbour to pair with ("Đềiu
                        # 40 …": the next word is a number): that word
                        word = best
            out.append(folded[last : m.start()] + word)
            last = m.end()
        out.append(folded[last:])
        return "".join(out)


# ----------------------------------------------------------------------------------------------- English

ENGLISH_DICTIONARY = "frequency_dictionary_en_82_765.txt"  # shipped inside symspellpy (word, corpus count)
#: English words this frequent (about 1,300: "the", "so", "to", "can", "do", "an", "la") are read as English when a
#: Vietnamese word typed without accents could be them too (``DiacriticRestorer.restore_runs``)
ENGLISH_COMMON_COUNT = 50_000_000
ENGLISH_TARGET_COUNT = 300_000  # corrections go to words at least this frequent (37,485 words, ~30 MB)


class EnglishSpeller:
    """One-character slips in an English question ("inormation", "udner", "sigmed"), corrected to frequent
    English words with symspellpy's own English frequency dictionary.

    A word is left alone when it is a known English word (the whole 82,765-word list), in the glossary's English
    vocabulary, a word of the corpus once folded (Vietnamese words typed without accents: "tinh", "xa",
    "phuong"), a well-formed Vietnamese syllable, written with diacritics, an abbreviation in capitals, shorter
    than four letters, or has a digit; otherwise it is replaced by the most frequent word one edit away, if any.
    """

    def __init__(self, known: Iterable[str] = ()):
        from importlib.resources import files

        self.known: set[str] = {w.lower() for w in known}
        self.common: set[str] = set()  # the most frequent English words ("the", "so", "to", "can", "do" …)
        self.spell = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
        with (files("symspellpy") / ENGLISH_DICTIONARY).open(encoding="utf-8") as lines:
            for line in lines:
                word, count = line.split()
                self.known.add(word)
                if int(count) >= ENGLISH_COMMON_COUNT:
                    self.common.add(word)
                if int(count) >= ENGLISH_TARGET_COUNT and len(word) >= MIN_LENGTH:
                    self.spell.create_dictionary_entry(word, int(count))

    def _suspect(self, word: str, corpus_words: Collection[str]) -> bool:
        low = word.lower()
        return (
            len(word) >= 4
            and low not in self.known
            and not (word.isupper() and len(word) <= 6)
            and low == fold(low)  # written with diacritics: a Vietnamese word
            and low not in corpus_words
            and not SYLLABLE_RE.match(low)
        )

    def correct(self, text: str, corpus_words: Collection[str] = frozenset()) -> str:
        out, last = [], 0
        for m in WORD_RE.finditer(text):
            word = m.group(0)
            if not self._suspect(word, corpus_words):
                continue
            found = self.spell.lookup(word.lower(), Verbosity.TOP, max_edit_distance=1)
            if not found:
                continue
            new = found[0].term
            out.append(text[last : m.start()] + (new[:1].upper() + new[1:] if word[:1].isupper() else new))
            last = m.end()
        out.append(text[last:])
        return "".join(out)
