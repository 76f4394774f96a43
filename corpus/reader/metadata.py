"""Metadata read from the text: number, place and date, issuer and province, type and title, effective date,
signer, and relations to other documents.

Decisions:

* Number: ``Số: 211/2025/QĐ-UBND``, ``Số 2744/QĐ-UBND``, ``Số: 5 / 2019/QĐ-UBND`` (spaces removed),
  ``Số: 012/CT-UBND`` (leading zero kept, as written). Only the header is searched (a form in an appendix has
  its own ``Số: /BC-…``). A text without a header number takes it from its own appendix line "(Kèm theo
  Nghị định số 297/2025/NĐ-CP ngày 17 tháng 11 năm 2025 …)", and says so in a note.
* Issuer: the issuer cell/lines above the national motto; ``UỶ`` (old accent placement) is written ``Ủy``;
  "ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN" → "Ủy ban nhân dân tỉnh Lạng Sơn". A text without one takes the body the
  signature speaks for ("TM. CHÍNH PHỦ") or the one its type implies (a Nghị định is the Chính phủ's).
* Level: national when the issuer is a central body (Quốc hội, Chính phủ, a Bộ …) or the number's issuer
  code is one (``NĐ-CP``, ``TT-BTP``); the province is then "Toàn quốc".
* Effective date, from the first "… này có hiệu lực …" sentence (else any "có hiệu lực" sentence) of the
  issuing text: an explicit date; "kể từ ngày ký (ban hành)" / "kể từ ngày ban hành" → the signing date;
  "sau N ngày kể từ ngày ký" → signing date + N days; "… và áp dụng từ ngày …" → ``applies_from``. Plans,
  programmes and directives without such a sentence take effect when signed.
* Relations: "Căn cứ …" references → based_on; "Bãi bỏ (toàn bộ) <văn bản>" → repeals; "thay thế
  <văn bản>" → replaces; "… hết hiệu lực …: <văn bản>" → ends; "Sửa đổi, bổ sung … của <văn bản>" and partial
  repeals ("bãi bỏ điểm c khoản 2 Điều 1 …", "thay thế cụm từ …") → amends; "Ban hành kèm theo Quyết định
  này <Quy chế …>" → issues; a plan's "Thực hiện <văn bản>" → implements; "Áp dụng <văn bản> … trên địa bàn
  …" (a text, often a merged predecessor's, applied to a whole new territory) → extends.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from corpus.model import Relation, RelationKind
from corpus.reader import reference
from corpus.text import fold, squash

NUMBER_RE = re.compile(
    r"Số\s*:?\s*(\d+[a-zA-Z]?)\s*/\s*(?:(\d{4})\s*/\s*)?([A-ZĐ][A-Za-zĐđ]*(?:\s*[-–]\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*"
    r"(?:/[A-ZĐ][A-Za-zĐđ0-9&\-]*)*)"
)
PLACE_DATE_RE = re.compile(r"^([A-ZĐ][^\d,]{2,30}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
DATE_WORDS_RE = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
DATE_SLASH_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
MOTTO = "cong hoa xa hoi chu nghia viet nam"
DOC_NUMBER = r"\d+[a-z]?(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9&]*)*(?:/[A-ZĐ][A-Za-zĐđ0-9\-]*)?"
PARTY_NUMBER = r"\d+-[A-Z][A-Za-z]{0,3}/[A-Z]{1,4}"
REF_TYPES = (
    r"Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết liên tịch|Nghị quyết|Thông tư liên tịch|Thông tư|"
    r"Quyết định|Chỉ thị|Kế hoạch|Công văn|Văn bản|Hướng dẫn|Kết luận|Chương trình hành động|Chương trình|Quy định"
)
REF_RE = re.compile(
    rf"(?P<type>{REF_TYPES})(?:\s+số)?\s*:?\s*(?P<number>{DOC_NUMBER}|{PARTY_NUMBER})"
    r"|(?P<law>(?:Bộ luật|Luật)\s[^;,.]*?(?:số\s*\d+/\d{4}/QH\d+|ngày\s+\d{1,2}(?:/\d{1,2}/| tháng \d{1,2} năm )\d{4}))"
)
LEGACY_REF_RE = re.compile(
    r"(Luật[^;,]*?(?:số\s*)?\d+/\d{4}/QH\d+|Luật [^;]*?ngày \d{1,2}[^;]*?\d{4}|"
    r"Nghị định(?: số)?\s*\d+/\d{4}/NĐ-CP|Thông tư(?: số)?\s*\d+/\d{4}/TT-[A-Z]+|"
    r"Quyết định(?: số)?\s*\d+/\d{4}/QĐ-(?:UBND|TTg))"
)
REF_NUMBER_RE = re.compile(r"\d+/\d{4}/[A-ZĐ]+-[A-Za-zĐ]+")
PLACE_OF_RE = re.compile(
    r"của\s+(?:Ủy ban nhân\s+dân|UBND|Uỷ ban nhân dân|Hội đồng nhân dân|HĐND)\s+(?:tỉnh|thành phố|Thành phố|Tỉnh)\s+"
    r"([A-ZĐ][\wÀ-ỹ]*(?: [A-ZĐ][\wÀ-ỹ]*)*)"
)
PARTIAL_OBJECTS = re.compile(
    r"^(điểm|khoản|Điều|cụm từ|một số|các vị trí|quy định|nội dung|Phụ lục|mục|tiểu mục|Bản|chương|Chương|"
    r"các điều|các khoản|các điểm|tên|số thứ tự|từ)\b"
)
VI_NUMBERS = {"mười": 10, "mười lăm": 15, "hai mươi": 20, "ba mươi": 30, "bốn mươi lăm": 45, "sáu mươi": 60}


def to_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def first_date(text: str) -> date | None:
    m = DATE_WORDS_RE.search(text) or DATE_SLASH_RE.search(text)
    return to_date(*m.groups()) if m else None


def normalise_number(num: str, year: str | None, symbol: str) -> str:
    symbol = re.sub(r"\s+", "", symbol).replace("–", "-")
    return f"{num}/{year}/{symbol}" if year else f"{num}/{symbol}"


def parse_number(text: str) -> str | None:
    m = NUMBER_RE.search(text)
    return normalise_number(m.group(1), m.group(2), m.group(3)) if m else None


PLACE_DATE_ANYWHERE_RE = re.compile(
    r"([A-ZĐ][\wÀ-ỹ.]*(?: [A-ZĐ][\wÀ-ỹ.]*){0,4}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
)


def parse_place_date(lines: list[str]) -> tuple[str | None, date | None]:
    """ "Lạng Sơn, ngày 03 tháng 12 năm 2025" at the start of a header line, else anywhere in one (a two-column
    header flattened to one line: "Số: 15/2025/QĐ-UBND   Lạng Sơn, ngày …")."""
    for line in lines:
        m = PLACE_DATE_RE.match(line)
        if m:
            return m.group(1).strip(), to_date(m.group(2), m.group(3), m.group(4))
    for line in lines:
        m = PLACE_DATE_ANYWHERE_RE.search(line)
        if m:
            return m.group(1).strip(), to_date(m.group(2), m.group(3), m.group(4))
    return None, None


def spelling(text: str) -> str:
    """Old accent placement in "Uỷ" → "Ủy" (issuer lines only; unit texts are never changed)."""
    return text.replace("UỶ", "ỦY").replace("Uỷ", "Ủy").replace("uỷ", "ủy")


def title_case_place(name: str) -> str:
    name = squash(name).strip(" -–.,")
    return " ".join(w if w in "-–" else w[:1].upper() + w[1:].lower() for w in name.split(" "))


def canonical_province(name: str) -> str:
    """The province list's spelling of a name read from an issuer line (unknown names are kept as read)."""
    try:
        from corpus.provinces import load_registry

        found = load_registry().lookup(name)
    except Exception:  # the registry is optional reference data
        found = None
    if found is not None and fold(found.name) == fold(name):
        return found.name
    return reference.provinces().get(fold(name), name)


ADMIN_WORDS = ("THÀNH PHỐ", "TỈNH", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU")
ORGAN_HEADS = ("BỘ", "SỞ", "BAN", "CỤC", "TỔNG CỤC", "VỤ", "VIỆN", "TRUNG TÂM", "VĂN PHÒNG", "THANH TRA", "NGÂN HÀNG")


def _organ(caps: str) -> str:
    head = next((h for h in ORGAN_HEADS if caps.startswith(h + " ")), None)
    if head:  # "BỘ TƯ PHÁP" → "Bộ Tư pháp": the organ word, then the name in sentence case
        rest = caps[len(head) + 1 :]
        return head.capitalize() + " " + rest[:1] + rest[1:].lower()
    return caps.capitalize()


def issuer_display(lines: list[str]) -> str:
    """Caps issuer lines → "Ủy ban nhân dân tỉnh Lạng Sơn", "Bộ Tư pháp", "Chính phủ"."""
    text = squash(" ".join(spelling(x) for x in lines if not re.fullmatch(r"[-–_=.\s]*", x)))
    text = re.sub(r"\s*[-–_=]{3,}\s*", " ", text).strip()
    if not text or not text.isupper():
        return text
    m = re.search(r"\b(" + "|".join(ADMIN_WORDS) + r")\s+(\S.*)$", text)
    if not m or m.start() == 0:
        return _organ(text)
    return f"{_organ(text[: m.start()].strip())} {m.group(1).lower()} {title_case_place(m.group(2))}"


def province_of(issuer: str) -> str | None:
    m = re.search(r"\b(?:tỉnh|thành phố|TỈNH|THÀNH PHỐ)\s+(.+)$", issuer)
    if not m:
        return None
    return canonical_province(title_case_place(m.group(1)))


def is_national(issuer_caps: str, number: str | None) -> bool:
    caps = spelling(issuer_caps).upper()
    if caps and re.search(r"\b(TỈNH|THÀNH PHỐ|HUYỆN|XÃ|PHƯỜNG)\b", caps):
        return False
    if caps and any(caps.startswith(n) or f" {n}" in f" {caps}" for n in reference.national_issuers()):
        return True
    if number:
        code = number.rsplit("/", 1)[-1]
        issuer_code = code.split("-", 1)[1] if "-" in code else ""
        return issuer_code in reference.national_symbols()
    return False


def _province_names() -> list[str]:
    try:
        from corpus.provinces import load_registry

        reg = load_registry()
        return [p.name for p in reg.pre_arrangement()] + [p.name for p in reg.current()]
    except Exception:  # the province list is optional reference data
        return []


def sentence_case(title: str, keep: Sequence[str] = ()) -> str:
    """A title in capitals → sentence case, with the given names (provinces, issuer places) restored."""
    if not title or not title.isupper():
        return title
    out = title.capitalize()
    for name in keep:
        if name:
            out = re.sub(re.escape(name.lower()), name, out)
    for name in _province_names():  # "tỉnh quảng bình" → "tỉnh Quảng Bình"
        out = out.replace(f"tỉnh {name.lower()}", f"tỉnh {name}").replace(
            f"thành phố {name.lower()}", f"thành phố {name}"
        )
    # document numbers and abbreviations keep their capitals ("10/2016/QĐ-UBND", "UBND", "(CŨ)" does not)
    keep_tokens = {t for t in title.split() if re.search(r"\d|/", t) or t.strip("(),.;:") in reference.abbreviations()}
    words = out.split(" ")
    originals = title.split(" ")
    if len(words) == len(originals):
        out = " ".join(o if o in keep_tokens else w for w, o in zip(words, originals))
    return out


# ---- effective date ---------------------------------------------------------------------------------------
SUBJECT_RE = re.compile(
    r"(Quyết định|Nghị định|Thông tư|Nghị quyết|Chỉ thị|Kế hoạch|Quy chế|Quy định|Văn bản|Luật)"
    r"(?:\s+này)?\s+có hiệu lực",
    re.IGNORECASE,
)


def _sentences(text: str) -> list[str]:
    return [m.group(0).strip() for m in re.finditer(r"[^.]*có hiệu lực[^.]*", text)]


def parse_effective(article_text: str, issue_date: date | None) -> tuple[date | None, str]:
    """Effective date from one text: 'có hiệu lực … kể từ ngày …' (see module doc)."""
    sentences = _sentences(article_text)
    if not sentences:
        return None, ""
    sentence = next(
        (s for s in sentences if SUBJECT_RE.search(s) and "hết hiệu lực" not in s.split("có hiệu lực")[0]), sentences[0]
    )
    head = sentence.split("áp dụng từ")[0]
    m = re.search(r"sau\s+(?:(\d+)|([a-zà-ỹ ]+?))\s*(?:\((\d+)\)\s*)?ngày\s+kể từ ngày\s+(ký|ban hành)", head)
    if m and issue_date:
        n = int(m.group(1) or m.group(3) or VI_NUMBERS.get((m.group(2) or "").strip(), 0))
        if n:
            return issue_date + timedelta(days=n), sentence
    if re.search(r"(kể từ|từ) ngày (ký|ban hành|thông qua)", head) and not first_date(head):
        return issue_date, sentence
    return first_date(head) or (issue_date if re.search(r"ngày ký|ngày ban hành", head) else None), sentence


def parse_applies_from(text: str) -> date | None:
    m = re.search(r"áp dụng (?:kể )?từ ngày\s+([^.;]*)", text)
    return first_date(m.group(1)) if m else None


# ---- signer -----------------------------------------------------------------------------------------------
def parse_signer(trailer: list[str]) -> tuple[str | None, str | None]:
    """Signer's name and capacity from the signature block, when the text shows them."""
    capacity = None
    joined = " ".join(trailer)
    titles = reference.signer_titles()
    if "PHÓ CHỦ TỊCH" in joined:
        capacity = "Phó Chủ tịch"
    elif re.search(r"\bQ\.\s*CHỦ TỊCH", joined):
        capacity = "Quyền Chủ tịch"
    else:
        caps_lines = [squash(x) for x in trailer if x.isupper() and not re.match(r"^(TM|KT|Q|TL|TUQ)\.", x.strip())]
        for line in reversed(caps_lines):
            key = line.strip(" .:")
            if key in titles:
                capacity = titles[key]
                break
        if capacity is None and "CHỦ TỊCH" in joined:
            capacity = "Chủ tịch"
        if capacity is None:
            for key in sorted(titles, key=len, reverse=True):
                if re.search(rf"(?<![A-ZĐ]){re.escape(key)}\b", joined) and not re.search(
                    rf"\b(?:TM|KT|TL|TUQ)\.\s*{re.escape(key)}", joined
                ):
                    capacity = titles[key]
                    break
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


# ---- relations --------------------------------------------------------------------------------------------
def refs_in(text: str) -> list[str]:
    out = []
    for m in REF_RE.finditer(text):
        out.append(m.group(0).strip())
    return out


def legacy_refs_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in LEGACY_REF_RE.finditer(text)]


def number_of(ref: str) -> str | None:
    m = re.search(DOC_NUMBER, ref) or re.search(PARTY_NUMBER, ref)
    return m.group(0) if m else None


def type_short(ref: str) -> str:
    m = re.match(rf"({REF_TYPES})", ref)
    t = reference.type_by_name(m.group(1)) if m else None
    return t.short if t else ref.split(" ")[0]


def _label(ref_type: str, number: str, after: str) -> str:
    t = reference.type_by_name(ref_type)
    short = t.short if t else ref_type
    pm = PLACE_OF_RE.match(after.strip()) or PLACE_OF_RE.search(after[:160])
    return f"{short} {number}" + (f" ({pm.group(1)})" if pm else "")


def legacy_number_of(ref: str) -> str | None:
    m = REF_NUMBER_RE.search(ref)
    return m.group(0) if m else None


def relations_based_on(preamble: str, unit_id: str, kind: RelationKind = RelationKind.based_on) -> list[Relation]:
    """References in the "Căn cứ …" / "Thực hiện …" paragraphs. A law is kept as written ("Luật … số
    72/2025/QH15"); decrees, circulars and decisions by number; references the first pattern set misses
    (resolutions, party documents, numbers without a year) are added after them."""
    out: list[Relation] = []
    for para in preamble.split("\n"):
        if not para.startswith(("Căn cứ", "Thực hiện")):
            continue
        for ref in legacy_refs_in(para):
            out.append(
                Relation(
                    kind=kind,
                    target=legacy_number_of(ref) or ref,
                    target_label=ref,
                    evidence=para,
                    evidence_unit=unit_id,
                )
            )
        legacy = {legacy_number_of(r) or r for r in legacy_refs_in(para)}
        for ref in refs_in(para):
            target = number_of(ref) or ref
            if target in legacy or any(target in r or r in target for r in legacy) or not re.search(r"\d", ref):
                continue
            legacy.add(target)
            out.append(Relation(kind=kind, target=target, target_label=ref, evidence=para, evidence_unit=unit_id))
    return out


VERBS = (
    (RelationKind.repeals, r"Bãi bỏ"),
    (RelationKind.replaces, r"thay thế"),
)


def _objects(sentence: str) -> list[re.Match]:
    return [m for m in REF_RE.finditer(sentence) if m.group("number")]


def relations_from_decision(text: str, unit_id: str, effective: date | None) -> list[Relation]:
    """bãi bỏ / thay thế / hết hiệu lực / sửa đổi, bổ sung stated in an issuing text's article."""
    found: list[Relation] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: RelationKind, m: re.Match, sentence: str, rest: str) -> None:
        number = m.group("number")
        key = (kind.value, number)
        if key in seen:
            return
        seen.add(key)
        found.append(
            Relation(
                kind=kind,
                target=number,
                target_label=_label(m.group("type"), number, rest),
                evidence=sentence.strip(),
                evidence_unit=unit_id,
                effective=effective,
            )
        )

    for kind, verb in VERBS:
        for vm in re.finditer(verb + r"[^.]*", text, flags=re.IGNORECASE):
            sentence = vm.group(0)
            after_verb = sentence[len(verb) :].lstrip(" ,")
            after_verb = re.sub(r"^((sửa đổi|bổ sung|thay thế|bãi bỏ)[, ]+)+", "", after_verb, flags=re.IGNORECASE)
            after_verb = re.sub(r"^(toàn bộ|các|một phần)\s+", "", after_verb)
            partial = bool(PARTIAL_OBJECTS.match(after_verb))
            if kind == RelationKind.replaces and not partial and not re.match(rf"({REF_TYPES})", after_verb):
                continue  # "thay thế" used about something else ("người thay thế", "văn bản thay thế")
            for m in _objects(sentence):
                if partial:
                    add(RelationKind.amends, m, sentence, sentence[m.end() :])
                elif re.match(
                    r"Quyết định|Nghị định|Thông tư|Nghị quyết|Chỉ thị|Quy định|Kế hoạch|Luật", m.group("type")
                ):
                    add(kind, m, sentence, sentence[m.end() :])
    for em in re.finditer(r"[^.]*\bhết hiệu lực\b[^.]*", text):
        sentence = em.group(0)
        if re.search(r"\bchưa hết hiệu lực\b", sentence):
            continue
        for m in _objects(sentence):
            add(RelationKind.ends, m, sentence, sentence[m.end() :])
    for am in re.finditer(r"(?:^|(?<=[.\n]))\s*(?:\d{1,2}\.\s*)?(?:Sửa đổi|Bổ sung)\b[^.\n]*", text):
        sentence = am.group(0)  # a provision that amends (verb first), not a title that mentions an amendment
        for m in _objects(sentence):
            add(RelationKind.amends, m, sentence, sentence[m.end() :])
    for xm in re.finditer(r"(?:^|(?<=[.\n]))\s*(?:\d{1,2}\.\s*)?(?:Tiếp tục\s+)?[Áá]p dụng\b[^.\n]*", text):
        sentence = xm.group(0)  # "Áp dụng Quyết định số … của UBND tỉnh X trên địa bàn tỉnh Y (mới)"
        if not re.search(r"trên địa bàn|trên phạm vi|cho toàn", sentence):
            continue
        for m in _objects(sentence)[:1]:
            add(RelationKind.extends, m, sentence, sentence[m.end() :])
    order = {
        RelationKind.repeals: 0,
        RelationKind.replaces: 1,
        RelationKind.ends: 2,
        RelationKind.amends: 3,
        RelationKind.extends: 4,
    }
    return sorted(found, key=lambda r: order.get(r.kind, 9))


ISSUES_RE = re.compile(r"Ban hành kèm theo\s+(?:Quyết định|Nghị định|Thông tư|Nghị quyết)\s+này\s+([^.;]+)")


def relation_issues(text: str, unit_id: str) -> list[Relation]:
    m = ISSUES_RE.search(text)
    if not m:
        return []
    what = squash(m.group(1))
    return [
        Relation(
            kind=RelationKind.issues,
            target=what,
            target_in_corpus=False,
            target_label=what,
            evidence=squash(m.group(0)),
            evidence_unit=unit_id,
        )
    ]
