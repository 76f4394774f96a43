"""Text normalisation shared by the parsers, the index and the assistant.

* ``nfc``      – Unicode NFC (the corpus mixes composed and decomposed Vietnamese).
* ``fold``     – accent folding for matching: NFC → strip combining marks → ``đ``→``d``, lower-case.
* ``squash``   – collapse all whitespace (incl. NBSP) to single spaces.
* ``clean_markup`` – drop markdown/OCR debris from one source line (see ``corpus.parsing.legal``
  for the list of debris and why each is treated as it is).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_EMPH = re.compile(r"\*{1,3}")
# short italic scribbles left by OCR of hand-writing/signatures: "*J. x*", "*Shh*", "*A*"
_SCRIBBLE = re.compile(r"\s*\*[^*\n]{1,5}\*\s*$")
_TRAILING_MARKS = re.compile(r"\s*[✓✔]\s*$")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    return _WS.sub(" ", text.replace("\xa0", " ")).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent-insensitive, case-insensitive form: 'Sở Ngoại vụ' -> 'so ngoai vu'.

    Memoised: answering folds the same unit texts over and over (45k calls for 120 questions, 5.6 ms of a 25 ms
    answer before)."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return squash(stripped.lower())


def has_diacritics(text: str) -> bool:
    return fold(text) != squash(nfc(text).lower())


def clean_markup(line: str) -> tuple[str, bool]:
    """Clean one raw source line. Returns (text, was_emphasised_heading).

    ``was_emphasised_heading`` is True when the line was a markdown heading (``#``) or was wholly
    wrapped in ``**…**``; the legal parser uses it to tell an article *title* from an article whose
    heading line already carries the body ("Điều 2. Quyết định này có hiệu lực …").
    """
    raw = nfc(line).replace("\xa0", " ").replace("\t", " ")
    stripped = raw.strip()
    heading = bool(_HEADING.match(stripped)) or (
        stripped.startswith("**") and stripped.rstrip().endswith("**") and len(stripped) > 4
    )
    text = _HEADING.sub("", stripped)
    text = _BOOKMARK.sub("", text)
    text = _SCRIBBLE.sub("", text)
    text = _TRAILING_MARKS.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _EMPH.sub("", text)
    return squash(text), heading
