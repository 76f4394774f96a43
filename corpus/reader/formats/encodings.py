"""Bytes → text for Vietnamese documents, including the legacy 8-bit encodings still found in provincial files.

Order of decisions (each measured on hand-built samples in tests/unit/corpus/test_encodings.py):

* A BOM decides: UTF-8-SIG, UTF-16 LE/BE, UTF-32 LE/BE.
* UTF-16 without a BOM is recognised by its NUL bytes (one byte of each pair is 0 for ASCII): ≥ 30 % NUL
  bytes at odd (LE) or even (BE) offsets in the first 4 KB.
* Other NUL bytes, or a known binary signature (PDF, ZIP, OLE2 .doc, PNG, JPEG, GIF, ELF), mean a binary
  file: refused by the caller.
* Valid UTF-8 is taken as is, unless it *reads* as TCVN3 or VNI text pasted into Unicode (for instance
  "Céng hoµ x· héi chñ nghÜa ViÖt Nam"): those are converted when the conversion makes the text more
  Vietnamese (see ``vietnamese_score``).
* Otherwise the 8-bit candidates Windows-1258, TCVN3 (ABC, the ``.VnTime`` fonts) and VNI (``VNI-Times``)
  are each decoded and scored; the best wins when its score clears ``MIN_SCORE``; if none does the text is
  refused with the encodings tried.

``vietnamese_score`` is the share of words that are among the 120 most frequent Vietnamese words of
administrative texts (list in ``COMMON_WORDS``): real Vietnamese text scores 0.25–0.45, a wrong decoding
of the same bytes < 0.05.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

MIN_SCORE = 0.08

COMMON_WORDS = frozenset(
    """của và các được theo quy định ngày tháng năm điều quyết nhân dân trong thực hiện việc này có cho với
    không người những một tỉnh phố số về tại là đến từ khi đã sẽ phải bộ sở ban hành chính phủ ủy hội đồng
    tổ chức cơ quan đơn vị cán công thông tin kế hoạch chương trình nhà nước pháp luật văn bản trách nhiệm
    chủ trì phối hợp báo cáo quản lý hoạt động xây dựng triển khai kiểm tra đối với trên địa bàn xã phường
    khoản điểm mục phần lực hiệu căn cứ đề nghị giám đốc thủ trưởng cấp hướng dẫn đảm bảo nội dung như sau
    yêu cầu nhiệm vụ giải pháp thời gian kinh phí ngân sách dịch vụ hồ sơ cá tịch thành lập ý kiến hoặc
    nếu""".split()
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def vietnamese_score(text: str, sample: int = 20000) -> float:
    words = _WORD.findall(unicodedata.normalize("NFC", text[:sample]).lower())
    if not words:
        return 0.0
    return sum(1 for w in words if w in COMMON_WORDS) / len(words)


# ---- TCVN3 (ABC, TCVN 5712:1993 VN3) -------------------------------------------------------------------
# byte (as the Windows-1252 character a Unicode editor shows) → Vietnamese letter; lower-case letters and
# the seven upper-case base letters. Upper-case toned letters use the same codes in the ``.VnTimeH`` fonts,
# so an all-capitals word is upper-cased after conversion.
_TCVN3 = {
    "µ": "à",
    "¸": "á",
    "¶": "ả",
    "·": "ã",
    "¹": "ạ",
    "¨": "ă",
    "»": "ằ",
    "¾": "ắ",
    "¼": "ẳ",
    "½": "ẵ",
    "Æ": "ặ",
    "©": "â",
    "Ç": "ầ",
    "Ê": "ấ",
    "È": "ẩ",
    "É": "ẫ",
    "Ë": "ậ",
    "®": "đ",
    "Ì": "è",
    "Ð": "é",
    "Î": "ẻ",
    "Ï": "ẽ",
    "Ñ": "ẹ",
    "ª": "ê",
    "Ò": "ề",
    "Õ": "ế",
    "Ó": "ể",
    "Ô": "ễ",
    "Ö": "ệ",
    "×": "ì",
    "Ý": "í",
    "Ø": "ỉ",
    "Ü": "ĩ",
    "Þ": "ị",
    "ß": "ò",
    "ã": "ó",
    "á": "ỏ",
    "â": "õ",
    "ä": "ọ",
    "«": "ô",
    "å": "ồ",
    "è": "ố",
    "æ": "ổ",
    "ç": "ỗ",
    "é": "ộ",
    "¬": "ơ",
    "ê": "ờ",
    "í": "ớ",
    "ë": "ở",
    "ì": "ỡ",
    "î": "ợ",
    "ï": "ù",
    "ó": "ú",
    "ñ": "ủ",
    "ò": "ũ",
    "ô": "ụ",
    "\xad": "ư",
    "õ": "ừ",
    "ø": "ứ",
    "ö": "ử",
    "÷": "ữ",
    "ù": "ự",
    "ú": "ỳ",
    "ý": "ý",
    "û": "ỷ",
    "ü": "ỹ",
    "þ": "ỵ",
    "¡": "Ă",
    "¢": "Â",
    "§": "Đ",
    "£": "Ê",
    "¤": "Ô",
    "¥": "Ơ",
    "¦": "Ư",
}
_TCVN3_TABLE = str.maketrans(_TCVN3)
_TCVN3_REVERSE = {v: k for k, v in _TCVN3.items()}
_CAPS_WORD = re.compile(r"\S+")


def _upper_caps_words(text: str) -> str:
    def fix(m: re.Match) -> str:
        word = m.group(0)
        ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters) and any(c.islower() for c in word):
            return word.upper()
        return word

    return _CAPS_WORD.sub(fix, text)


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 text (as Windows-1252 characters) → Unicode NFC."""
    return unicodedata.normalize("NFC", _upper_caps_words(text.translate(_TCVN3_TABLE)))


def unicode_to_tcvn3(text: str) -> str:
    """The reverse (lower-case and base upper-case letters), for tests and round trips."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_REVERSE:
            out.append(_TCVN3_REVERSE[ch])
        elif ch.lower() in _TCVN3_REVERSE and ch.isupper():
            out.append(_TCVN3_REVERSE[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


# ---- VNI (VNI-Windows) ------------------------------------------------------------------------------------
# A base letter followed by one modifier character; ơ, ư, đ and the toned i / ỵ are single characters.
_VNI_TONES = {
    "ù": "\u0301",
    "ø": "\u0300",
    "û": "\u0309",
    "õ": "\u0303",
    "ï": "\u0323",
    "Ù": "\u0301",
    "Ø": "\u0300",
    "Û": "\u0309",
    "Õ": "\u0303",
    "Ï": "\u0323",
}
_VNI_CIRC = {
    "â": "",
    "á": "\u0301",
    "à": "\u0300",
    "å": "\u0309",
    "ã": "\u0303",
    "ä": "\u0323",
    "Â": "",
    "Á": "\u0301",
    "À": "\u0300",
    "Å": "\u0309",
    "Ã": "\u0303",
    "Ä": "\u0323",
}
_VNI_BREVE = {
    "ê": "",
    "é": "\u0301",
    "è": "\u0300",
    "ú": "\u0309",
    "ü": "\u0303",
    "ë": "\u0323",
    "Ê": "",
    "É": "\u0301",
    "È": "\u0300",
    "Ú": "\u0309",
    "Ü": "\u0303",
    "Ë": "\u0323",
}
_VNI_SINGLE = {
    "ô": "ơ",
    "ö": "ư",
    "Ô": "Ơ",
    "Ö": "Ư",
    "ñ": "đ",
    "Ñ": "Đ",
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "Í": "Í",
    "Ì": "Ì",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}
_VNI_PAIR = re.compile(r"([aeoAEO])([âáàåãäÂÁÀÅÃÄ])|([aA])([êéèúüëÊÉÈÚÜË])")
_VNI_TONE = re.compile(r"([aeiouyAEIOUYơưƠƯ])([ùøûõïÙØÛÕÏ])")


def vni_to_unicode(text: str) -> str:
    def pair(m: re.Match) -> str:
        if m.group(1):
            return m.group(1) + "\u0302" + _VNI_CIRC[m.group(2)]
        return m.group(3) + "\u0306" + _VNI_BREVE[m.group(4)]

    text = _VNI_PAIR.sub(pair, text)
    text = "".join(_VNI_SINGLE.get(c, c) for c in text)
    text = _VNI_TONE.sub(lambda m: m.group(1) + _VNI_TONES[m.group(2)], text)
    return unicodedata.normalize("NFC", text)


_UNI_TO_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_UNI_TO_VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_UNI_TO_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_UNI_TO_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def unicode_to_cp1258(text: str) -> bytes:
    """Unicode → Windows-1258 bytes (base letters with circumflex, breve or horn precomposed, tones combining)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in d[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in d[1:] if m not in "\u0302\u0306\u031b")
        out.append(unicodedata.normalize("NFC", d[0] + shape) + tones)
    return "".join(out).encode("cp1258")


def unicode_to_vni(text: str) -> str:
    """Unicode → VNI (lower-case output for marks), for tests."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        if not marks or not base.isalpha():
            out.append(ch)
            continue
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
        tone = next((m for m in marks if m in _UNI_TO_VNI_TONE), "")
        if base in "iI" and not shape:
            out.append(_UNI_TO_VNI_I[tone] if tone else base)
        elif base in "yY" and tone == "\u0323":
            out.append("î" if base == "y" else "Î")
        elif shape == "\u0302":
            out.append(base + _UNI_TO_VNI_CIRC[tone])
        elif shape == "\u0306":
            out.append(base + _UNI_TO_VNI_BREVE[tone])
        elif shape == "\u031b":
            out.append(
                ("ô" if base == "o" else "Ô" if base == "O" else "ö" if base == "u" else "Ö")
                + (_UNI_TO_VNI_TONE[tone] if tone else "")
            )
        else:
            out.append(base + (_UNI_TO_VNI_TONE[tone] if tone else ""))
    return "".join(out)


# ---- detection ------------------------------------------------------------------------------------------
BINARY_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or an Office file)",
    b"\xd0\xcf\x11\xe0": "a legacy Office file (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"{\\rtf": "an RTF file",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    converted: bool = False  # a legacy encoding was converted to Unicode


class UndecodableError(ValueError):
    def __init__(self, reason: str, line: int | None = None, hint: str = ""):
        self.reason, self.line, self.hint = reason, line, hint
        super().__init__(reason)


def sniff_binary(data: bytes) -> str | None:
    for sig, what in BINARY_SIGNATURES.items():
        if data.startswith(sig):
            return what
    return None


def _utf16_guess(head: bytes) -> str | None:
    if len(head) < 4:
        return None
    odd = sum(1 for b in head[1::2] if b == 0) / max(1, len(head[1::2]))
    even = sum(1 for b in head[0::2] if b == 0) / max(1, len(head[0::2]))
    if odd >= 0.3 and even < 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _legacy_in_unicode(text: str) -> Decoded | None:
    """TCVN3 / VNI text that was pasted into a Unicode file: convert when it is clearly better."""
    base = vietnamese_score(text)
    if base >= 0.4:
        return None
    best: Decoded | None = None
    best_score = base
    for name, conv in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        converted = conv(text)
        score = vietnamese_score(converted)
        if score >= MIN_SCORE and score > best_score + 0.15:
            best, best_score = Decoded(converted, f"utf-8 ({name} characters)", True), score
    return best


def decode_bytes(data: bytes) -> Decoded:
    """Decode a document's bytes; raises UndecodableError with the reason and what to try."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(unicodedata.normalize("NFC", data.decode(enc)), enc)
            except UnicodeDecodeError as exc:
                raise UndecodableError(
                    f"starts with a {enc} byte-order mark but is not valid {enc} (byte {exc.start})",
                    hint="save the file again as UTF-8",
                ) from None
    guess = _utf16_guess(data[:4096])
    if guess:
        try:
            return Decoded(unicodedata.normalize("NFC", data.decode(guess)), guess)
        except UnicodeDecodeError:
            pass
    what = sniff_binary(data)
    if what:
        raise UndecodableError(f"this is {what}, not a text document", hint="give the file its real extension")
    if b"\x00" in data[:4096]:
        raise UndecodableError(
            "binary file (NUL bytes): not a text document", hint="give a .txt, .md, .html, .docx or .pdf file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        text = unicodedata.normalize("NFC", text)
        return _legacy_in_unicode(text) or Decoded(text, "utf-8")
    best: Decoded | None = None
    best_score = 0.0
    raw = data.decode("cp1252", errors="replace")
    for name, text in (
        ("windows-1258", data.decode("cp1258", errors="replace")),
        ("tcvn3", tcvn3_to_unicode(raw)),
        ("vni", vni_to_unicode(raw)),
    ):
        text = unicodedata.normalize("NFC", text)
        score = vietnamese_score(text)
        if score > best_score:
            best, best_score = Decoded(text, name, True), score
    if best is not None and best_score >= MIN_SCORE:
        return best
    line = data[:first_bad].count(b"\n") + 1
    raise UndecodableError(
        f"not valid UTF-8 (byte {first_bad}) and not Vietnamese text in Windows-1258, TCVN3 or VNI either",
        line=line,
        hint="open it in a word processor and save it as UTF-8 text (or .docx)",
    )
