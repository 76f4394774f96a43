"""Metadata read from the text itself: number, place and date, effective date, signer, relations."""

from __future__ import annotations

import re
from datetime import date

from corpus.model import Relation, RelationKind

NUMBER_RE = re.compile(r"Số\s*:?\s*(\d+)\s*/\s*(\d{4})\s*/\s*(QĐ-UBND|KH-UBND)")
PLACE_DATE_RE = re.compile(r"^([A-ZĐ][^\d,]{2,30}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
DATE_WORDS_RE = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
DATE_SLASH_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
DOC_REF_RE = re.compile(
    r"(Luật[^;,]*?(?:số\s*)?\d+/\d{4}/QH\d+|Luật [^;]*?ngày \d{1,2}[^;]*?\d{4}|"
    r"Nghị định(?: số)?\s*\d+/\d{4}/NĐ-CP|Thông tư(?: số)?\s*\d+/\d{4}/TT-[A-Z]+|"
    r"Quyết định(?: số)?\s*\d+/\d{4}/QĐ-(?:UBND|TTg))"
)
REF_NUMBER_RE = re.compile(r"\d+/\d{4}/[A-ZĐ]+-[A-Za-zĐ]+")


def to_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def first_date(text: str) -> date | None:
    m = DATE_WORDS_RE.search(text) or DATE_SLASH_RE.search(text)
    return to_date(*m.groups()) if m else None


def parse_number(text: str) -> str | None:
    m = NUMBER_RE.search(text)
    return f"{m.group(1)}/{m.group(2)}/{m.group(3)}" if m else None


def parse_place_date(lines: list[str]) -> tuple[str | None, date | None]:
    for line in lines:
        m = PLACE_DATE_RE.match(line)
        if m:
            return m.group(1).strip(), to_date(m.group(2), m.group(3), m.group(4))
    return None, None


def parse_effective(article_text: str, issue_date: date | None) -> tuple[date | None, str]:
    """Effective date from 'có hiệu lực … kể từ ngày …' (or 'kể từ ngày ký' = issue date)."""
    m = re.search(r"[^.]*có hiệu lực[^.]*", article_text)
    if not m:
        return None, ""
    sentence = m.group(0).strip()
    if re.search(r"kể từ ngày ký", sentence):
        return issue_date, sentence
    return first_date(sentence), sentence


def parse_signer(trailer: list[str]) -> tuple[str | None, str | None]:
    """Signer's name and capacity from the signature block, when the text shows them."""
    capacity = None
    joined = " ".join(trailer)
    if "PHÓ CHỦ TỊCH" in joined:
        capacity = "Phó Chủ tịch"
    elif re.search(r"\bQ\.\s*CHỦ TỊCH", joined):
        capacity = "Quyền Chủ tịch"
    elif "CHỦ TỊCH" in joined:
        capacity = "Chủ tịch"
    name = None
    for line in trailer:
        words = line.split()
        half = len(words) // 2
        if len(words) % 2 == 0 and words[:half] == words[half:]:  # "Name Name" (signature + typed name)
            words = words[:half]
            line = " ".join(words)
        if (
            2 <= len(words) <= 5
            and all(w[:1].isupper() and not w.isupper() for w in words)
            and not re.search(r"nhận|Văn phòng|Bộ|Sở|Ủy ban|Lưu|Giờ", line)
        ):
            name = line
            break
    return name, capacity


def refs_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in DOC_REF_RE.finditer(text)]


def number_of(ref: str) -> str | None:
    m = REF_NUMBER_RE.search(ref)
    return m.group(0) if m else None


def relations_from_decision(text: str, unit_id: str, effective: date | None) -> list[Relation]:
    """bãi bỏ / thay thế stated in a decision's article."""
    found: list[Relation] = []
    for kind, verb in ((RelationKind.repeals, "Bãi bỏ"), (RelationKind.replaces, "thay thế")):
        for m in re.finditer(verb + r"[^.]*", text, flags=re.IGNORECASE):
            sentence = m.group(0)
            for piece in re.split(r"\svà\s(?=Quyết định)", sentence):
                qm = re.search(r"Quyết định số\s*(\d+/\d{4}/QĐ-UBND)[^;]*?của (?:Ủy ban nhân\s+dân|UBND) tỉnh ([A-ZĐ][\wÀ-ỹ]*(?: [A-ZĐ][\wÀ-ỹ]*)*)", piece)
                if qm:
                    found.append(
                        Relation(
                            kind=kind,
                            target=qm.group(1),
                            target_label=f"QĐ {qm.group(1)} ({qm.group(2)})",
                            evidence=sentence.strip(),
                            evidence_unit=unit_id,
                            effective=effective,
                        )
                    )
    return found


def relations_based_on(preamble: str, unit_id: str, kind: RelationKind = RelationKind.based_on) -> list[Relation]:
    out: list[Relation] = []
    for para in preamble.split("\n"):
        if not para.startswith(("Căn cứ", "Thực hiện")):
            continue
        for ref in refs_in(para):
            out.append(
                Relation(
                    kind=kind,
                    target=number_of(ref) or ref,
                    target_label=ref,
                    evidence=para,
                    evidence_unit=unit_id,
                )
            )
    return out
