"""The extractive composer: grounded by construction.

Every sentence it states about the corpus is a verbatim quote or a fact read from the document model, each with
its citation. Routing (which kind of answer), selection of hits and units, and quoting live here; validity and
legal-basis answers in ``validity``, agency extraction in ``agencies``, shared wording in ``wording``.

Which version leads (issue 13): a best match in a text that does not apply on the answer's date (a draft, a text
not yet in force or superseded) is preceded by the applicable version's provision on the same point (the same
comparison-table row), unless the question asks for that version; a question about a former province now leads
with the successor's text issued since the merger. Figures: a question asking for a number quotes the unit and
sentence that state it and tries the next ranked hits before saying the corpus does not state it; "mức 5" where
the text numbers levels 1-4 is said plainly. Every citation names the smallest unit that holds its quote.
Measured on the splits (dev / extra / validity, cited): 97.0 / 72.6 / 57.4 before this change set, 96.7 / 82.2 /
96.3 after (dev lost one English definition question to the larger glossary; see the commit log).

What the question asks that the quotes do not state is an abstention, said plainly, not an answer about something
else (issue 11, 2026-12-01): a sum for another thing, a total where only rates are set, a count of another thing,
a date where none is set, a successor where a text only repeals or only the former province's text is here, a
point a section lacks, a header fact the text does not give (``unanswered_part``, ``successor_unstated``,
``metadata_answer``). Abstention recall, dev 89.3 -> 94.6, extra 88.5 -> 90.9, held-out 87.1 -> 90.3 (28 / 31),
with no answer lost on dev, extra or validity and held-out wrongly abstained 1 / 179. Rejected, measured: a higher
confidence floor (0.38: +1 abstention, -2 answers) and a sum asked for a case the sum-stating units never name
(+2, -10).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property

from assistant.answering.agencies import (
    AGENCY,
    agency_key,
    coordinating,
    lead_agency,
    lead_phrase,
    unmentioned_agencies,
)
from assistant.answering.base import ComposedAnswer, merge
from assistant.answering.validity import (
    EXTERNAL_VERBS,
    external,
    legal_basis,
    metadata_answer,
    relations_to,
    unstated_effect,
    validity,
    validity_documents,
)
from assistant.answering.versions import (
    IN_FORCE,
    AnswerContext,
    applicable_answer,
    effect_clause,
    effect_quote,
    status_label,
    wants_applicable,
)
from assistant.answering.wording import GENERIC_INTRO_EN, GENERIC_INTRO_VI, abstain, gloss
from assistant.citations import best_quote, make_citation
from assistant.schemas import Citation
from corpus.provinces import load_registry
from corpus.store import Corpus, Located
from corpus.text import fold, has_diacritics
from index.retrieval.analysis import TEXT_NOUN_RE, QueryAnalysis, document_year
from index.retrieval.glossary import expand_english
from index.retrieval.results import Hit, SearchResult
from index.retrieval.scoring import hits_naming, named_levels
from index.stores.nodes import title_subject
from index.stores.tokens import STOP, lexical_form
from index.stores.tokens import syllables as _syllables

NOT_QUANTITY_RE = re.compile(
    r"(?:số\s+)?\d+/\d{4}/[A-ZĐa-zđ\-]+\d*|(?:số\s+)?\d+/[A-ZĐa-zđ]+-[A-ZĐa-zđ]+\d*|\d{1,2}/\d{1,2}(?:/\d{4})?|\b(?:19|20)\d{2}\b|(?:Điều|khoản|Khoản|điểm|số|Chương)\s+\d+|^\s*\d+\.?\s|\[\d+\]|"
    r"\d{1,2} tháng \d{1,2}|\b\d+-[A-Z]+/[A-Z]+|\d+/[A-Z]+-[A-Z]+"
    r"|(?:\n|[“\"])\s*\d+[.)]\s"  # the number of a khoản an amending text quotes ("“4. Sở Tư pháp …")
)


#: a question about what a text says that also asks from when it holds
EFFECT_ASKED_RE = re.compile(
    r"\b(from|as of|starting|since) (what|which) (date|day)\b|\bsince when\b|\b(tu|ke tu) (ngay|luc|thoi diem) nao\b"
    r"|\btu (khi nao|bao gio)\b|\btake[s]? effect\b|\bco hieu luc\b|\beffective (from|date|since)\b"
)
CONTENT_INTENTS = {"lead", "coordinate", "duties", "list", "definition"}
#: the second hit's share of the first's score above which it is answered too, for a question asking two things
TWO_ASKS_SHARE = 0.5
#: the share above which a same-text hit is a near tie and answered too, for a question asking one thing. Measured
#: (cited extra / dev, English extra): 0.85 96.7 / 96.9, 94.8; 0.7 97.0 / 96.9, 95.2; 0.65 97.1 / 97.1, 95.4 (one
#: answer lost where the second article takes quote room from the first); 0.6 the same; mean citations per answer
#: 3.2 -> 3.7. English ranking between near-tied articles is the weakest link (hit@1 82 against 90+ in Vietnamese):
#: an official is better served by both provisions than by the wrong one alone.
NEAR_TIE_SHARE = 0.65
#: a second question joined to the first in one sentence: ", and which …", "; và cơ quan nào …" (asks_more)
SECOND_QUESTION_RE = re.compile(r"[,;]\s*(?:and|và|va)\s+(?=\w)", re.IGNORECASE)
ASKING_RE = re.compile(r"\b(who|whom|what|which|how|ai|gi|nao|bao nhieu|the nao)\b")
#: a part about the text itself (its effect, its relations, when it applies), that the validity answer gives
EFFECT_OR_RELATION_RE = re.compile(
    r"hieu luc|effect|in force|effective|\bvalid|\bappl(y|ies|ied)\b|ap dung|\bwhen\b|khi nao|ngay nao|\bdate\b"
    r"|repeal|replac|supersed|abolish|revok|rescind|retir|bai bo|thay the|het hieu luc|sign|\bky\b|propos|recommend"
)
#: "which articles are new in the draft", "điều nào mới", "brand-new articles", "that neither … had"
NEW_ARTICLES_RE = re.compile(
    r"\bbrand[- ]new\b|\bnew (articles?|provisions?|departments?)\b|\b(articles?|provisions?) (that|which) neither"
    r"|\bdieu (khoan )?(nao )?moi\b|\b(them|bo sung) (dieu|dieu khoan) moi\b|\bdieu moi\b"
)
#: "until when does it apply", "áp dụng đến hết ngày nào", "when does it expire"
UNTIL_WHEN_RE = re.compile(
    r"\bden (het )?(ngay|khi|thoi diem) nao\b|\bden bao gio\b|\buntil when\b|\bexpire|\bend date\b|\bvalid until\b"
    r"|\bhet hieu luc (vao |tu )?(khi |ngay |thoi diem |luc )?nao\b|\b(cease|stop)s? to (apply|have effect)\b"
    r"|\bhow long (is|will) it (valid|in force|appl)"
)
#: a text that sets its own end: "đến hết ngày 31/12/2030", "áp dụng đến ngày …", "thực hiện đến năm …"
END_DATE_RE = re.compile(
    r"\b(den het ngay|ap dung den|co hieu luc den|thuc hien den het|het hieu luc (ke tu|vao) ngay)\b"
)
#: a date, a period or a time of day, as provisions write them ("trước ngày 15/6", "Quý IV năm 2025", "hằng năm",
#: "Tháng 12/2025", "08 giờ 00", "năm 2045")
WHEN_RE = re.compile(
    r"\d{1,2}/\d{1,2}(/\d{2,4})?|\b[Tt]háng \d{1,2}|\b[Qq]uý [IV]+|\b[Hh][ằà]ng năm\b|\d{1,2} giờ|\bnăm \d{4}|\bngày \d{1,2}"
    r"|\(?\d+\)?\s*(ngày|giờ|tháng|năm)\b"
)
#: a count asked in Vietnamese ("bao nhiêu lớp", "mấy văn bản"), folded: the thing counted is the word after it, and
#: a quote answers only if it counts that thing ("02 lớp", "(03) văn bản"), not if it states another figure ("100%")
COUNT_ASKED_RE = re.compile(r"\b(?:bao nhieu|may)\s+([a-z]+)\b")
#: words after "bao nhiêu" that ask for a sum, a share, a rate or a time, each checked elsewhere (``figure_check``,
#: ``ASKED_UNIT_RE``), or that are no counted thing
NOT_COUNTED = frozenset(
    "tien dong trieu ty nghin ngan phan percent lan ngay gio thang nam tuan phut buoi quy muc la thi con nua nhieu"
    " the so mot moi cho de trong voi vay day a".split()
)


#: a total asked ("tổng kinh phí", "how much in total", "total budget"), folded: a rate per person, month or item
#: ("100.000 đồng/năm cho mỗi cá nhân") is no total
SUM_TOTAL_ASKED_RE = re.compile(
    r"\b(tong (kinh phi|ngan sach|so tien|muc|chi phi|von)|in total|total (budget|cost|amount|funding|sum|spending))\b"
)


def counts(word: str, quote: str) -> bool:
    """Does the quote count ``word`` (folded syllable): a number before it, maybe in brackets ("02 lớp", "(03) lớp",
    "03 (ba) lớp")?"""
    return re.search(rf"\d+\)?\s*(?:\([^)]{{1,12}}\)\s*)?{word}\b", fold(quote)) is not None


#: a question asking for a date itself ("trước ngày nào", "by what date", "hạn chót"), folded: a quote with no date,
#: period or time of day (``WHEN_RE``) does not answer it
DATE_ASKED_RE = re.compile(
    r"\b(ngay nao|han chot|(by|on|before) (what|which) (date|day)|what date|which date|deadline date|due date)\b"
)
#: the sentence around words a question quotes, quoted up to this length
QUOTED_SENTENCE_CHARS = 400
DRAFT_WORDS_RE = re.compile(r"\b(du thao|draft|drafted|sap ban hanh|proposed)\b")
STATUS_QUESTION_RE = re.compile(r"\b(con|chua|nua|still|yet|anymore|any longer|currently|hien nay|hien tai|now)\b")
# a question about a sum of money itself, not a rate: "how much money", "bao nhiêu tiền", "kinh phí … bao nhiêu"
CASH_QUESTION_RE = re.compile(
    r"how much money|bao nhieu tien|so tien|(kinh phi|ngan sach|budget|funding)\b.{0,40}\b(bao nhieu|how much)"
    r"|(bao nhieu|how much)\b.{0,40}\b(kinh phi|ngan sach|budget|funding)\b|\btotal (budget|cost|funding)\b"
    r"|(how much|bao nhieu)\b.{0,40}\b(pay|pays|paid|grant|allowance|subsid\w*|stipend|salary|phu cap|tro cap|luong)\b"
    r"|\b(pay|pays|paid|grant|allowance|subsid\w*|stipend|phu cap|tro cap)\b.{0,80}\b(how much|bao nhieu)"
    r"|\b(bao nhieu|may)\s+(?:(?:trieu|ty|nghin|ngan)\s+)?dong\b|\bhow many (?:(?:million|billion|thousand)\s+)?(?:vnd|dong)\b"
)
# a count of people asked for ("how many staff must each commune assign", "bố trí bao nhiêu cán bộ"): the quote must
# count people, not state any figure (a reporting date, a number of days)
PEOPLE_COUNT_ASKED_RE = re.compile(
    r"\bhow many (staff|people|persons|officials|officers|employees|civil servants|members|reporters|journalists"
    r"|delegates|specialists|experts|workers)\b|\b(bao nhieu|may) (nguoi|can bo|cong chuc|vien chuc|nhan su|bien che"
    r"|thanh vien|dai bieu|chuyen gia|phong vien)\b"
)
PEOPLE_COUNT_RE = re.compile(
    r"\d+\s*%?\s*(?:\(\w+\)\s*)?(?:người|cán bộ|công chức|viên chức|nhân sự|biên chế|thành viên|đại biểu|chuyên gia"
    r"|phóng viên|đồng chí)",
    re.IGNORECASE,
)
# how a figure is worked out ("mức chi theo ngày tính như thế nào", "how is the daily rate calculated"): a formula
# answers it, not only a sum of money
METHOD_QUESTION_RE = re.compile(
    r"\b(tinh|xac dinh) (nhu the nao|the nao|ra sao|bang cach nao)|\bcach (tinh|xac dinh)\b|\bcong thuc\b"
    r"|\bhow (is|are|do|does)\b.{0,80}\b(calculat|comput|work(ed)? out|determin|derived)|\bformula\b"
)
# what comes after a text that was repealed: "giao cho sở nào", "sáp nhập vào sở nào", "văn bản mới", "which new
# decision", "takes over", "merged into" (folded)
SUCCESSOR_ASKED_RE = re.compile(
    r"\b(giao|chuyen|sap nhap|hop nhat|nhap)\b.{0,30}\b(cho|vao|ve|sang)\s+(so|co quan|don vi|ban|phong)\s+nao\b"
    r"|\b(so|co quan|don vi|van ban|quyet dinh)\s+nao\b.{0,30}\b(dam nhan|dam nhiem|tiep nhan|thay the)\b"
    r"|\b(van ban|quyet dinh|quy dinh|chuc nang|nhiem vu)\s+moi\b|\btakes? over\b|\b(merged|folded|absorbed) into\b"
    r"|\bnew (decision|regulation|text|rules|functions|duties|structure|organi[sz]ational)\b|\bsuccessor\b"
    r"|\bnow (handled|done|carried out|performed) by\b|\b(took|taken|taking) over\b"
    r"|\b(which|what) (decision|text|regulation|document|department|agency|body)s?\b.{0,40}\bnow\b"
    r"|\b(duoc )?quy dinh (lai )?(tai|o|trong) (van ban|quyet dinh|thong tu|nghi dinh|nghi quyet) (so may|nao)\b"
    r"|\b(van ban|quyet dinh|so|co quan) nao\b.{0,30}\b(hien nay|bay gio|gio)\b|\b(van ban|quyet dinh) nao moi\b"
)
# a question asking for a rate in percent ("bao nhiêu phần trăm", "tỷ lệ … bao nhiêu", "bao nhiêu %"), folded
PERCENT_QUESTION_RE = re.compile(
    r"phan tram|\bty le\b.{0,60}\bbao nhieu|bao nhieu\s*%|\bpercent(age)?\b|\bwhat (share|proportion)\b"
)
PERCENT_RE = re.compile(r"\d[\d.,]*\s*%|phần trăm", re.I)
#: how many words on each side of a percentage must hold a topic word of the question
RATE_WINDOW = 8
#: the words that ask for a rate or name a text, not what the rate is of (folded syllables)
RATE_QUESTION_WORDS = set(
    "bao nhieu phan tram ty le la gi nao nam dat phai muc tieu chi toi thieu da it nhat co duoc theo quy dinh yeu cau"
    " ke hoach quyet nghi thong tu so va cua cac den het tinh thanh pho xa phuong ubnd hdnd".split()
)
#: the words that ask for a sum or name the paying, not what is paid for (folded syllables)
SUM_QUESTION_WORDS = set(
    "tien dong muc chi phi tra toi thieu da bao nhieu ho tro moi mot tong cong kinh ngan sach khoan duoc nhan"
    " thanh toan cap".split()
)
#: words that carry no topic (folded syllables): a sum's sentence sharing only these with a question is not about it
FUNCTION_WORDS = STOP | set("phuc vu viec lam".split())
#: how many words on each side of a sum must hold a topic word of the question (a sum's sentence is longer: "Chi phí
#: hỗ trợ cho mỗi cá nhân không vượt quá 100.000 đồng/năm, bao gồm … việc ký số …")
SUM_WINDOW = 16
#: relations through which a text of the corpus follows an earlier one
SUCCESSION_KINDS = {"replaces", "inherits", "draft_of"}
# a question asking for a person's name ("người phát ngôn hiện là ai (họ tên, chức vụ)?", "what is the spokesperson's
# full name?"): regulations name roles, not people; a quote naming no one does not answer it
PERSON_NAME_ASKED_RE = re.compile(
    r"\bho (va )?ten\b|\bfull name\b|\b(his|her|their) names?\b|\bname of (the|its|that) (person|official|officer"
    r"|spokes\w+|director|chair\w*|head|leader)\b|\b(nguoi|ong|ba) (do |nay )?ten (la )?gi\b"
)
#: words that open the name of a body or a text, not of a person (a run of capitalised words starting with one of them
#: is an institution: "Sở Văn Hóa …", "Cổng Dịch Vụ …"); lower-cased, accents kept ("Trương" is a surname, "Trường" a
#: school)
INSTITUTION_WORDS = frozenset(
    "sở ủy uỷ ban bộ văn cổng trung hội phòng đài báo cục tổng chi ngân kho quỹ mặt tòa toà viện học trường bệnh điều"
    " khoản mục phụ quyết nghị thông chỉ kế luật các thành tỉnh xã huyện đoàn đảng nhà cơ công".split()
)


def names_a_person(text: str) -> bool:
    """Does the text write a person's name: a run of three or four capitalised syllables, not a body's or a place's
    name ("Nguyễn Văn An", not "Sở Văn Hóa Thể Thao" or "Bà Rịa Vũng Tàu")?"""
    words = re.findall(r"\w+", text)
    runs: list[list[str]] = [[]]
    for w in words:
        if w[0].isupper() and (len(w) == 1 or w[1:].islower()):
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    places = load_registry()
    for run in runs:
        if 3 <= len(run) <= 4 and run[0].lower() not in INSTITUTION_WORDS:
            name = " ".join(run)
            if (
                places.lookup(name) is None
                and places.lookup(" - ".join([" ".join(run[:2]), " ".join(run[2:])])) is None
            ):
                return True
    return False


# a question about a sanction ("mức phạt", "bị xử phạt / kỷ luật thế nào", "what fine", "what penalties"), and what a
# text that sets one writes: a text silent on sanctions does not answer it, however close its subject
SANCTION_QUESTION_RE = re.compile(
    r"\b(xu phat|muc phat|phat tien|bi phat|ky luat|che tai|fines?|fined|penalt\w*|sanction\w*|disciplin\w*"
    r"|punish\w*)\b"
)
SANCTION_TEXT_RE = re.compile(  # accented: folded, "phạt" (a fine) would be "phát" (to issue, to develop)
    r"\b(phạt|k[ỷỉ] luật|xử lý vi phạm|xử lý trách nhiệm|truy cứu trách nhiệm|chế tài|bị xử lý|xử lý theo quy định)\b",
    re.I,
)
# "đồng" folds to "dong" like "Hội đồng", "cộng đồng", "Đồng Nai": money only after a figure or "bao nhiêu"
MONEY_QUESTION_RE = re.compile(
    r"(?:\d[\d.,]*\s*|\b(?:bao nhieu|may|trieu|nghin|ngan|ty)\s+)dong\b"
    r"|\b(vnd|le phi|muc phi|\bphi\b|muc thu|muc chi|fee|fees|cost|price|how much money|so tien|rate)\b"
)
# a figure with its unit as a question writes it ("16 giờ", "10 ngày làm việc", "5 triệu"); matched folded in units
QUESTION_FIGURE_RE = re.compile(r"\b\d{1,4}\s*(?:giờ|ngày|tháng|năm|đồng|%|lần|triệu|nghìn|phút)(?!\s*\d)", re.I)
#: a figure with its unit, as provisions write it ("15 ngày", "(05) ngày làm việc", "40.000.000 đồng", "30%")
FIGURE_RE = re.compile(r"\(?\d[\d.,]*\)?\s*(?:ngày|giờ|tháng|năm|đồng|%|lần|triệu|nghìn|vị trí|người|phút)", re.I)
_CURRENCY = r"đồng|triệu|tỷ|nghìn|ngàn|VND|VNĐ"
_NOTHING_TO_PAY = r"|\bbằng không\b|\bmiễn\b"
#: a sum in a currency, or that nothing is paid; ``AMOUNT_RE`` also takes a rate (%)
_SUM = rf"\d[\d.,]*\s*(?:{_CURRENCY})"
CASH_RE = re.compile(rf"{_SUM}{_NOTHING_TO_PAY}", re.I)
AMOUNT_RE = re.compile(rf"\d[\d.,]*\s*(?:{_CURRENCY}|%){_NOTHING_TO_PAY}", re.I)
SUM_RE = re.compile(_SUM, re.I)
#: a sum written as a rate: per a unit of time or per person or item ("đồng/tháng", "đồng/người", "mỗi hồ sơ")
RATE_SUM_RE = re.compile(rf"{_SUM}\s*/\s*\w+|\bmỗi\b[^.;]{{0,40}}{_SUM}|{_SUM}[^.;]{{0,40}}\bmỗi\b", re.I)


def states_total(text: str) -> bool:
    """Does the text state a sum that is not only a rate (per month, per person, per item)?"""
    return any(not RATE_SUM_RE.search(text[max(0, m.start() - 45) : m.end() + 45]) for m in SUM_RE.finditer(text))


#: the words that make a province named after them a yardstick, not the subject (folded)
#: ("cũng như X", "X as well as": X is a subject too)
LIKENESS_RE = re.compile(
    r"\b(giong( nhu)?|(?<!cung )nhu( o)?|tuong tu( nhu)?|like|as in|similar to|same as)"
    r"\s*(tinh|thanh pho|province of)?\s*$"
)
#: a question asking how far above a figure something may go ("pay more than that ceiling, by how much", "vượt mức
#: đó tối đa bao nhiêu") (folded); and a multiple as texts write it ("1,5 lần", "gấp 2 lần", "hệ số 1,3")
ABOVE_ASKED_RE = re.compile(
    r"\b(more than|higher than|above|exceed\w*|over (that|the|this) (cap|ceiling|limit|rate)|vuot|cao hon|nhieu hon)\b"
)
MULTIPLE_RE = re.compile(r"\d[\d.,]*\s*lần\b|\bhệ số\s*\d", re.I)
#: a sum, that nothing is paid, or a multiple of a sum: what a question about money is answered by
CASH_OR_MULTIPLE_RE = re.compile(rf"{CASH_RE.pattern}|{MULTIPLE_RE.pattern}", re.I)
#: an appendix named by its number in a question ("phụ lục II", "Appendix 2", "annex III") (folded)
APPENDIX_NAMED_RE = re.compile(r"\b(?:phu luc|appendix|annex)\s+([ivx]{1,4}|\d{1,2})\b")
#: words of a share asked for that do not name the part ("how much of that is just for X itself", "bao nhiêu ngày")
PART_QUESTION_WORDS = {"just", "only", "itself", "bao", "nhieu", "ngay", "may", "thi", "duoc", "con", "days", "the"}
#: the relations by which a corpus text ends another text (those after which the old text no longer applies)
ENDING_KINDS = {kind for kind, (_, _, still) in EXTERNAL_VERBS.items() if not still}
#: a question asking which text (decision, resolution, rules) is meant (folded)
WHICH_TEXT_RE = re.compile(
    r"\b(which|what)\b(?:\s+\w+){0,4}?\s+(decisions?|resolutions?|regulations?|rules|texts?|documents?)\b"
    r"|\b(quyet dinh|nghi quyet|van ban|quy dinh|quy che) (cu )?nao\b"
)
#: a question about a budget or its total, not about what someone pays (folded)
BUDGET_QUESTION_RE = re.compile(r"\b(kinh phi|ngan sach|budget|funding|von|total (cost|amount))\b")
#: a question about what someone pays (a fee, a charge): "miễn phí", "bằng không" answer it (folded)
PAYMENT_QUESTION_RE = re.compile(
    r"\b(phi|le phi|muc phi|muc thu|nop|tra|fees?|charged?|charges|pay|pays|paid|paying|cost|costs|price)\b"
)
#: a question about the amount of a fine, and the fine a text sets ("phạt tiền từ … đồng"); "xử lý theo quy định"
#: answers "how are they dealt with", not "what is the fine" (folded question; accented text)
FINE_QUESTION_RE = re.compile(r"\b(fines?|fined|muc phat|phat tien|phat bao nhieu|bi phat)\b")
FINE_TEXT_RE = re.compile(r"\bphạt\b", re.I)


#: the labelled lines of a plan task or of a reporting regime ("- Cơ quan chủ trì: …", "c) Cơ quan nhận báo cáo: …",
#: "d) Định kỳ 6 tháng (gửi trước ngày …)"), by the intent that asks for them; a line may open with a point letter
_LINE_START = r"^\W*(?:[a-zđ]\)\s*)?"
PLAN_LINE_MARKERS = {
    "lead": re.compile(_LINE_START + r"(co quan|don vi) (chu tri|thuc hien)\b"),
    "coordinate": re.compile(_LINE_START + r"(co quan|don vi) phoi hop\b"),
    "deadline": re.compile(
        _LINE_START + r"((thoi gian|thoi han|tien do)( thuc hien| hoan thanh| gui( bao cao)?)?|dinh ky|tan suat)\b"
    ),
    "report": re.compile(_LINE_START + r"(co quan|noi|don vi) nhan bao cao\b"),
}
#: a year standing alone (a target, a period), not inside a document number or a date
YEAR_ALONE_RE = re.compile(r"(?<![\d/.,])((?:19|20)\d\d)(?![\d/])")
#: a quote that names a day ("01/12/2025", "ngày 15 tháng 11", "kể từ ngày ký"): what "from what date" asks for; a
#: recurring period ("định kỳ hằng năm") or a duration ("trong 05 ngày") is not a day
DAY_STATED_RE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{2,4}|\b[Nn]gày \d{1,2}(?: tháng \d{1,2})?\b|\b(?:[Kk]ể từ|[Tt]ừ) ngày\b"
)
#: the day something starts, as provisions write it ("Từ 01/7/2025", "kể từ ngày 05 tháng 12 năm 2025"); not the
#: date of a text cited ("Quyết định số 10/2016/QĐ-UBND ngày 21/3/2016")
START_DATE_RE = re.compile(
    r"\b(?:[Tt]ừ|kể từ|bắt đầu)(?: ngày)? (?:\d{1,2}/\d{1,2}/\d{4}\b|\d{1,2} tháng \d{1,2} năm \d{4})"
)
#: document numbers ("12/2024/QĐ-UBND", "45/2024/qh15") and dates ("01/7/2024", "1.7.2024") whose years are not asked
NUMBER_OR_DATE_RE = re.compile(r"\d+\s*/\s*(?:19|20)\d\d(?:/[\w.-]+)?|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}")
#: intents whose years are the answer's date (in force on, effective from, replaced when)
TIME_INTENTS = {"effective", "relation", "applicable"}
# a plan or programme asked for by its year: "kế hoạch … năm 2026", "the 2026 plan", "plan for 2026"
PLAN_YEAR_RE = re.compile(
    r"\b(?:ke hoach|chuong trinh)\b[^?.!]{0,60}?\bnam (20\d\d)\b|\b(?:plan|programme|program)\s+(?:for|of)\s+(20\d\d)\b"
    r"|\b(20\d\d)\s+(?:\w+\s+){0,4}?(?:plan|programme|program)\b"
)
#: a numbered kind of item a question may ask about ("mức 3", "hạng II", "nhóm 2", "level 1"), folded; the words are
#: the retriever's (``index.retrieval.scoring.named_levels``, from its data file)
LEVEL_RE = named_levels().pattern
#: the same words as a text writes them: once folded, "mức I" (a level) and "Mục I" (a section) are one word
LEVEL_WORDS = named_levels().written


#: a plan section this short with sub-sections under it is a heading ("II. MỤC TIÊU CHỦ YẾU")
HEADING_CHARS = 120
#: how many of the first ranked hits are looked at for sub-sections of one section (``whole_section_first``)
SIBLINGS_DEPTH = 3
#: the modifiers a heading may end with that a question naming it leaves out ("MỤC TIÊU CHỦ YẾU": "the targets"); the
#: rest of the heading must be in the question as written ("những nội dung hỗ trợ …" does not name "NỘI DUNG KẾ HOẠCH")
GENERIC_HEADING_TAIL = re.compile(r"(\s+(chu yeu|cu the|chung|co ban|trong tam|chinh))+$")
#: the roles besides "chủ trì" that a text gives the agency in charge, as a question names them (folded; English too)
#: and as a text writes them: a question asking which body is "cơ quan thường trực" is answered by the khoản saying so,
#: not by the same article's "Chủ trì …" khoản
LEAD_ROLES = (
    (
        r"\bthuong truc\b|\bstanding (body|agency|office|organ|unit)\b|\bpermanent (body|office|secretariat)\b",
        "thường trực",
    ),
    (r"\bdau moi\b|\bfocal (point|agency|body|unit)\b|\bpoint of contact\b", "đầu mối"),
    (r"\bthong nhat quan ly\b|\bunified management\b", "thống nhất quản lý"),
)


def level_pattern(word: str) -> str:
    """The written form(s) of a level word asked about (folded, from ``LEVEL_RE``), for lower-cased text: an English
    word ("level", "grade") may stand for any of them."""
    return LEVEL_WORDS.get(word) or "(?:" + "|".join(LEVEL_WORDS.values()) + ")"


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _ordinal(token: str) -> int | None:
    return int(token) if token.isdigit() else ROMAN.get(token)


def kept_as_abstention(composed: ComposedAnswer, reason: str) -> ComposedAnswer:
    """An answer that does not answer what was asked, kept for what it quotes: an abstention led by ``reason``."""
    return composed.model_copy(update={"answer": f"{reason}\n{composed.answer}", "abstained": True})


def no_successor(labels: list[str], en: bool) -> str:
    """Why a question about what replaced these texts is not answered: the corpus records no successor."""
    nums = ", ".join(labels)
    if en:
        return f"The corpus does not say which agency or text takes the place of {nums}; it records only this:"
    return f"Các văn bản trong kho không nói cơ quan hay văn bản nào thay thế {nums}; chỉ có nội dung sau:"


def wants_text_effect(qa: QueryAnalysis, quotes: list[str], about_content: bool) -> bool:
    """Does an answer also need the text's own clause on effect? "Which department signs them now, and from what
    date?" (a question about what a text says that asks from when), and "from what date does the department take
    over these powers?" where no quote states a date or period: the day the rule starts is the day the text takes
    effect. Not when a quote already gives the day the asked task or rule starts ("Thời gian thực hiện: Từ
    01/7/2025")."""
    if not EFFECT_ASKED_RE.search(qa.folded) or any(START_DATE_RE.search(q) for q in quotes):
        return False
    return about_content or ("deadline" in qa.intents and not any(DAY_STATED_RE.search(q) for q in quotes))


def figure_check(qa: QueryAnalysis):
    """What a quote must state for a question asking for a figure: a sum in a currency for a question about money
    itself ("how much money", "bao nhiêu tiền", "kinh phí bao nhiêu": a percentage is no answer), a sum of money or
    a rate for one about fees and rates, else any amount or count."""
    if METHOD_QUESTION_RE.search(qa.folded):
        return states_quantity
    if PEOPLE_COUNT_ASKED_RE.search(qa.folded):
        return states_people_count
    if CASH_QUESTION_RE.search(qa.folded):
        if ABOVE_ASKED_RE.search(qa.folded):  # "can it pay more than that, by how much": a sum or a multiple of it
            return states_cash_or_multiple
        # a budget, or a sum of support, is a sum: "miễn phí" (free of charge) in a task's wording is no answer to
        # "tổng kinh phí bao nhiêu" or "hỗ trợ mỗi doanh nghiệp bao nhiêu tiền"; it answers what someone pays
        if BUDGET_QUESTION_RE.search(qa.folded) or not PAYMENT_QUESTION_RE.search(qa.folded):
            return states_sum
        return states_cash
    return states_amount if MONEY_QUESTION_RE.search(qa.folded) else states_quantity


def states_people_count(text: str) -> bool:
    """Does the text count people ("02 cán bộ", "ít nhất 01 người")?"""
    return bool(PEOPLE_COUNT_RE.search(text))


def states_cash(text: str) -> bool:
    """Does the text state a sum in a currency (or that it is zero / waived)?"""
    return bool(CASH_RE.search(text))


def states_cash_or_multiple(text: str) -> bool:
    """Does the text state a sum in a currency, or a multiple of one ("không quá 1,5 lần mức chi", "hệ số 1,3")?"""
    return states_cash(text) or bool(MULTIPLE_RE.search(text))


def states_sum(text: str) -> bool:
    """Does the text state a sum in a currency?"""
    return bool(SUM_RE.search(text))


def states_amount(text: str) -> bool:
    """Does the text state a sum of money (or a rate, or that it is zero / waived)?"""
    return bool(AMOUNT_RE.search(text))


def states_quantity(text: str) -> bool:
    """Does the text state an amount or a count (not only dates, years and document numbers)?"""
    return bool(re.search(r"\d", NOT_QUANTITY_RE.sub(" ", text)))


def lead_in(loc: Located | None) -> str | None:
    """A plan or appendix section's own words before its first item or point ("Mức 1, không quá 40.000.000
    đồng/tháng áp dụng đối với … các trường hợp sau đây:"): what the listed items complete. None when the section
    has no items or starts with them."""
    if loc is None or loc.section is None or loc.unit is not loc.section:
        return None
    children = [*loc.section.items, *loc.section.points]
    if not children:
        return None
    at = loc.unit.text.find(children[0].text[:60])
    lead = loc.unit.text[:at].strip() if at > 0 else ""
    return lead if len(lead) >= 20 else None


#: the unit a figure is asked in ("how many working hours", "bao nhiêu ngày", "mấy tháng"), folded, and how a
#: provision writes it
ASKED_UNIT_RE = re.compile(
    r"\b(?:how many|bao nhieu|may|within how many)\s+(?:working\s+|calendar\s+|consecutive\s+)?"
    r"(hours?|gio|days?|ngay|months?|thang|weeks?|tuan|years?)\b"
)
ASKED_UNITS = {"hour": "giờ", "gio": "giờ", "day": "ngày", "ngay": "ngày", "month": "tháng", "thang": "tháng"}
ASKED_UNITS |= {"week": "tuần", "tuan": "tuần", "year": "năm"}
#: how much of a unit a quote takes when it answers alone
SINGLE_UNIT_CHARS = 450
#: the longest clause lead-in quoted before one of its points
CLAUSE_LEAD_CHARS = 250


def clause_lead_in(loc: Located | None) -> str | None:
    """For a point ("a) Quyết định việc nuôi con nuôi …"), its clause's own words before the first point ("1. Phân
    cấp cho Sở Tư pháp thực hiện các nhiệm vụ sau:"): who acts, and on what, for every point of the list. None for
    another unit, a clause that opens with its points, or a lead-in too long to be only that."""
    if loc is None or loc.point is None or loc.unit is not loc.point or loc.clause is None:
        return None
    lead = text_before_points(loc.clause)
    return lead if 20 <= len(lead) <= CLAUSE_LEAD_CHARS else None


def text_before_points(unit) -> str:
    """A clause's own words before its first point ("" for a unit without points, or one that opens with them)."""
    points = getattr(unit, "points", None)
    at = unit.text.find(points[0].text[:60]) if points else -1
    return unit.text[:at].strip() if at > 0 else ""


#: a line that continues a list opened by "…sau:" / "…bao gồm:" (points a), b), dashes, pluses, bullets, numbers)
LIST_LINE_RE = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s*\S", re.IGNORECASE)
#: how much of a list the quote may bring after its lead-in (whole lines only)
LIST_QUOTE_CHARS = 1000


#: how long a quote may grow to take in the agency that opens its sentence
SUBJECT_QUOTE_CHARS = 900


def with_its_subject(qa: QueryAnalysis, text: str, quote: str, max_chars: int = SUBJECT_QUOTE_CHARS) -> str:
    """Who does it, when the words quoted are the tail of a sentence whose subject is an agency ("Sở X có trách
    nhiệm …; đề xuất khen thưởng …" quoted from "đề xuất …"): for a who / duties question the quote starts at the
    line's agency instead, verbatim. Any other quote is returned unchanged."""
    if not {"lead", "duties"} & set(qa.intents) or re.match(AGENCY, quote):
        return quote
    at = text.find(quote)
    if at <= 0:
        return quote
    start = text.rfind("\n", 0, at) + 1
    opening = re.match(r"\s*(?:\d+\.\s*|[a-zđ]\)\s*|[-+•]\s*)?", text[start:at])
    if re.match(AGENCY, text[start + (opening.end() if opening else 0) : at]) and at + len(quote) - start <= max_chars:
        return text[start : at + len(quote)]
    return quote


#: a whole list (every khoản / point / item of the unit) quotes each item up to this length (several hits: the
#: second). 300 / 220 before cut the ends of long points (the decree a duty cites, its last clause): extra facts
#: 92.0 -> 92.5 with 500 / 300, dev and validity unchanged
LIST_ITEM_CHARS = 500
LIST_ITEM_CHARS_SEVERAL = 300
#: a unit with no khoản / points / items of its own at most this share of the quote length is quoted whole (a point
#: whose sentences are three successive deadlines, a lead-in and its three dashes, a rule and its exception):
#: cutting it to the best-matching sentence lost the one asked about
WHOLE_UNIT_SHARE = 3 / 2
#: a figure question quotes every figure-stating khoản of an article with at most this many khoản
FIGURE_CLAUSES = 3
#: a unit this short is quoted whole when the figures it states are not all in the quote
ALL_FIGURES_CHARS = 600


def with_all_figures(text: str, quote: str, max_chars: int = ALL_FIGURES_CHARS) -> str:
    """A figure question ("how many days do they have?") answered from a short unit that states several figures
    ("Năm (05) ngày …; Bảy (07) ngày …; Trường hợp đặc biệt … mười (10) ngày …"): the whole unit, not the one
    figure the quote happened to hold. Any other quote is returned unchanged."""
    whole = text.strip()
    if len(whole) > max_chars or quote == whole or whole not in text:
        return quote
    figures = FIGURE_RE.findall(whole)
    if len(figures) < 2 or all(f in quote for f in figures):
        return quote
    return whole


def _parts(loc: Located) -> list:
    """The unit's units of its own: khoản, điểm, items."""
    return [p for name in ("clauses", "points", "items") for p in getattr(loc.unit, name, None) or []]


def has_parts(loc: Located) -> bool:
    """Does the unit have units of its own (khoản, điểm, items) that a list answer quotes one by one?"""
    return bool(_parts(loc))


def has_own_parts(loc: Located) -> bool:
    """``has_parts``, not counting a lone part that repeats the unit's whole text (a section whose one paragraph
    the reader also keeps as its item)."""
    parts = _parts(loc)
    return bool(parts) and not (len(parts) == 1 and parts[0].text.strip() == loc.unit.text.strip())


#: what separates the two sides a comparison sets against each other, strongest first ("… cảnh báo rủi ro thì xử lý khác
#: gì so với khi có thông tin ngăn chặn?", "temporary lock rather than a permanent one"). Not "và / and": splitting
#: there chose other khoản for two questions whose "và" joined two parts of one side (one gained, two lost)
SIDES_RE = (
    re.compile(
        r"\b(?:khac gi (?:so )?voi|khac (?:so )?voi|so voi|compared (?:to|with)|versus|vs\.?|chu khong phai|rather than)\b"
    ),
    re.compile(r"\b(?:hay la|hay|hoac|or)\b"),
)


def compared_sides(qa: QueryAnalysis) -> tuple[set[str], set[str]] | None:
    """The two sides of a comparison, as the word pairs each has and the other has not (folded; an English question's
    sides by their glossary terms); None when the question sets no two sides against each other."""
    for separator in SIDES_RE:
        parts = separator.split(qa.folded, maxsplit=1)
        if len(parts) == 2 and all(len(p.split()) >= 2 for p in parts):
            break
    else:
        return None

    def pairs(text: str) -> set[str]:
        words = [w for w in _syllables(expand_english(text) if qa.language == "en" else text) if w not in STOP]
        return {f"{a} {b}" for a, b in zip(words, words[1:])}

    first, second = pairs(parts[0]), pairs(parts[1])
    own = (first - second, second - first)
    return own if all(own) else None


#: at most this many points of a khoản whose quote announces them ("… các trường hợp sau đây:") are quoted after it
ANNOUNCED_POINTS = 8
#: a unit's first line this short, with no closing punctuation, is a heading ("3. Khóa tài khoản vĩnh viễn")
HEADING_LINE_CHARS = 80


def with_what_it_heads(text: str, quote: str) -> str:
    """A quote that is a khoản's heading line ("3. Khóa tài khoản vĩnh viễn") says nothing by itself: extended,
    verbatim, with the line that follows it ("Tài khoản … bị khóa vĩnh viễn trong các trường hợp sau đây:", whose
    list ``with_its_list`` then brings). Any other quote is returned unchanged."""
    lines = text.strip().split("\n")
    first = lines[0].strip()
    if quote.strip() != first or len(first) > HEADING_LINE_CHARS or first.endswith((".", ":", ";")):
        return quote
    rest = [line for line in lines[1:] if line.strip()]
    if not rest:
        return quote
    at = text.find(first)
    end = text.find(rest[0], at + len(first)) + len(rest[0])
    return text[at:end] if at >= 0 and end > at else quote


def with_its_list(text: str, quote: str, max_chars: int = LIST_QUOTE_CHARS) -> str:
    """A quote that ends by opening a list ("… đối với các trường hợp sau:", "… bao gồm:") says nothing by itself:
    extended, verbatim, with the lines of the list that follow it in ``text`` (whole lines, up to ``max_chars``).
    Any other quote is returned unchanged."""
    if not quote.rstrip().endswith(":"):
        return quote
    at = text.find(quote)
    if at < 0:
        return quote
    end = at + len(quote)
    for line in text[end:].split("\n")[1:]:
        if not LIST_LINE_RE.match(line):
            break
        nxt = text.find(line, end) + len(line)
        if nxt - at > max_chars:
            break
        end = nxt
    return text[at:end]


# a form's tick-box line ("□ Bản điện tử.", "□ Cá nhân □ Các thành viên hộ gia đình")
CHECKBOX_LINE_RE = re.compile(r"^\s*[□☐❑◻]")


def with_its_options(text: str, quote: str, max_chars: int = LIST_QUOTE_CHARS) -> str:
    """A quote from a form's tick-box choices, or from the line that heads them: the heading and every choice of
    that block, whole lines verbatim (up to ``max_chars``): one box says nothing of what else may be chosen. Any
    other quote is returned unchanged."""
    at = text.find(quote)
    if at < 0:
        return quote
    lines = text.split("\n")
    first = text.count("\n", 0, at)  # the lines the quote starts and ends on
    last = text.count("\n", 0, at + max(len(quote) - 1, 0))
    boxed = [i for i in range(first, min(last + 2, len(lines))) if CHECKBOX_LINE_RE.match(lines[i])]
    if not boxed:
        return quote
    lo = hi = boxed[0]
    while lo > 0 and CHECKBOX_LINE_RE.match(lines[lo - 1]):
        lo -= 1
    while hi + 1 < len(lines) and CHECKBOX_LINE_RE.match(lines[hi + 1]):
        hi += 1
    if lo > 0 and lines[lo - 1].strip():
        lo -= 1  # the line that says what is chosen
    lo, hi = min(lo, first), max(hi, last)
    block = "\n".join(lines[lo : hi + 1])
    return block if len(block) <= max_chars and quote in block else quote


#: the labelled lines asked about are quoted together up to this length, whatever the answer's quote length
ASKED_LINES_CHARS = 600


def asked_line(qa: QueryAnalysis, text: str, quote: str) -> str | None:
    """A task asked about in one respect ("which agencies carry it out?") whose text answers it in a labelled line
    ("- Cơ quan thực hiện: …") that the chosen quote leaves out: that line, whole and verbatim. None when nothing
    is asked that a labelled line answers, or when the quote already holds the line."""
    asked = [PLAN_LINE_MARKERS[a] for a in PLAN_LINE_MARKERS if a in qa.intents]
    if len(asked) != 1:
        return None
    for line in text.split("\n"):
        if asked[0].search(fold(line)) and line.strip():
            line = line.strip()
            if line in quote:
                return None
            start, end = text.find(quote), text.find(line)
            if 0 <= start < end and end + len(line) - start <= LIST_QUOTE_CHARS:
                return text[start : end + len(line)]  # the quote, on to the line it leaves out
            return line
    return None


def asked_lines(qa: QueryAnalysis, text: str, max_chars: int) -> str | None:
    """A plan task asked about in several respects ("who leads it, with whom, and when?") whose text gives them in
    labelled lines ("- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian thực hiện: …"): the block from
    the first to the last line asked about, verbatim; None when fewer than two such lines are asked and present."""
    asked = [PLAN_LINE_MARKERS[a] for a in PLAN_LINE_MARKERS if a in qa.intents]
    if len(asked) < 2:
        return None
    lines = text.split("\n")
    found = [i for i, line in enumerate(lines) if any(m.search(fold(line)) for m in asked)]
    if len(found) < 2:
        return None
    block = "\n".join(lines[found[0] : found[-1] + 1]).strip()
    return block if len(block) <= max(max_chars, ASKED_LINES_CHARS) and block in text else None


#: a figure asked for that is a period of time ("trong bao nhiêu ngày", "how many working days", "bao lâu"): a deadline
PERIOD_ASKED_RE = re.compile(
    r"\b(bao nhieu|may|how many)( \w+)? (ngay|gio|thang|tuan|nam|days|hours|weeks|months|years)\b|\bbao lau\b|\bhow long\b"
)
# a question asking for the whole, not a step ("the whole thing", "in total", "tổng cộng", "toàn bộ quy trình")
TOTAL_ASKED_RE = re.compile(
    r"\b(the whole|in total|total|overall|altogether|all in all|end to end|from start to finish|tong cong|tong thoi gian"
    r"|toan bo|ca quy trinh|tat ca cac buoc)\b"
)

# a question that sets a case ("nếu …", "trong trường hợp …", "if …", "in case …")
CONDITION_RE = re.compile(r"\b(neu|trong truong hop|if|in case)\b")

# the words an amending clause announces ("… như sau:" then “Điều 11. Hiệu lực thi hành”)
ANNOUNCED_TEXT_RE = re.compile(r"\s*“[^”]{1,%d}”\.?" % QUOTED_SENTENCE_CHARS)


def with_announced_text(text: str, quote: str) -> str:
    """``quote`` (a passage of ``text``) ending with ":" is followed in ``text`` by the quoted words it announces
    (an amendment's new wording): those words too, since without them the quote says "as follows" and stops."""
    at = text.find(quote)
    if at < 0 or not quote.rstrip().endswith(":"):
        return quote
    m = ANNOUNCED_TEXT_RE.match(text, at + len(quote))
    return text[at : m.end()] if m else quote


class ExtractiveComposer:
    """Composes answers from retrieved units by quoting them; see the module docstring.

    ``ExtractiveComposer(corpus, abstain_below)``; ``compose(question, analysis, search)`` routes to an
    abstention, a validity / legal-basis answer or a quoted answer (lead agency, whole lists, comparisons).
    """

    def __init__(self, corpus: Corpus, abstain_below: float = 0.35):
        self.corpus = corpus
        self.abstain_below = abstain_below
        self._lower: dict[str, str] = {}  # document id -> its whole text, lower-cased (built on first use)
        self._agency_texts: dict[str, str] = {}  # document id -> its whole text as ``agency_key`` reads names

    def compose(
        self, question: str, qa: QueryAnalysis, search: SearchResult, context: AnswerContext | None = None
    ) -> ComposedAnswer:
        composed = self._compose(question, qa, search, context)
        return self.successor_unstated(qa, composed) or composed

    def successor_unstated(self, qa: QueryAnalysis, composed: ComposedAnswer) -> ComposedAnswer | None:
        """ "Now that the old decision is repealed, which new decision sets out …?", answered by the clause that
        repeals it, where no text of the corpus replaces the repealed one: the successor asked for is not in the
        corpus. Said so (an abstention), with the repeal quoted. None otherwise. (Extra: four unanswerable questions
        abstained, no answer lost; a text that ends an old one while issuing its own rules is not a repeal only: without
        that test four answerable questions on merged provinces were lost.)"""
        if composed.abstained or not composed.citations or not SUCCESSOR_ASKED_RE.search(qa.folded):
            return None
        en = qa.language == "en"
        provinces = {self.corpus.get(c.id.split("/")[0]).meta.province for c in composed.citations}
        if qa.other_provinces and qa.former_provinces and provinces <= set(qa.former_provinces):
            # "After X was merged into Y, which department took over?": the corpus has the former province's text, no
            # text of the province it became
            now, before = ", ".join(qa.other_provinces), ", ".join(sorted(provinces))
            reason = (
                f"The corpus holds no text of {now} saying who or what takes this over; it has only the text of the "
                f"former {before}:"
                if en
                else f"Kho văn bản không có văn bản nào của {now} quy định việc tiếp nhận, thay thế; chỉ có văn bản "
                f"của {before} (cũ):"
            )
            return kept_as_abstention(composed, reason)
        cited = {c.id for c in composed.citations}
        ended = [
            rel.target
            for doc_id in dict.fromkeys(c.id.split("/")[0] for c in composed.citations)
            if self.repeals_only(doc_id)
            for rel in self.corpus.get(doc_id).meta.relations
            if rel.kind.value in ("repeals", "ends")
            and rel.evidence_unit
            and any(rel.evidence_unit == u or rel.evidence_unit.startswith(u + "/") for u in cited)
        ]
        if not ended or self.succeeded(ended):
            return None
        return kept_as_abstention(composed, no_successor(self.labels_of(ended), en))

    def repeals_only(self, doc_id: str) -> bool:
        """Is the text one that only repeals ("Bãi bỏ toàn bộ Quyết định số …"): titled a repeal, issuing and
        replacing nothing? A text that ends an old one while issuing its own rules is that one's successor."""
        meta = self.corpus.get(doc_id).meta
        return "bai bo" in fold(meta.title) and not any(r.kind.value in ("issues", "replaces") for r in meta.relations)

    def _compose(
        self, question: str, qa: QueryAnalysis, search: SearchResult, context: AnswerContext | None = None
    ) -> ComposedAnswer:
        en = qa.language == "en"
        if context is not None and wants_applicable(qa):
            composed = applicable_answer(self.corpus, qa, context, en, search.hits)
            if composed is not None:
                return composed
        uncovered = ", ".join(qa.other_provinces)
        no_text_vi = f"Kho văn bản không có văn bản nào của {uncovered}, nên không thể trả lời câu hỏi này"
        no_text_en = f"The corpus has no document of {uncovered}, so this cannot be answered"
        if (
            qa.other_provinces
            and not qa.provinces
            and not qa.explicit_documents
            and not self.scope_mentions(qa.documents, qa.other_provinces)
        ):
            return abstain(self.corpus, no_text_vi + ".", no_text_en + ".", en)
        if qa.other_provinces and qa.provinces and not qa.explicit_documents and self.likened_only(qa):
            # "Does Đà Nẵng support it like Hà Nội does, and how much?": the question is about a province the corpus
            # has no text of; the one it names is the yardstick. Said plainly, with the yardstick's rule quoted
            known = self.quote_answer(qa, search.hits[:1], en, context) if search.hits else None
            if known is None or known.abstained or not known.citations:
                return abstain(self.corpus, no_text_vi + ".", no_text_en + ".", en)
            yardstick = ", ".join(qa.provinces)
            reason = (
                f"{no_text_en}; for comparison, {yardstick}:" if en else f"{no_text_vi}; để đối chiếu, {yardstick}:"
            )
            return kept_as_abstention(known, reason)
        if qa.unknown_numbers and not qa.explicit_documents:
            known = external(self.corpus, qa, en, context, search.hits)
            if known is not None and SUCCESSOR_ASKED_RE.search(qa.folded) and not self.succeeded(qa.unknown_numbers):
                # "QĐ X was repealed: which department takes it over now?": the repeal is in the corpus, a successor
                # is not; say so (an abstention), with the repeal quoted
                return kept_as_abstention(known, no_successor(self.labels_of(qa.unknown_numbers), en))
            if known is not None:
                return known
            nums = ", ".join(qa.unknown_numbers)
            # a text the corpus lacks but a top hit cites ("the allowance under Resolution 45/2024/QH15" in a plan that
            # implements it): the question is about those provisions, not about the missing text
            if not hits_naming(self.corpus, search.hits[:3], qa.unknown_numbers):
                return abstain(
                    self.corpus,
                    f"Kho văn bản không có văn bản số {nums}.",
                    f"The corpus has no document numbered {nums}.",
                    en,
                )
        if qa.unknown_numbers and qa.explicit_documents:
            # "which article of Circular A amends Circular B?" where A never names B's number: nothing in A is about B
            unnamed = [n for n in qa.unknown_numbers if not any(self.names(d, n) for d in qa.explicit_documents)]
            if len(unnamed) == len(qa.unknown_numbers):
                nums = ", ".join(unnamed)
                texts = ", ".join(
                    f"{m.doc_type} {m.number}" for m in (self.corpus.get(d).meta for d in qa.explicit_documents)
                )
                return abstain(
                    self.corpus,
                    f"{texts} không nhắc đến văn bản số {nums}; kho văn bản cũng không có văn bản đó.",
                    f"{texts} does not mention document {nums}, and the corpus does not hold it.",
                    en,
                )
        # "until when does QĐ A apply QĐ B?", "from what date do the allowances under NQ B apply?" asked of a text A that
        # names the outside text B: the time asked is B's as A states it (a clause of A), not A's own validity
        # (unless a text of the corpus repeals, replaces or ends B: then B's validity is what the corpus knows)
        outside_named = (
            bool(qa.unknown_numbers)
            and any(self.names(d, n) for d in qa.explicit_documents for n in qa.unknown_numbers)
            and not any(rel.kind.value in ENDING_KINDS for _, rel in relations_to(self.corpus, qa.unknown_numbers))
        )
        if UNTIL_WHEN_RE.search(qa.folded) and not qa.has_reference and not outside_named:
            composed = self.no_end_date(qa, en, context)
            if composed is not None:
                return composed
        if search.missing:
            return abstain(
                self.corpus, f"Không tìm thấy: {search.missing.vi()}.", f"Not found: {search.missing.en()}.", en
            )
        if not search.hits or search.confidence < self.abstain_below:
            return abstain(
                self.corpus,
                "Kho văn bản không có nội dung trả lời được câu hỏi này.",
                "The corpus does not contain an answer to this question.",
                en,
            )
        hits = self.select(qa, search.hits)
        if context is not None:
            hits = self.lead_with_applicable(qa, hits, search.hits, context)
        preamble_ranked = any(
            self.corpus.resolve(h.id) is not None and self.corpus.resolve(h.id).unit.kind == "preamble"
            for h in search.hits[:3]
        )
        other_subject = {"deadline", "effective", "lead", "coordinate", "duties", "definition", "quantity"} & set(
            qa.intents
        )
        if "legal_basis" in qa.intents and not qa.has_reference and (preamble_ranked or not other_subject):
            composed = legal_basis(self.corpus, qa, hits, en)
            if composed:
                return composed
        if {"effective", "metadata"} & set(qa.intents) and not qa.has_reference:
            composed = self.undated_draft(qa, en)
            if composed is not None:
                return composed
        if "metadata" in qa.intents and not qa.has_reference:
            composed = metadata_answer(self.corpus, qa, hits, en)
            if composed:
                if {"relation", "effective"} & set(qa.intents):  # "who signed it, and what does it replace?"
                    more = validity(self.corpus, qa, hits, en, context)
                    composed = merge(composed, more) if more else composed
                return composed
        asks_status = (
            "applicable" in qa.intents
            and bool(qa.explicit_documents)  # "is QĐ … still applied?", "on <date>, which of QĐ … applied?"
            and (bool(STATUS_QUESTION_RE.search(qa.folded)) or qa.as_of_reason == "date")
            and "doi tuong" not in qa.folded
            # "QĐ A: which old decision now applies?": with one text named, the text asked for is another, that A
            # designates (a clause of A), not A's own status
            and not (len(qa.explicit_documents) == 1 and WHICH_TEXT_RE.search(qa.folded))
        )
        # "which department does X under the rules in force": a question about what a text says, even when it
        # speaks of force; not an answer about the texts' validity
        about_content = bool(CONTENT_INTENTS & set(qa.intents)) and not qa.explicit_documents
        validity_question = (("effective" in qa.intents or asks_status) and not outside_named) or (
            "relation" in qa.intents and not qa.has_reference
        )
        # "which departments coordinate on it, and from what date does it apply?" where the text states no effective
        # date: the first part is answered, and the second said to be missing (a note)
        no_effect = (
            unstated_effect(self.corpus, qa, validity_documents(self.corpus, qa, hits), en)
            if validity_question and not about_content and hits and CONTENT_INTENTS & set(qa.intents)
            else None
        )
        if validity_question and not about_content and not no_effect:
            composed = validity(self.corpus, qa, hits, en, context)
            if composed:
                composed = self.with_quoted_lines(question, qa, composed, en)
                if self.asks_more(question, qa):  # "… in force yet? And how much is the fee?": both parts
                    others = [h for h in hits if h.id not in {c.id for c in composed.citations}][:2]
                    rest = self.quote_answer(qa, others, en, context) if others else None
                    says = figure_check(qa)
                    if rest is not None and (
                        "quantity" not in qa.intents or any(says(c.quote) for c in rest.citations)
                    ):  # a second part that does not state the figure asked for is left out, not padded
                        composed = merge(composed, rest)
                return composed
        if NEW_ARTICLES_RE.search(qa.folded):
            composed = self.new_articles(qa, hits, en, context)
            if composed is not None:
                return composed
        absent = self.not_in_the_texts(qa, hits) or self.no_task_for(qa)
        if absent:
            return abstain(self.corpus, *absent, en)
        hits = self.whole_section_first(qa, hits, search.hits)
        hits = self.named_level_first(qa, hits, search.hits)
        hits = self.own_article_alone(qa, hits)
        states = figure_check(qa)
        if "quantity" in qa.intents:
            hits = self.stating_figure_first(hits, search.hits, states)
        composed = self.quote_answer(qa, hits, en, context)
        if "quantity" in qa.intents and not any(states(c.quote) for c in composed.citations):
            # the figure is not in what was quoted: the next ranked hits whose quoted unit states one
            tried = {h.id for h in hits}
            for h in [h for h in search.hits if h.id not in tried][:3]:
                retry = self.quote_answer(qa, [h], en, context)
                if any(states(c.quote) for c in retry.citations):
                    composed = retry
                    break
        if "quantity" in qa.intents and not any(states(c.quote) for c in composed.citations):
            return abstain(
                self.corpus,
                "Các văn bản trong kho không nêu con số (mức tiền, số lượng) mà câu hỏi yêu cầu.",
                "The documents in the corpus do not state the figure (amount, number) asked for.",
                en,
            )
        if composed.citations and (missing := self.unanswered_part(qa, composed)):
            return abstain(self.corpus, *missing, en)
        if no_effect and composed.citations and not composed.abstained:
            composed.warnings.append(no_effect)
        if composed.citations and wants_text_effect(qa, [c.quote for c in composed.citations], about_content):
            more = validity(self.corpus, qa.model_copy(update={"intents": ["effective"]}), hits, en, context)
            if more is not None and not more.abstained:
                composed = merge(composed, more)
        return composed

    def unanswered_part(self, qa: QueryAnalysis, composed: ComposedAnswer) -> tuple[str, str] | None:
        """What the question asks that no quote of ``composed`` states, said plainly (Vietnamese, English), or None:
        a person's name where the texts set out roles, a sanction or a fine, a percentage or a sum of money for the
        thing asked (not for another), a total (not a rate), a count of the thing asked, a date. The first check that
        fails speaks (each was measured on dev and extra when added: see the commit log)."""
        quotes = [c.quote for c in composed.citations]
        fine_asked = FINE_QUESTION_RE.search(qa.folded)
        quantity = "quantity" in qa.intents
        counted = COUNT_ASKED_RE.search(qa.folded) if qa.language == "vi" else None  # (English "may" is no "mấy")
        checks = (
            (
                PERSON_NAME_ASKED_RE.search(qa.folded),
                names_a_person,
                "Các văn bản trong kho không nêu tên người giữ vị trí được hỏi; chúng chỉ quy định vai trò, nhiệm vụ.",
                "The documents in the corpus name no person for the position asked about; they set out roles only.",
            ),
            (
                SANCTION_QUESTION_RE.search(qa.folded),
                lambda q: SANCTION_TEXT_RE.search(q) and (not fine_asked or FINE_TEXT_RE.search(q)),
                "Các văn bản trong kho không quy định chế tài (mức phạt, kỷ luật) cho trường hợp được hỏi.",
                "The documents in the corpus set no sanction (fine, discipline) for the case asked about.",
            ),
            (
                quantity and PERCENT_QUESTION_RE.search(qa.folded),
                lambda q: self.rate_of_topic(qa, q),
                "Các văn bản trong kho không nêu tỷ lệ (phần trăm) cho nội dung được hỏi.",
                "The documents in the corpus state no percentage for what is asked.",
            ),
            (
                quantity and CASH_QUESTION_RE.search(qa.folded) and not PERCENT_QUESTION_RE.search(qa.folded),
                lambda q: self.sum_of_topic(qa, q),
                "Các văn bản trong kho không nêu mức tiền cho nội dung được hỏi.",
                "The documents in the corpus state no sum of money for what is asked.",
            ),
            (
                quantity and SUM_TOTAL_ASKED_RE.search(qa.folded) and not composed.abstained,
                states_total,
                "Các văn bản trong kho không nêu tổng số tiền được hỏi (chỉ có các mức chi theo từng đối tượng).",
                "The documents in the corpus state no total sum for what is asked (only rates per person or item).",
            ),
            (
                quantity and counted and counted.group(1) not in NOT_COUNTED | STOP and not composed.abstained,
                lambda q: counts(counted.group(1), q),
                "Các văn bản trong kho không nêu con số (số lượng) mà câu hỏi yêu cầu.",
                "The documents in the corpus do not state the number asked for.",
            ),
            (
                "deadline" in qa.intents and DATE_ASKED_RE.search(qa.folded) and not composed.abstained,
                WHEN_RE.search,
                "Các văn bản trong kho không nêu ngày, thời hạn cho nội dung được hỏi.",
                "The documents in the corpus set no date or time limit for what is asked.",
            ),
        )
        for asked, answers, vi, en in checks:
            if asked and not any(answers(q) for q in quotes):
                return vi, en
        return None

    def new_articles(
        self, qa: QueryAnalysis, hits: list[Hit], en: bool, context: AnswerContext | None
    ) -> ComposedAnswer | None:
        """ "Which articles are new in the draft?": the newer version's articles with no counterpart in the
        other versions of the same source (no shared comparison-table row; for texts outside a table, no
        article of the same title), each with its opening words and the drafters' reason where there is one."""
        if not hits:
            return None
        source = self.corpus.get(hits[0].doc_id).meta.source_file
        # every version in the same source (a comparison table's columns, predecessor provinces' included) and
        # the texts the best hit's document is related to
        same_source = [d.id for d in self.corpus.documents.values() if d.meta.source_file == source]
        versions = list(dict.fromkeys([hits[0].doc_id, *same_source, *self.versions_of(hits[0].doc_id)]))
        if len(versions) < 2:
            return None

        def newness(doc_id: str) -> tuple[bool, object]:
            m = self.corpus.get(doc_id).meta
            return (m.status.value == "draft", m.issue_date or m.effective_date or date.min)

        newest = max(versions, key=newness)
        part = self.corpus.get(newest).part("regulation") or self.corpus.get(newest).part("decision")
        others = [p for d in versions if d != newest for p in [self.corpus.get(d).part("regulation")] if p]
        if part is None or not others:
            return None
        rows = {r for p in others for a in p.articles for r in a.table_rows}
        titles = {fold(a.title or "") for p in others for a in p.articles}
        fresh = [
            a
            for a in part.articles
            if ((not set(a.table_rows) & rows) if a.table_rows else (fold(a.title or "") not in titles))
        ]
        if not fresh or len(fresh) == len(part.articles):
            return None
        citations: list[Citation] = []
        lines = []
        m = self.corpus.get(newest).meta
        state = status_label(context.status(newest) if context else m.status.value, en)
        names = ", ".join(
            self.corpus.get(d).meta.number or self.corpus.get(d).meta.title for d in versions if d != newest
        )
        lines.append(
            f"Articles of {m.title} ({state}) with no counterpart in {names}:"
            if en
            else f"Các điều của {m.title} ({state}) không có điều tương ứng trong {names}:"
        )
        for art in fresh[:6]:
            lines.append(f"**Điều {art.number}. {gloss(art.title or '', en)}**")
            first = art.clauses[0] if art.clauses else art
            loc = self.corpus.resolve(first.id)
            if loc is not None:
                quote = self.quote_for(loc, qa, 300)
                citations.append(make_citation(loc, quote))
                lines.append(f"- “{quote}” [{len(citations)}]")
            for r in art.rationales[:1]:
                rloc = self.corpus.resolve(r.id)
                if rloc is not None:
                    quote = best_quote(r.text, max_chars=300)
                    citations.append(make_citation(rloc, quote))
                    lines.append(
                        f"- {'Drafters’ rationale' if en else 'Lý do của cơ quan soạn thảo'}: “{quote}” [{len(citations)}]"
                    )
        return ComposedAnswer(answer="\n".join(lines), abstained=False, citations=citations)

    @staticmethod
    def asks_more(question: str, qa: QueryAnalysis) -> bool:
        """Two questions in one, the second about what a text says: a figure, a duty, a list, who leads; or, in one
        sentence joined by "and", a part that asks something other than the text's effect ("who exactly is covered
        by Resolution N, and from what date does it apply?")."""
        parts = [p for p in re.split(r"[?？]", question) if len(p.strip()) > 3]
        if len(parts) > 1 and bool({"quantity", "lead", "duties", "list", "definition"} & set(qa.intents)):
            return True
        joined = [fold(p) for p in SECOND_QUESTION_RE.split(question) if len(p.strip()) > 3]
        return len(joined) > 1 and any(
            ASKING_RE.search(p) and not EFFECT_OR_RELATION_RE.search(p) and not UNTIL_WHEN_RE.search(p) for p in joined
        )

    def with_quoted_lines(self, question: str, qa: QueryAnalysis, composed: ComposedAnswer, en: bool) -> ComposedAnswer:
        """Words the question quotes (``qa.quoted``) that a text in scope contains: say where they are, citing that
        unit."""
        docs = qa.explicit_documents or qa.documents
        lines, citations = [], list(composed.citations)
        for q in qa.quoted:
            key = fold(q).strip(" .")
            if len(key) < 8:
                continue
            for loc in self.corpus.units():
                if loc.document.id not in docs or loc.unit.kind in ("article", "section", "preamble"):
                    continue
                text = loc.unit.text
                at = fold(text).find(key)
                if at < 0 or len(fold(text)) != len(text):
                    continue
                words = text[at : at + len(key)]
                if any(c.id == loc.id for c in citations):
                    break
                # the sentence holding them (what the text does with them: "thay cụm từ “…” bằng cụm từ “…”")
                quote = best_quote(text, max_chars=QUOTED_SENTENCE_CHARS, prefer=[words], query=question)
                if words not in quote:
                    quote = words
                quote = with_announced_text(text, quote)
                citations.append(make_citation(loc, quote))
                lines.append(
                    f"- “{words}” {'is written in' if en else 'nằm trong'} {loc.unit.label}: “{quote}” [{len(citations)}]"
                )
                break
        if not lines:
            return composed
        return composed.model_copy(update={"answer": composed.answer + "\n" + "\n".join(lines), "citations": citations})

    def no_end_date(self, qa: QueryAnalysis, en: bool, context: AnswerContext | None) -> ComposedAnswer | None:
        """ "Until when does X apply?" for a text that states no end date and that no text in the corpus ends:
        an abstention that says so (with its status), never a quote of its scope passed off as an answer."""
        docs = qa.explicit_documents
        if len(docs) != 1:
            return None
        doc_id = docs[0]
        text = self._folded_text(doc_id)
        if END_DATE_RE.search(text):
            return None  # the text sets an end ("đến hết ngày …", "áp dụng đến …"): quote it
        state = context.status(doc_id) if context is not None else self.corpus.get(doc_id).meta.status.value
        if state not in IN_FORCE and state != "not_yet_applicable":
            return None  # repealed / replaced / expired: the validity answer says since when
        m = self.corpus.get(doc_id).meta
        name = f"{m.doc_type} {m.number or ''} ({m.province})".replace("  ", " ")
        return abstain(
            self.corpus,
            f"{name} không quy định thời hạn kết thúc áp dụng, và không văn bản nào trong kho bãi bỏ, thay thế hoặc "
            f"chấm dứt hiệu lực của nó; hiện {status_label(state, False)}.",
            f"{name} sets no end date and no text in the corpus repeals, replaces or ends it; it is "
            f"{status_label(state, True)}.",
            en,
        )

    def undated_draft(self, qa: QueryAnalysis, en: bool) -> ComposedAnswer | None:
        """When will a draft take effect, what number will it have: no text says so. Abstain plainly, naming
        the draft and the text it would replace (never the draft's header as if it were issued)."""
        docs = qa.explicit_documents or qa.documents
        content = {"lead", "coordinate", "duties", "list", "definition", "quantity", "comparison"}
        if len(docs) != 1 or content & set(qa.intents) or qa.wants_current:
            return None  # also about what a text says, or about the rule in force: not only the draft's date
        m = self.corpus.get(docs[0]).meta
        if m.status.value != "draft" or m.effective_date or (m.number and m.issue_date):
            return None
        return abstain(
            self.corpus,
            f"{m.title} là dự thảo, chưa được ban hành: văn bản chưa có số, ngày ký và ngày hiệu lực, nên kho văn bản "
            "không thể cho biết khi nào nó có hiệu lực.",
            f"{m.title} is a draft that has not been issued: it has no number, signing date or effective date yet, "
            "so the corpus cannot say when it will take effect.",
            en,
        )

    def counterparts(self, hit: Hit, docs: list[str]) -> list[Hit]:
        """Articles of the other versions shown in the same comparison-table row."""
        loc = self.corpus.resolve(hit.id)
        if loc is None or loc.article is None or not loc.article.table_rows:
            return []
        rows = set(loc.article.table_rows)
        title = set(fold(loc.article.title or "").split())
        out = []
        for doc_id in docs:
            if doc_id == hit.doc_id:
                continue
            part = self.corpus.get(doc_id).part("regulation")
            shared = [a for a in (part.articles if part else []) if rows & set(a.table_rows)]
            if not shared:
                continue
            # an article spread over several rows meets several articles of the other version: the one sharing
            # the most rows, then the most words of its title
            art = max(
                shared,
                key=lambda a: (len(rows & set(a.table_rows)), len(title & set(fold(a.title or "").split()))),
            )
            out.append(Hit(id=art.id, score=hit.score, label=art.label, doc_id=doc_id))
        return out

    def select(self, qa: QueryAnalysis, hits: list[Hit]) -> list[Hit]:
        source = self.corpus.get(hits[0].doc_id).meta.source_file
        versions = [d for d in qa.documents if self.corpus.get(d).meta.source_file == source]
        if "comparison" in qa.intents and len(versions) == 1:  # "what does the draft change": the other versions
            versions += [d for d in self.versions_of(hits[0].doc_id) if self.corpus.get(d).meta.source_file == source]
        if hits[0].direct:
            direct = [h for h in hits if h.direct][:3]
            if "comparison" in qa.intents and len(versions) > 1 and len(direct) == 1:
                return direct + self.counterparts(direct[0], versions)  # the same point in the other version
            return direct
        if "comparison" in qa.intents and len(versions) > 1:
            top = hits[0]
            return [top] + self.counterparts(top, versions)
        multi = "comparison" in qa.intents or len(qa.provinces) > 1
        if multi:
            seen, out = set(), []
            for h in hits:
                if h.doc_id not in seen:
                    seen.add(h.doc_id)
                    out.append(h)
            if len(out) == 1 and "comparison" in qa.intents and len(hits) > 1 and hits[1].doc_id == out[0].doc_id:
                # one text compared within itself ("how does Level 2 compare with Level 4?"): its two best units
                out.append(hits[1])
            return out[:4]
        top = hits[0]
        out = [top]
        # two questions joined in one ("which agency manages them, and which decree must they comply with?"): the
        # second is often answered by another article, ranked lower since the words of the first weigh too
        asks = [
            p for q in re.split(r"[?？]", qa.text) for p in SECOND_QUESTION_RE.split(q) if ASKING_RE.search(fold(p))
        ]
        share = TWO_ASKS_SHARE if len(asks) > 1 else NEAR_TIE_SHARE
        for h in hits[1:3]:
            if h.score >= share * top.score and h.doc_id == top.doc_id:
                out.append(h)
        return out

    def lead_with_applicable(
        self, qa: QueryAnalysis, hits: list[Hit], ranked: list[Hit], context: AnswerContext
    ) -> list[Hit]:
        """When the best hit is in a version that does not apply on the answer's date (a draft, a text not yet
        in force or superseded) and the question does not ask for that version, lead with the applicable
        version's provision on the same point (the same comparison-table row, else its best-ranked hit) and
        keep the other version's after it, labelled with its status."""
        if not hits or "comparison" in qa.intents:
            return hits
        top = hits[0]
        heir = self.successor_hit(qa, hits, ranked, context)
        if heir is not None:  # "in former X now": the successor's own text issued since the merger leads
            return [heir, *[h for h in hits if h.doc_id != heir.doc_id][:2]]
        if context.status(top.doc_id) in IN_FORCE or top.doc_id in qa.explicit_documents:
            return hits
        top_meta = self.corpus.get(top.doc_id).meta
        asks_draft = top_meta.status.value == "draft" and bool(DRAFT_WORDS_RE.search(qa.folded))
        if asks_draft and not qa.wants_current:
            return hits  # the question asks what the draft says
        related = self.versions_of(top.doc_id)
        alive = [d for d in related if context.status(d) in IN_FORCE]
        if not alive:
            return hits
        alt = next(iter(self.counterparts(top, alive)), None) or next(
            (h for h in ranked if h.doc_id in alive and h.score >= 0.5 * top.score), None
        )
        if alt is None:
            return hits
        if asks_draft:  # "what would the draft require, and is it required today?": today's rule, then the draft's
            return [alt, top]
        return [alt, *[h for h in hits if h.doc_id != alt.doc_id][:2]]

    def successor_hit(
        self, qa: QueryAnalysis, hits: list[Hit], ranked: list[Hit], context: AnswerContext
    ) -> Hit | None:
        """A question about a former province now (or after the merger) whose best hit is that province's own
        text: the best-ranked hit (at least half the top score) in a text its successor issued since the
        merger and in force on the date, if any; the successor's rule is the one that applies there."""
        if not qa.former_provinces or not (qa.wants_current or qa.as_of) or qa.explicit_documents:
            return None
        registry = context.registry
        top_province = registry.lookup(self.corpus.get(hits[0].doc_id).meta.province)
        for name in qa.former_provinces:
            former = registry.lookup(name)
            if former is None or top_province is None or top_province.name != former.name:
                continue
            succ = registry.successor(former, context.as_of)
            since = registry.successor_since(former)
            for h in ranked:
                m = self.corpus.get(h.doc_id).meta
                if (
                    h.score >= 0.5 * hits[0].score
                    and fold(m.province) == fold(succ.name)
                    and since is not None
                    and m.issue_date is not None
                    and m.issue_date >= since
                    and context.status(h.doc_id) in IN_FORCE
                ):
                    return h
        return None

    def versions_of(self, doc_id: str) -> list[str]:
        """The other versions of a text: the same source (a comparison table's columns), the texts it is a draft
        of, repeals or replaces, and the texts that are drafts of, repeal or replace it."""
        meta = self.corpus.get(doc_id).meta
        out = [
            d.id
            for d in self.corpus.documents.values()
            if d.id != doc_id and d.meta.source_file == meta.source_file and d.meta.province == meta.province
        ]
        kinds = ("draft_of", "repeals", "replaces")
        out += [r.target for r in meta.relations if r.kind.value in kinds and r.target in self.corpus.documents]
        out += [
            d.id
            for d in self.corpus.documents.values()
            if any(r.target == doc_id and r.kind.value in kinds for r in d.meta.relations)
        ]
        return list(dict.fromkeys(out))

    def units_for(self, hit: Hit, qa: QueryAnalysis, limit: int = 2) -> list[Located]:
        article = self.corpus.resolve(hit.id)
        candidates = [self.corpus.resolve(u) for u in hit.units] or [article]
        if not hit.units and article.article is not None and article.article.clauses:
            # an article reached without matching units (a version's counterpart): its khoản closest to the
            # question, by the words they share with it
            words = set(fold(qa.lexical_query if qa.language == "en" else qa.text).split())
            clauses = [self.corpus.resolve(c.id) for c in article.article.clauses]
            candidates = sorted(
                (c for c in clauses if c is not None),
                key=lambda c: -len(words & set(fold(c.unit.text).split())),
            )
        candidates = [c for c in candidates if c is not None]
        if hit.direct:
            loc = candidates[0]
            return [loc]
        # an appendix of another text named by its number ("Appendix II of Circular 06/2023"): the unit that writes
        # "Phụ lục II" is the one asked about, not its sibling on "Phụ lục VI" (which unit, not which sentence)
        prefer = [*self.prefer_terms(qa), *(f"phụ lục {n}" for n in APPENDIX_NAMED_RE.findall(qa.folded))]
        named = [fold(f) for f in [*QUESTION_FIGURE_RE.findall(qa.text), *qa.figures]]
        if named and article.article is not None:
            # a figure the question itself names ("gửi sau 16 giờ", "trong 10 ngày"): the article's units that
            # state it are where the answer is, whether or not the search matched them
            naming = [
                loc
                for c in article.article.clauses
                for u in [c, *c.points]
                if any(f in fold(u.text) for f in named) and (loc := self.corpus.resolve(u.id)) is not None
            ]
            candidates = [*naming, *[c for c in candidates if c not in naming]]
        figure = bool({"quantity", "deadline"} & set(qa.intents))
        # the figure asked for: a sum of money for a money question, else any figure with its unit
        figure_re = (
            CASH_RE
            if CASH_QUESTION_RE.search(qa.folded)
            else AMOUNT_RE
            if MONEY_QUESTION_RE.search(qa.folded)
            else FIGURE_RE
        )
        if figure and article.article is not None and not any(figure_re.search(c.unit.text) for c in candidates):
            # a figure is asked for and no matching unit states one: the article's units that do, closest first
            words = set(fold(qa.lexical_query if qa.language == "en" else qa.text).split())
            stating = [
                loc
                for c in article.article.clauses
                for u in [c, *c.points]
                if (loc := self.corpus.resolve(u.id)) is not None and figure_re.search(u.text)
            ]
            candidates = sorted(stating, key=lambda c: -len(words & set(fold(c.unit.text).split()))) + candidates
        elif figure and article.article is None and not any(figure_re.search(c.unit.text) for c in candidates):
            if figure_re.search(article.unit.text):  # a plan section / appendix row whose own line states it
                candidates = [article, *candidates]
        if "deadline" in qa.intents and ("quantity" not in qa.intents or PERIOD_ASKED_RE.search(qa.folded)):
            # "by when": the units that state a date, a period or a time of day, in the search's order
            whole = 1 if TOTAL_ASKED_RE.search(qa.folded) else -1
            if whole > 0 and article.article is not None:  # the whole: every khoản stating a period may be it
                stating = [
                    loc
                    for c in article.article.clauses
                    if WHEN_RE.search(c.text) and (loc := self.corpus.resolve(c.id)) is not None
                ]
                candidates = [*candidates, *[c for c in stating if c not in candidates]]
            ranked = sorted(
                candidates,
                key=lambda c: (
                    not WHEN_RE.search(c.unit.text),
                    # the whole asked for ("how long does the whole procedure take"): a khoản's total before the
                    # steps its points set, whatever words they share with the question
                    c.id.count("/") if whole > 0 else 0,
                    -sum(fold(p) in fold(c.unit.text) for p in prefer),
                    -c.id.count("/"),  # else the smallest unit that holds it (a point before its khoản)
                ),
            )
        elif figure and qa.intents == ["quantity"]:
            # "how many / how much": the units stating a figure, in the search's order (the agencies named
            # in such a question are its subject's context, not the figure's)
            ranked = sorted(candidates, key=lambda c: not figure_re.search(c.unit.text))
        else:
            ranked = sorted(candidates, key=lambda c: -sum(fold(p) in fold(c.unit.text) for p in prefer))
        if named:  # the units stating a figure the question names come first, in that order
            ranked = sorted(ranked, key=lambda c: not any(f in fold(c.unit.text) for f in named))
        own = [c for c in ranked if c.unit.kind != "rationale"]
        if not own and article is not None and article.unit.kind != "rationale":
            own = [article]  # only the drafters' reason matched: the provision itself comes first
        ranked = own + (
            [c for c in ranked if c.unit.kind == "rationale"]
            if "rationale" in qa.intents or "comparison" in qa.intents
            else []
        )
        if ("rationale" in qa.intents or "comparison" in qa.intents) and article.article is not None:
            for r in article.article.rationales:
                loc = self.corpus.resolve(r.id)
                if loc and loc not in ranked:
                    ranked.append(loc)
        if "comparison" in qa.intents and article.article is not None and (sides := compared_sides(qa)):
            # two cases of one article set against each other: the unit saying each, told apart by the words one side
            # has and the other has not (a khoản naming both sides tells neither)
            parts = [
                loc
                for c in article.article.clauses
                for u in [c, *c.points]
                if (loc := self.corpus.resolve(u.id)) is not None
            ]

            texts = {loc.id: " " + " ".join(_syllables(loc.unit.text)) + " " for loc in parts}

            def said(loc: Located, side: set[str]) -> int:
                return sum(f" {p} " in texts[loc.id] for p in side)

            def telling(side: set[str]) -> set[str]:  # the words some of the article's parts say and most do not
                return {p for p in side if 0 < sum(f" {p} " in t for t in texts.values()) <= len(texts) / 2}

            best = []
            sides = (telling(sides[0]), telling(sides[1]))
            for side, other in (sides, sides[::-1]):
                scored = [(said(p, side) - said(p, other), said(p, side), p) for p in parts]
                top = max(scored, key=lambda x: (x[0], x[1]), default=None)
                if top is not None and top[0] > 0 and top[2] not in best:
                    best.append(top[2])
            if len(best) == 2:
                ranked = [*best, *[c for c in ranked if c not in best]]
                limit = max(limit, 2)
        if len([p for p in re.split(r"[?？]", qa.text) if len(p.strip()) > 3]) > 1:
            limit += 1  # a message asking two things: one more unit
        elif figure and article.article is not None and len(article.article.clauses) <= FIGURE_CLAUSES:
            # an article whose few khoản each set a figure ("20 ngày …", "cấp bách: 10 ngày …", "phức tạp: 30
            # ngày …"): a figure question gets each of them
            stating = [
                loc
                for c in article.article.clauses
                if figure_re.search(c.text) and (loc := self.corpus.resolve(c.id)) is not None
            ]
            if len(stating) > limit:
                covered = {c.clause.id for c in ranked if c.clause is not None}
                ranked = ranked[:limit] + [c for c in stating if c.clause.id not in covered] + ranked[limit:]
                limit = len(stating)
        return ranked[: limit + (1 if "rationale" in qa.intents else 0)] or [article]

    def part_named(self, article: Located, qa: QueryAnalysis) -> Located | None:
        """The clause or point of ``article`` that a share asked of it names ("how much of that is for the police
        certificate?" -> the point on "giấy chứng nhận đủ điều kiện về an ninh, trật tự"); None when none holds any
        of the share's words (``part_scored``)."""
        scored = self.part_scored(article, qa)
        return self.corpus.resolve(scored[1].id) if scored is not None else None

    def part_of(self, article_ids: list[str], qa: QueryAnalysis) -> str | None:
        """Of the articles the last answer cited, the one whose clause or point a share asked of it names best (the
        first cited on a tie); None when none names it."""
        best, best_key = None, None
        for n, article_id in enumerate(article_ids):
            article = self.corpus.resolve(article_id)
            scored = self.part_scored(article, qa) if article is not None else None
            if scored is not None and (best_key is None or (*scored[0], -n) > best_key):
                best, best_key = article_id, (*scored[0], -n)
        return best

    def part_scored(self, article: Located, qa: QueryAnalysis) -> tuple[tuple, object] | None:
        """(key, unit) of the clause or point of ``article`` holding the largest share of the part's words (an English
        part read through the glossary; a clause with points by its own words before them), then one the last answer
        quoted, then the finer; among those stating a figure when a figure is asked; None when none holds any."""
        words = set(_syllables(qa.part or ""))
        if qa.language == "en":
            words |= set(_syllables(expand_english(qa.part or "")))
        words = {w for w in words if w not in STOP and len(w) > 1} - PART_QUESTION_WORDS
        if not words or article.article is None:
            return None

        def own_text(unit) -> str:
            return text_before_points(unit) or unit.text

        def quoted(unit) -> bool:
            return any(unit.id == w or unit.id.startswith(w + "/") for w in qa.part_within)

        units = [u for c in article.article.clauses for u in (c, *c.points)]
        # a share of a figure ("how much of that", "bao nhiêu ngày"): among the units that state one
        states = figure_check(qa) if "quantity" in qa.intents else WHEN_RE.search if "deadline" in qa.intents else None
        units = [u for u in units if states(own_text(u))] or units if states is not None else units
        scored = [((len(words & set(_syllables(fold(own_text(u))))), quoted(u), u.id.count("/")), u) for u in units]
        best = max(scored, key=lambda x: x[0], default=None)
        return best if best is not None and best[0][0] > 0 else None

    def prefer_terms(self, qa: QueryAnalysis) -> list[str]:
        prefer = []
        if "lead" in qa.intents:
            # the role the question names ("cơ quan thường trực", "the focal point") before the usual "chủ trì"
            prefer += [written for asked, written in LEAD_ROLES if re.search(asked, qa.folded)]
            prefer.append("chủ trì")
        if "coordinate" in qa.intents:
            prefer.append("phối hợp")
        if "deadline" in qa.intents or "report" in qa.intents:
            prefer += ["trước ngày", "hằng năm", "hàng năm", "thời gian thực hiện", "hoàn thành"]
        return [*qa.quoted, *prefer, *qa.agencies]  # words the question quotes first: that is the sentence asked about

    def missing_level(self, qa: QueryAnalysis, hits: list[Hit]) -> tuple[str, str] | None:
        """ "mức 5", "hạng IV", "nhóm 3" asked about, where the document the answer comes from numbers that
        kind of item but never with that number: (what was asked, what exists). None otherwise."""
        if not hits:
            return None
        text = self._lower_text(hits[0].doc_id)
        for m in LEVEL_RE.finditer(qa.folded):
            word, wanted = m.group(1), _ordinal(m.group(2))
            if wanted is None:
                continue
            written = level_pattern(word)
            found = {
                n
                for x in re.finditer(rf"\b{written}\s+(\d{{1,2}}|[ivx]{{1,4}})\b", text)
                if (n := _ordinal(x.group(1)))
            }
            if found and wanted not in found:
                name = LEVEL_WORDS.get(word, word)
                return f"{m.group(0)}", ", ".join(f"{name} {n}" for n in sorted(found))
        return None

    def sum_of_topic(self, qa: QueryAnalysis, quote: str) -> bool:
        """Does ``quote`` state a sum of money for what the question asks about: a topic word of the question (not a
        word asking for the figure, the payment, or naming a text or a place) within ``SUM_WINDOW`` words of a sum
        ("100.000 đồng/năm" for a digital signature is no support for buying computers)? As ``rate_of_topic``, in a
        wider window (within 8 words one answerable question was lost) and without function words ("phục vụ")."""
        asking = RATE_QUESTION_WORDS | SUM_QUESTION_WORDS | FUNCTION_WORDS
        return self.rate_of_topic(qa, quote, figures=CASH_OR_MULTIPLE_RE, asking=asking, window=SUM_WINDOW)

    def rate_of_topic(
        self,
        qa: QueryAnalysis,
        quote: str,
        figures: re.Pattern = PERCENT_RE,
        asking: set[str] = RATE_QUESTION_WORDS,
        window: int = RATE_WINDOW,
    ) -> bool:
        """Does ``quote`` state a percentage of what the question asks about: a topic word of the question (not a
        word asking for the figure or naming a text or a place) within ``RATE_WINDOW`` words of a figure in % ("cắt
        giảm tối thiểu 30% thời gian thực hiện TTHC" is no rate of online filing)? Vietnamese questions only: an
        English one reaches the text through glossary terms, too coarse for a word-level check. (Leaving out the
        words of the texts' titles too lost two answerable questions: a plan's targets are about its title's
        subject.)"""
        places = {w for p in qa.provinces for w in _syllables(p)}
        # an English question's topic: the glossary's Vietnamese terms for it and the Vietnamese words it writes
        asked = (
            " ".join([expand_english(qa.text), *(w for w in qa.text.split() if has_diacritics(w))])
            if qa.language == "en"
            else qa.text
        )
        topic = set(_syllables(asked)) - asking - places
        topic = {w for w in topic if len(w) > 1 and not w.isdigit()}
        if not topic:
            return True
        # an English question's terms are coarser renderings: the sentence around the figure may hold them
        window = window * (2 if qa.language == "en" else 1)
        # the quote as written and with its abbreviations written out ("60% DNNVV, HTX, HKD …" for a question that
        # says "small and medium enterprises, cooperatives and household businesses", or "DNNVV" itself)
        for text in dict.fromkeys([quote, lexical_form(quote)]):
            for m in figures.finditer(text):
                near = _syllables(text[: m.start()])[-window:] + _syllables(text[m.end() :])[:window]
                if topic & set(near):
                    return True
        return False

    def names(self, doc_id: str, number: str) -> bool:
        """Does the text of ``doc_id`` write the document number ``number`` ("12/2020" of "12/2020/TT-BXX")?"""
        key = "/".join(fold(number).split("/")[:2])
        return re.search(rf"(?<![\d/]){re.escape(key)}(?![\d])", self._folded_text(doc_id)) is not None

    def succeeded(self, numbers: list[str]) -> bool:
        """Does a text of the corpus replace (or carry over, or draft a successor to) one of these numbers?"""
        return any(rel.kind.value in SUCCESSION_KINDS for _, rel in relations_to(self.corpus, numbers))

    def labels_of(self, numbers: list[str]) -> list[str]:
        """How the corpus names these texts ("QĐ 10/2016/QĐ-UBND"), else the numbers as asked."""
        labels = (rel.target_label or rel.target for _, rel in relations_to(self.corpus, numbers))
        return list(dict.fromkeys(labels)) or numbers

    def not_in_the_texts(self, qa: QueryAnalysis, hits: list[Hit]) -> tuple[str, str] | None:
        """What the question names that the texts in scope do not have, said plainly (Vietnamese, English): a
        plan of another year, a level the document does not number."""
        if other_year := self.plan_of_another_year(qa, hits):
            year, plans = other_year
            return (
                f"Kho văn bản không có kế hoạch cho năm {year} (chỉ có: {plans}).",
                f"The corpus holds no plan for {year} (only: {plans}).",
            )
        if absent := self.year_not_in_text(qa, hits):
            asked, existing = absent
            return (
                f"Văn bản không nêu mốc năm {asked}" + (f" (chỉ có các năm: {existing})." if existing else "."),
                f"The text sets nothing for {asked}" + (f" (the years it names: {existing})." if existing else "."),
            )
        if missing := self.missing_level(qa, hits):
            asked, existing = missing
            return (
                f"Văn bản không quy định “{asked}” (chỉ có: {existing}).",
                f"The text has no “{asked}” (it only has: {existing}).",
            )
        return None

    def year_not_in_text(self, qa: QueryAnalysis, hits: list[Hit]) -> tuple[str, str] | None:
        """A year the question asks about ("tỷ lệ đến năm 2050", "targets for 2031–2035") that the document the
        answer comes from never writes (outside document numbers and dates, which name other texts and days):
        (the years asked, the years the text names). Not for questions about validity or a date, whose years
        are the answer's date."""
        if not hits or qa.as_of is not None or TIME_INTENTS & set(qa.intents):
            return None
        asked = [y for y in YEAR_ALONE_RE.findall(NUMBER_OR_DATE_RE.sub(" ", qa.folded)) if y not in self._doc_years]
        if not asked:  # none, or years that name a document ("the 2012 decision", "dự thảo 2023")
            return None
        text = self._lower_text(hits[0].doc_id)
        if any(y in text for y in asked):
            return None
        named = sorted(set(YEAR_ALONE_RE.findall(NUMBER_OR_DATE_RE.sub(" ", text))))
        return "–".join(dict.fromkeys(asked)), ", ".join(named)

    def plan_of_another_year(self, qa: QueryAnalysis, hits: list[Hit]) -> tuple[str, str] | None:
        """ "Kế hoạch … năm 2026 của tỉnh X": a plan (or programme) asked for by its year, where the plans of the
        documents in scope are for other years (their titles say so): (the year asked, the plans there are)."""
        m = PLAN_YEAR_RE.search(qa.folded)
        if m is None or not hits:
            return None
        asked = next(g for g in m.groups() if g)
        docs = list(dict.fromkeys([*qa.documents, *(h.doc_id for h in hits[:3])]))
        plans = [
            d.meta
            for d in map(self.corpus.get, docs)
            if d is not None and fold(d.meta.doc_type).startswith(("ke hoach", "chuong trinh"))
        ]
        years = {meta.number: set(re.findall(r"\b(20\d\d)\b", meta.title or "")) for meta in plans}
        if not plans or any(asked in ys or not ys for ys in years.values()):
            return None  # a plan of that year is here, or a plan whose title names no year (it may cover it)
        named = ", ".join(f"{meta.doc_type} {meta.number} ({', '.join(sorted(years[meta.number]))})" for meta in plans)
        return asked, named

    def own_article_alone(self, qa: QueryAnalysis, hits: list[Hit]) -> list[Hit]:
        """ "What are the Provincial Police's duties?": when the first hit is the named agency's own article
        ("Điều N. Công an tỉnh"), that article is the answer, listed whole; other hits of the same document are
        left out (other documents stay: a comparison across provinces), except the own articles of the other
        agencies the question names ("how is responsibility split between the PPC Office and the Department of
        Science and Technology?": each one's article)."""
        if "duties" not in qa.intents or not qa.agencies or len(hits) < 2:
            return hits
        named = [fold(a) for a in qa.agencies]

        def owner(hit: Hit) -> str | None:  # the named agency whose own article the hit is
            loc = self.corpus.resolve(hit.id)
            title = title_subject(loc.article.title or "") if loc is not None and loc.article is not None else ""
            return next((a for a in named if title and title.startswith(a)), None)

        first = owner(hits[0])
        if first is None:
            return hits
        owners = {first}
        out = [hits[0]]
        for h in hits[1:]:
            if h.doc_id != hits[0].doc_id:
                out.append(h)
            elif (o := owner(h)) is not None and o not in owners:
                owners.add(o)
                out.append(h)
        return out

    def sub_sections(self, loc: Located) -> list[Located]:
        """The outline sections directly under a plan section ("II" -> "II.1", "II.2", …), in the text's order."""
        if loc.section is None:
            return []
        part = next((p for p in loc.document.parts if (p.slug or p.kind) == (loc.part_slug or loc.part)), None)
        if part is None:
            return []
        found = [self.corpus.resolve(s.id) for s in part.sections if s.id.rsplit(".", 1)[0] == loc.id and "." in s.path]
        return [f for f in found if f is not None]

    def heading_only(self, loc: Located) -> bool:
        """A plan section whose own text is its heading ("II. MỤC TIÊU CHỦ YẾU"), its content in its sub-sections."""
        section = loc.section
        return (
            section is not None
            and not section.items
            and not section.points
            and len(loc.unit.text) <= HEADING_CHARS
            and bool(self.sub_sections(loc))
        )

    def no_task_for(self, qa: QueryAnalysis) -> tuple[str, str] | None:
        """ "What tasks does Directive No. N give the Department of Finance?" when the text the question names does not
        name that department at all: it is given none there, said plainly (vi, en), not the closest provisions of
        another agency. Only for a question asking for duties (or a list of them) and nothing else, of no article or
        section by number, whose every agency is written in it (not an English gloss's) and named by no text in scope
        ("Công an thành phố" is the "Công an tỉnh" asked of a city). Looser versions (any duties intent, any agency)
        abstained on five answerable questions."""
        if "duties" not in qa.intents or set(qa.intents) - {"duties", "list"} or not qa.agencies:
            return None
        if not qa.explicit_documents and not (len(qa.documents) == 1 and TEXT_NOUN_RE.search(qa.folded)):
            # "Sở Ngoại vụ <tỉnh> có trách nhiệm gì?" (a department merged away): asked of a province, not of one
            # text, the closest provisions are shown with that said first (``quote_answer``). Asked of the one text
            # in scope by its kind ("Theo Quy chế … của <tỉnh>, Sở X có trách nhiệm gì?"), that text gives it none
            return None
        if qa.article is not None or qa.section is not None:
            return None
        asked = agency_key(qa.text)
        named = [a for a in qa.agencies if agency_key(a) in asked]  # as written in the question, not an English gloss
        texts = [self._agency_text(d) for d in qa.documents]
        missing = [a for a in named if not any(agency_key(a) in t for t in texts)]
        if not texts or not missing or len(missing) < len(qa.agencies):
            return None
        names = ", ".join(missing)
        where = ", ".join(
            dict.fromkeys(self.corpus.get(d).meta.number or self.corpus.get(d).meta.title for d in qa.documents)
        )
        return (
            f"Văn bản trong kho ({where}) không nhắc đến {names}, nên không giao nhiệm vụ nào cho {names}.",
            f"The texts in scope ({where}) do not mention {names}, so they give {names} no task.",
        )

    def _agency_text(self, doc_id: str) -> str:
        """A document's text as agency names are compared in it (``agency_key``), memoised."""
        if doc_id not in self._agency_texts:
            self._agency_texts[doc_id] = agency_key(self._lower_text(doc_id))
        return self._agency_texts[doc_id]

    def whole_section_first(self, qa: QueryAnalysis, hits: list[Hit], ranked: list[Hit]) -> list[Hit]:
        """ "What are the plan's main targets?": when two of the first ``SIBLINGS_DEPTH`` ranked hits are sub-sections
        of one heading-only section whose heading the question names ("mục tiêu" in "II. MỤC TIÊU CHỦ YẾU"), that
        section is the answer, listed whole (each sub-section one target); the sub-sections alone gave two of five."""
        if "list" not in qa.intents or not ranked or ranked[0].direct:
            return hits
        asked = fold(qa.lexical_query if qa.language == "en" else qa.text)
        counts: dict[str, int] = {}
        for h in ranked[:SIBLINGS_DEPTH]:
            loc = self.corpus.resolve(h.id)
            if loc is not None and loc.parent_id and loc.section is not None:
                counts[loc.parent_id] = counts.get(loc.parent_id, 0) + 1
        for parent_id, n in counts.items():
            parent = self.corpus.resolve(parent_id)
            if n < 2 or parent is None or not self.heading_only(parent):
                continue
            heading = GENERIC_HEADING_TAIL.sub("", fold(parent.unit.text).strip(" .:"))
            if f" {heading} " not in f" {asked} ":
                continue  # the question does not name the heading: a task among others, not the whole section
            children = [c.id for c in self.sub_sections(parent)]
            whole = Hit(
                id=parent.id, score=ranked[0].score, units=[], label=parent.unit.label, doc_id=parent.document.id
            )
            return [whole, *[h for h in hits if h.id != parent.id and h.id not in children]]
        return hits

    def named_level_first(self, qa: QueryAnalysis, hits: list[Hit], ranked: list[Hit]) -> list[Hit]:
        """ "mức 1", "hạng II", "level 3" asked about: the ranked hit whose heading (title or the words before
        its list) names that level leads, and the selected hits that name another level of the same kind are
        left out (four fee levels share every other word; only the number tells them apart). Several levels
        asked about ("how does Level 2 compare with Level 4?", "mức 1 và mức 2") each lead with their own hit,
        in the question's order, and only the levels not asked about are left out."""
        wanted = []
        for m in LEVEL_RE.finditer(qa.folded):
            n = _ordinal(m.group(2))
            if n is not None:  # an English "level"/"grade" may be any of the Vietnamese words
                wanted.append((level_pattern(m.group(1)), n))
        if not wanted:
            return hits
        numbers = list(dict.fromkeys(n for _, n in wanted))

        def named(h: Hit) -> set[int]:  # the levels of the kinds asked about that the hit's heading names
            loc = self.corpus.resolve(h.id)
            if loc is None:
                return set()
            head = (getattr(loc.unit, "title", None) or lead_in(loc) or loc.unit.text[:80])[:80].lower()
            return {
                _ordinal(x.group(1))
                for word in dict.fromkeys(w for w, _ in wanted)
                for x in re.finditer(rf"\b{word}\s+(\d{{1,2}}|[ivx]{{1,4}})\b", head)
            }

        def other(h: Hit) -> bool:  # names a level of that kind that was not asked about
            return bool(named(h) - set(numbers))

        best: list[Hit] = []
        for n in numbers:
            found = next((h for h in ranked if n in named(h)), None)
            if found is None and any(named(h) for h in ranked):
                # the search found other levels only: the level asked for is a sibling of theirs (same part), found
                # by its heading, as a reference would be
                parts = {
                    (h.doc_id, loc.part_slug or loc.part)
                    for h in ranked
                    if named(h) and (loc := self.corpus.resolve(h.id))
                }
                for loc in self.corpus.units():
                    in_part = (loc.document.id, loc.part_slug or loc.part) in parts
                    if in_part and loc.unit.kind in ("section", "article", "appendix_row"):
                        probe = Hit(id=loc.id, score=0.0, label=loc.unit.label, doc_id=loc.document.id)
                        if n in named(probe):
                            found = probe
                            break
            if found is not None and found.id not in {b.id for b in best}:
                best.append(found)
        if not best:
            return hits
        ids = {b.id for b in best}
        return [*best, *[h for h in hits if h.id not in ids and not other(h)]][: max(len(hits), len(best), 1)]

    def stating_figure_first(self, hits: list[Hit], ranked: list[Hit], states) -> list[Hit]:
        """A question asking for a figure: when none of the selected hits' units states one (``states``, from
        ``figure_check``) but a lower-ranked hit does, that hit leads."""

        def says(h: Hit) -> bool:  # the unit that would be quoted first, or the list's lead-in, states it
            units = [loc for u in [*h.units, h.id] if (loc := self.corpus.resolve(u)) is not None]
            lead = lead_in(self.corpus.resolve(h.id))
            return bool(units) and (states(units[0].unit.text) or bool(lead and states(lead)))

        if any(says(h) for h in hits):
            return hits
        better = next((h for h in ranked if says(h)), None)
        return [better, *[h for h in hits if h.id != better.id]][:3] if better is not None else hits

    def quote_for(self, loc: Located, qa: QueryAnalysis, max_chars: int = 450, with_list: bool = True) -> str:
        """The words of ``loc`` quoted for the question; a quote that opens a list brings the list's lines
        (``with_list``; not when the list's units are quoted one by one)."""
        text = loc.unit.text
        if loc.unit.kind == "appendix_row" and len(text) <= 900:
            return text  # task, lead, coordinating units and time belong together
        if loc.unit.kind == "article" and loc.article is not None and loc.article.body:
            text = loc.article.body  # the heading alone says nothing
        if block := asked_lines(qa, text, max_chars):
            return block
        whole = text.strip()
        if not has_own_parts(loc) and len(whole) <= max_chars * WHOLE_UNIT_SHARE and whole in text:
            return whole  # a short unit of no parts of its own, whole: its sentences explain each other
        query = qa.lexical_query if qa.language == "en" else qa.text
        prefer = self.prefer_terms(qa)
        if {"quantity", "deadline"} & set(qa.intents):  # the sentence that states the figure asked for
            money = bool(MONEY_QUESTION_RE.search(qa.folded)) and bool(AMOUNT_RE.search(text))
            figures = FIGURE_RE.findall(text)
            if (m := ASKED_UNIT_RE.search(qa.folded)) is not None:  # "how many working hours": figures in hours
                unit = ASKED_UNITS[m.group(1).rstrip("s")]
                figures = [f for f in figures if unit in f.lower()] or figures
            prefer = (re.findall(r"\d[\d.,]*\s*(?:đồng|triệu|tỷ|nghìn|%)", text) if money else []) or (prefer + figures)
        # an English question's words are matched one by one: its Vietnamese terms are glossary renderings strung
        # together, whose neighbours are no phrase of the question ("phụ lục" + "vị trí" made "lục VI" one)
        quote = best_quote(text, max_chars=max_chars, prefer=prefer, query=query, phrases=qa.language != "en")
        quote = with_its_subject(qa, text, quote)
        if {"quantity", "deadline"} & set(qa.intents):
            quote = with_all_figures(text, quote)
        quote = with_what_it_heads(text, quote)
        quote = with_its_list(text, quote) if with_list else quote
        quote = with_its_options(text, quote)
        return asked_line(qa, text, quote) or quote

    def likened_only(self, qa: QueryAnalysis) -> bool:
        """Is every province of the corpus the question names only a yardstick ("giống Hà Nội", "như ở X", "like
        X", "as X does")?"""
        for province in qa.provinces:
            name = r"\s*".join(re.escape(w) for w in fold(province).split())  # "Hà Nội", "ha noi", "Hanoi"
            spots = [m.start() for m in re.finditer(rf"\b{name}\b", qa.folded)]
            if not spots or not all(LIKENESS_RE.search(qa.folded[max(0, at - 16) : at]) for at in spots):
                return False
        return True

    def scope_mentions(self, documents: list[str], names: list[str]) -> bool:
        """Do the documents in scope (a follow-up's, a filter's) name one of these provinces ("that old <province>
        decision" in a text applying it)? Then a question naming it is about them, not about a missing province."""
        return any(
            fold(name) in self._folded_text(d) for d in documents if d in self.corpus.documents for name in names
        )

    def finest(self, loc: Located, quote: str) -> Located:
        """The smallest unit that holds the whole quote: a khoản's point, an article's khoản, a section's item
        or point, when the words quoted lie inside it (the citation then names exactly where they are)."""
        unit = loc.unit
        children = [
            *getattr(unit, "clauses", []),
            *getattr(unit, "points", []),
            *getattr(unit, "items", []),
        ]
        for child in children:
            if quote in child.text:
                inner = self.corpus.resolve(child.id)
                return self.finest(inner, quote) if inner is not None else loc
        return loc

    def list_units(self, article: Located, cap: int = 16) -> list[Located]:
        """Every clause (and its points) of an article, or every item of a plan section."""
        out: list[Located] = []
        if article.article is not None:
            for c in article.article.clauses:
                out.append(self.corpus.resolve(c.id))
                out += [self.corpus.resolve(p.id) for p in c.points]
        elif article.section is not None and self.heading_only(article):
            out = [article, *self.sub_sections(article)]  # "II. MỤC TIÊU": its heading, then each sub-section
        elif article.section is not None:
            out = [self.corpus.resolve(u.id) for u in [*article.section.items, *article.section.points]]
            if lead_in(article):  # "Mức 1, không quá … áp dụng đối với … sau đây:": the list's own words first
                out.insert(0, article)
        return out[:cap]

    def wants_whole_list(self, qa: QueryAnalysis, article: Located) -> bool:
        if "list" not in qa.intents and CONDITION_RE.search(qa.folded):
            return False  # "nếu …, cơ quan phải làm gì?": what follows from that case, not every duty of the article
        if article.section is not None and article.unit.kind == "section":
            sub = len(article.section.items) + len(article.section.points) or len(self.sub_sections(article))
            return bool({"list", "duties"} & set(qa.intents)) and sub > 0
        art = article.article
        if art is None or not art.clauses:
            return False
        return bool({"list", "duties"} & set(qa.intents)) or ("definition" in qa.intents and len(art.clauses) <= 8)

    def quote_answer(
        self, qa: QueryAnalysis, hits: list[Hit], en: bool, context: AnswerContext | None = None
    ) -> ComposedAnswer:
        citations: list[Citation] = []
        lines: list[str] = []
        warnings: list[str] = []
        multi = len(hits) > 1
        sources = {self.corpus.get(h.doc_id).meta.source_file for h in hits}
        versions_side_by_side = "comparison" in qa.intents and len({h.doc_id for h in hits}) > 1 and len(sources) == 1
        for hit in hits:
            article = self.corpus.resolve(hit.id)
            doc = article.document
            status = context.status(doc.id) if context is not None else doc.meta.status.value
            head = article.unit.label
            title = article.article.title if article.article is not None else getattr(article.unit, "title", None)
            if title and article.article is not None:
                head = head.replace(
                    f"Điều {article.article.number} —", f"Điều {article.article.number}. {gloss(title, en)} —", 1
                )
            elif title and article.section is not None:
                head = head.replace(
                    f"Mục {article.section.path} ({title})", f"Mục {article.section.path}. {gloss(title, en)}", 1
                )
            if status != "in_force":
                head += f" — {status_label(status, en)}"
                warnings.append(f"{doc.meta.title}: {status_label(status, en)}")
            lines.append(f"**{head}**")
            one_by_one = True  # the units of a list quoted each in turn (a lead-in then need not bring its list)
            narrowed = self.part_named(article, qa) if qa.part and hit.id == qa.focus else None
            if narrowed is not None:  # "how much of that is for X?": the unit of the cited article that X names
                units = [narrowed]
                max_chars = 450
            elif hit.direct and article.article is not None and hit.units == [article.id]:
                units = [self.corpus.resolve(c.id) for c in article.article.clauses] or [article]
                max_chars = 300
            elif (
                hit.direct and article.section is not None and hit.units == [article.id] and self.heading_only(article)
            ):
                # "Mục III (Kinh phí) quy định thế nào?": a section whose content is in its sub-sections, quoted with
                # each of them, as an article is with its khoản
                units = self.list_units(article)
                max_chars = 300
            elif self.wants_whole_list(qa, article) and (not multi or "list" in qa.intents):
                units = self.list_units(article, cap=10 if multi else 16)
                max_chars = LIST_ITEM_CHARS_SEVERAL if multi else LIST_ITEM_CHARS
                if len(units) == 1:  # a "list" of one: quoted as any single unit is
                    max_chars = max(max_chars, SINGLE_UNIT_CHARS)
            elif versions_side_by_side and article.article is not None and article.article.clauses:
                units = self.list_units(article, cap=8)  # what changed: each version's article as a whole
                max_chars = 240
            else:
                units = self.units_for(hit, qa)
                one_by_one = False
                max_chars = 700 if versions_side_by_side else 450
                lead = lead_in(article)
                if lead and {"quantity", "deadline"} & set(qa.intents) and article not in units and len(units) > 0:
                    if figure_check(qa)(lead):  # the figure is in the words before the list: they come first
                        units = [article, *units]
            lead_ins: dict[str, str] = {}
            if not one_by_one:  # a point quoted alone: its clause's lead-in first (who acts, on what)
                with_leads: list[Located] = []
                for loc in units:
                    clause_lead = clause_lead_in(loc)
                    parent = self.corpus.resolve(loc.clause.id) if clause_lead else None
                    if parent is not None and parent.id not in lead_ins and all(u.id != parent.id for u in units):
                        lead_ins[parent.id] = clause_lead
                        with_leads.append(parent)
                    with_leads.append(loc)
                units = with_leads
            queue = list(units)
            while queue:
                loc = queue.pop(0)
                if any(c.id == loc.id for c in citations):
                    continue  # one citation per unit
                lead = lead_ins.get(loc.id) or (lead_in(loc) if loc.unit is article.unit and len(units) > 1 else None)
                quote = (
                    lead
                    if lead and len(lead) <= max_chars
                    else self.quote_for(loc, qa, max_chars, not (one_by_one and has_parts(loc)))
                )
                if any(quote in c.quote for c in citations):
                    continue  # a section and its item quoting the same words, or a list already quoted whole: once
                loc = self.finest(loc, quote)
                if any(c.id == loc.id for c in citations):
                    continue
                citations.append(make_citation(loc, quote))
                lead = lead_phrase(qa, loc, en)
                lines.append(f"- {lead}“{quote}” [{len(citations)}]")
                if not one_by_one and loc.unit.kind == "clause" and quote.rstrip().endswith(":"):
                    # a khoản quoted up to "… trong các trường hợp sau đây:": its points are what it announces
                    points = [self.corpus.resolve(p.id) for p in (loc.clause.points if loc.clause else [])]
                    queue = [p for p in points if p is not None][:ANNOUNCED_POINTS] + queue
            if (set(qa.intents) & {"comparison", "rationale"}) and article.article is not None:
                for r in article.article.rationales[:1]:
                    loc = self.corpus.resolve(r.id)
                    if loc is None or any(c.id == r.id for c in citations):
                        continue  # one citation per unit
                    quote = best_quote(r.text, max_chars=400)
                    citations.append(make_citation(loc, quote))
                    lines.append(
                        f"- {'Drafters’ rationale' if en else 'Lý do của cơ quan soạn thảo'}: “{quote}” [{len(citations)}]"
                    )
            for note in doc.meta.notes:
                if "bãi bỏ" in note or "dự kiến thay thế" in note:
                    warnings.append(note)
        if context is not None and qa.as_of is not None:  # a question set on a date: say what applied then
            lines += self.dated_status(citations, context, en)
        intro = self._intro(qa, hits, en, citations)
        missing = unmentioned_agencies(qa, self._folded_text, list(self.corpus.documents))
        if missing:  # say so first, then the closest provisions: never let them pass for the agency's own
            names = ", ".join(missing)
            where = ", ".join(dict.fromkeys(self.corpus.get(d).meta.province for d in qa.documents))
            note = (
                f"The documents of {where} do not mention {names}; the closest provisions (quotes in Vietnamese, "
                "as written):"
                if en
                else f"Văn bản của {where} không nhắc đến {names}; các quy định gần nhất:"
            )
            intro = note if intro in (GENERIC_INTRO_EN, GENERIC_INTRO_VI) else f"{note}\n{intro}"
        text = "\n".join([intro, *lines]) if intro else "\n".join(lines)
        if warnings:
            text += "\n\n" + ("Note: " if en else "Lưu ý: ") + " ".join(dict.fromkeys(warnings))
        return ComposedAnswer(answer=text, abstained=False, citations=citations, warnings=list(dict.fromkeys(warnings)))

    def dated_status(self, citations: list[Citation], context: AnswerContext, en: bool) -> list[str]:
        """For a question set on a date: each cited document's status on that date, citing the clause that
        gives it effect (appended to ``citations``)."""
        lines = []
        for doc_id in list(dict.fromkeys(c.document_id for c in citations))[:3]:
            loc = effect_clause(self.corpus, doc_id)
            if loc is None:
                continue
            m = self.corpus.get(doc_id).meta
            name = f"{m.doc_type} {m.number or ''} ({m.province})".replace("  ", " ")
            state = status_label(context.status(doc_id), en)
            quote = effect_quote(loc)
            n = next((i for i, c in enumerate(citations, 1) if c.id == loc.id), None)
            if n is None:
                citations.append(make_citation(loc, quote))
                n = len(citations)
            eff = f"{m.effective_date:%d/%m/%Y}" if m.effective_date else ""
            lines.append(
                f"- On {context.as_of:%d/%m/%Y}, {name} was {state}"
                + (f" (effective {eff})" if eff else "")
                + f": “{quote}” [{n}]"
                if en
                else f"- Ngày {context.as_of:%d/%m/%Y}, {name} {state}"
                + (f" (có hiệu lực từ ngày {eff})" if eff else "")
                + f": “{quote}” [{n}]"
            )
        return lines

    @cached_property
    def _doc_years(self) -> set[str]:
        """Years by which a question may name a document: of its title, number, issue or effective date."""
        years: set[str] = set()
        for d in self.corpus.documents.values():
            m = d.meta
            years |= set(YEAR_ALONE_RE.findall(m.title or "")) | set(re.findall(r"(?:19|20)\d\d", m.number or ""))
            years |= {str(x.year) for x in (m.issue_date, m.effective_date) if x is not None}
            if (y := document_year(m)) is not None:
                years.add(str(y))
        return years

    def _lower_text(self, doc_id: str) -> str:
        """A document's whole text, lower-cased (accents kept)."""
        if doc_id not in self._lower:
            self._lower[doc_id] = " ".join(
                loc.unit.text.lower() for loc in self.corpus.units() if loc.document.id == doc_id
            )
        return self._lower[doc_id]

    def _folded_text(self, doc_id: str) -> str:
        """A document's whole text, accent-folded (``fold`` is memoised)."""
        return fold(self._lower_text(doc_id))

    def _intro(self, qa: QueryAnalysis, hits: list[Hit], en: bool, citations: list[Citation] | None = None) -> str:
        top = self.corpus.resolve(hits[0].id)
        if hits[0].direct:
            return f"Text of {top.unit.label}:" if en else f"Nội dung {top.unit.label}:"
        citations = citations or []
        if ("lead" in qa.intents or "coordinate" in qa.intents) and citations:
            found = lead_agency(citations)
            if found:
                agency, c = found
                n = citations.index(c) + 1
                where = f"{c.province}, {c.document_number or c.document_title}"
                coord = coordinating(c) if "coordinate" in qa.intents else None
                if en:
                    out = f"The lead agency is **{gloss(agency, True)}** ({where}) [{n}]."
                    if coord:
                        out += f" It coordinates with: {coord} [{n}]."
                    return out
                out = f"Cơ quan chủ trì: **{agency}** ({where}) [{n}]."
                if coord:
                    out += f" Phối hợp với: {coord} [{n}]."
                return out
        if "comparison" in qa.intents and len({c.document_id for c in citations}) > 1:
            return "Side by side, each with its citations:" if en else "So sánh theo từng văn bản, kèm trích dẫn:"
        return GENERIC_INTRO_EN if en else GENERIC_INTRO_VI
