"""Conversations: the typed state of one chat, and follow-up resolution.

``Conversation`` is small and JSON-serialisable, so the web layer can hand it to the client in a signed token
and several server replicas share nothing; ``ConversationStore`` keeps conversations in memory for in-process
callers (CLI, evaluation) that identify a chat by an id.

A turn is a follow-up when it is short or refers back ("Còn Lào Cai thì sao?", "and in Can Tho?",
"Điều đó có còn hiệu lực không?", "Why did the drafters change it?"). Then:

* if it names a new scope (province, document number, "dự thảo 2023", "QĐ 12/2012") and says little
  else, the previous question is asked again for that scope;
* if it names no scope, it inherits the previous turn's documents (and, when it points at "điều đó"/
  "it", the article last cited);
* if it names a version of the same province ("Còn trong dự thảo 2025 …"), the scope moves to that
  version.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import ClassVar

from pydantic import BaseModel, Field

from corpus.store import Corpus
from corpus.text import fold
from index.retrieval.analysis import TEMPORAL_INTENTS, QueryAnalysis, document_year

FILLER = {
    "con",
    "thi",
    "sao",
    "the",
    "nao",
    "vay",
    "va",
    "o",
    "tai",
    "cua",
    "trong",
    "theo",
    "ra",
    "nhu",
    "and",
    "what",
    "about",
    "how",
    "in",
    "for",
    "the",
    "same",
    "ve",
    "do",
    "nay",
    "it",
    "that",
    "this",
    "one",
    "tinh",
    "province",
    "quyet",
    "dinh",
    "qd",
    "ubnd",
    "du",
    "thao",
    "draft",
    "nam",
    "year",
    "ban",
    "quy",
    "che",
    "regulation",
    "decision",
    "la",
    "co",
    "khong",
    "dieu",
    "neu",  # "còn nếu chỉ là … thì sao?": if, only, then
    "chi",
    "if",
    "only",
    "just",
}
ANAPHORA_RE = re.compile(r"\b(do|nay|no|it|its|that|this|they|them|those|these|van ban tren|dieu tren)\b")
# a turn that opens by leaning on the last one: "còn …", "vậy (nếu) …", "thế thì …", "and …", "what if …", "then …"
FOLLOW_START_RE = re.compile(
    r"^(con|the con|vay con|vay|vay thi|the thi|the neu|neu vay|va|and|what about|how about|and what about|same for"
    r"|what if|and if|but if|then|in that case|so)\b"
)


#: the words of a turn asking only for what a task or provision has - who leads or coordinates it, by when, how long,
#: how much - and naming no topic of its own (folded; after ``FILLER``)
ATTRIBUTE_WORDS = frozenset(
    "co quan don vi phoi hop chu tri thoi han gian hoan thanh khi nao nhung ai bao lau truoc ngay gi xong phai"
    " thuc hien tien do kinh phi nguon who coordinates coordinate coordinating leads lead deadline when date done"
    " completed complete due which agencies agency bodies body by timeline time frame timeframe".split()
)

#: a turn pointing at "this text" ("thông tư này", "quyết định đó", "this circular"): the conversation's document
THIS_TEXT_RE = re.compile(
    r"\b(van ban|quyet dinh|thong tu|nghi dinh|nghi quyet|ke hoach|chi thi|quy che|quy dinh|chuong trinh|phu luc)"
    r" (nay|do|tren)\b|\b(this|that|the same) (document|decision|circular|decree|resolution|plan|directive"
    r"|regulation|regulations|programme|program|appendix|annex)\b"
)

#: the acknowledgement a turn may open with before it leans on the last one ("ok, and what about …?", "cảm ơn, còn …?",
#: "dạ, vậy …"): left out when telling whether the turn is a follow-up (folded)
ACKNOWLEDGEMENT_RE = re.compile(
    r"^(?:(?:ok(?:ay|e)?|right|alright|all right|thanks?(?: you)?|great|got it|i see|well|hmm+|cool|perfect"
    r"|(?:da )?vang|oke|duoc roi|ok roi|cam on(?: ban)?)\b[\s,.!;:-]*)+"
)


#: a turn asking for a share of what the last answer gave ("how much of that is for the police certificate?", "trong
#: đó riêng khâu cấp giấy phép được bao nhiêu ngày?", "còn riêng bước …?"): the words after it name the part (folded)
PARTITIVE_RE = re.compile(
    r"\b(?:how (?:much|many|long)|what (?:part|share|portion))\b.{0,25}?\bof (?:that|it|this|which|those|them)\b"
    r"(?:\s+(?:is|are|goes|go|takes|take))?(?:\s+(?:just|only))?(?:\s+(?:for|to|on))?"
    # Vietnamese only at the turn's start: "riêng", "trong đó" are common words inside a question of its own
    r"|^(?:(?:con|vay|the|thi|va)\s+)*(?:trong (?:do|so do)\b(?:\s+rieng)?|rieng\b)"
)


#: a turn choosing among what the last answer listed ("which of those targets is about …", "which of them …", "mục
#: tiêu nào trong số đó …"): a follow-up however long it is (folded)
SELECTION_RE = re.compile(
    r"\b(?:which|what)(?: one)?(?: \w+)? of (?:those|these|them|the above)\b|\bnao trong (?:so )?(?:do|nay|tren)\b"
)


class Turn(BaseModel):
    """One answered question: what was asked, what was searched, which documents and articles it cited."""

    question: str
    resolved: str  # the stand-alone question that was searched
    documents: list[str]
    provinces: list[str]
    articles: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)  # the units cited, in the answer's order


class Conversation(BaseModel):
    """The turns of one chat, oldest first (at most ``MAX_TURNS``)."""

    turns: list[Turn] = Field(default_factory=list)

    MAX_TURNS: ClassVar[int] = 20

    def with_turn(self, turn: Turn, max_turns: int | None = None) -> "Conversation":
        """A new conversation with ``turn`` appended (conversations are not mutated)."""
        keep = max_turns or self.MAX_TURNS
        return Conversation(turns=[*self.turns, turn][-keep:])


class FollowUp(BaseModel):
    """How a follow-up turn is read: the stand-alone question and the scope it inherits."""

    question: str  # the stand-alone question to search with
    documents: list[str] | None = None  # scope override
    article: str | None = None  # article in focus ("điều đó")
    note: str = ""
    own_intents: bool = False  # searched with the previous question's words, but asks what this turn asks
    own_words: int = 0  # the turn's own content words (few: "Văn bản đó thì sao?" asks about the text itself)
    part: str | None = None  # a share of the last answer asked about ("how much of that is for X?"): X's words
    within: list[str] = Field(default_factory=list)  # ... first among these units the last answer cited
    articles: list[str] = Field(default_factory=list)  # ... in one of these articles it cited (``article``: the first)

    @property
    def about_the_text_itself(self) -> bool:
        """A turn about the cited text with (almost) no words of its own ("Còn văn bản đó?"): it asks its status."""
        return self.own_words <= FOCUS_WORDS


class ConversationStore:
    """Conversations by id, in memory, least recently used dropped first (for in-process callers)."""

    def __init__(self, max_conversations: int = 1000):
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self.max_conversations = max_conversations
        self._lock = threading.Lock()

    def get(self, conversation_id: str | None) -> Conversation | None:
        if not conversation_id:
            return None
        with self._lock:
            conv = self._items.get(conversation_id) or Conversation()
            self._items[conversation_id] = conv
            self._items.move_to_end(conversation_id)
            while len(self._items) > self.max_conversations:
                self._items.popitem(last=False)
            return conv

    def put(self, conversation_id: str | None, conversation: Conversation) -> None:
        if not conversation_id:
            return
        with self._lock:
            self._items[conversation_id] = conversation
            self._items.move_to_end(conversation_id)


def content_words(folded: str, provinces: list[str]) -> list[str]:
    text = folded
    for p in provinces:
        text = text.replace(fold(p), " ")
    text = re.sub(r"\d+\s*/\s*\d{4}(/[a-z\-]+)?", " ", text)
    return [w for w in re.findall(r"[a-z]+", text) if w not in FILLER and len(w) > 1]


def rescope(question: str, old: list[str], new: list[str], language: str) -> str:
    """The previous question with its province names replaced by the new ones."""
    text = question
    for name in old:
        for form in {name, fold(name)}:
            text = re.sub(r"\b" + r"[\s\-]*".join(map(re.escape, form.split())) + r"\b", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+([,.?!;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip().rstrip("?").strip()
    text = re.sub(r"\b(ở|tại|của|in|of|for)\s*$", "", text).strip()
    joined = " và ".join(new) if language == "vi" else " and ".join(fold(n).title() for n in new)
    return f"{text} ở {joined}?" if language == "vi" else f"{text} in {joined}?"


def resolve_follow_up(
    question: str, conversation: Conversation | None, qa: QueryAnalysis, corpus: Corpus
) -> FollowUp | None:
    """A stand-alone reading of a follow-up turn, or None when the turn stands on its own."""
    if conversation is None or not conversation.turns:
        return None
    last = conversation.turns[-1]
    folded = ACKNOWLEDGEMENT_RE.sub("", qa.folded) or qa.folded
    words = folded.split()
    anaphora = bool(ANAPHORA_RE.search(folded))
    # "thế sở đó phải …" typed without accents opens with "the": a follow-up's "thế" in a Vietnamese turn only
    starts = bool(FOLLOW_START_RE.match(folded)) or (qa.language == "vi" and folded.startswith("the "))
    another_version = bool(qa.wants_draft or qa.wants_current or qa.years) and not (
        qa.provinces or qa.explicit_documents
    )
    part = PARTITIVE_RE.search(folded)
    if part and last.articles and not (qa.provinces or qa.explicit_documents):
        # "how much of that is for X?", "trong đó riêng khâu X …": a share of what the last answer cited, the part
        # X's words name (among the units it quoted first, then in its article)
        return FollowUp(
            question=f"{question} ({last.resolved})",
            documents=last.documents or None,
            article=last.articles[0],
            note="part",
            own_intents=True,
            part=folded[part.end() :].strip(" ?.!") or None,
            within=list(last.units),
            articles=list(last.articles),
        )
    attributes = content_words(folded, qa.provinces)
    if not (qa.provinces or qa.explicit_documents) and attributes and last.documents:
        # no opening word needed: a turn with no topic of its own ("Thế đơn vị phối hợp là ai và thời gian thực hiện
        # thế nào?") can only be about the last one
        if all(w in ATTRIBUTE_WORDS for w in attributes):
            # "Vậy cơ quan phối hợp là những ai và thời hạn hoàn thành khi nào?": only what the last answer's task or
            # provision has (who coordinates, by when), however many words it takes: asked of it, searched together
            return FollowUp(
                question=f"{question} ({last.resolved})",
                documents=last.documents,
                note="attributes",
                own_intents=True,
            )
    if SELECTION_RE.search(folded) and not (qa.provinces or qa.explicit_documents) and last.documents:
        # "which of those targets is about outside talent, and what share does it aim for?": one of the items the last
        # answer gave, however many words the turn takes; searched with the last question, in its article
        return FollowUp(
            question=f"{question} ({last.resolved})",
            documents=last.documents,
            article=last.articles[0] if last.articles else None,
            note="chooses",
            own_intents=True,
        )
    if (len(words) > 14 and not (starts and another_version)) or not (anaphora or starts or len(words) <= 6):
        this_text = bool(THIS_TEXT_RE.search(folded))
        if (starts or this_text) and not (qa.provinces or qa.explicit_documents) and last.documents:
            # a long turn pointing at the text the conversation is about ("… trong quá trình thực hiện thông tư này mà
            # có vướng mắc thì …?") or opening like a follow-up ("Còn Văn phòng UBND tỉnh thì …?"), naming no scope
            # of its own: asked about the documents of the conversation
            return FollowUp(question=question, documents=last.documents, note="inherit-scope")
        return None
    new_scope = list(qa.documents) if (qa.provinces or qa.explicit_documents) else []
    comparing = bool({"comparison", "rationale"} & set(qa.intents))
    if not new_scope and (qa.wants_draft or qa.wants_current or qa.years) and last.documents and not comparing:
        province = corpus.documents[last.documents[0]].meta.province
        same = [d for d in corpus.documents.values() if d.meta.province == province]
        drafts = [d.id for d in same if d.meta.status.value == "draft"]
        named_year = [d.id for d in same if document_year(d.meta) in qa.years]
        if qa.wants_draft:
            new_scope = drafts
        elif named_year:
            new_scope = named_year  # "and under the 2012 decision?"
        elif qa.wants_current:
            new_scope = [d.id for d in same if d.id not in drafts]
    if set(new_scope) == set(last.documents):
        new_scope = []  # the same documents again ("is it still in force now?"): nothing new, inherit the focus
    own = attributes
    if new_scope and set(new_scope) != set(last.documents) and len(own) <= 2:
        names = sorted({corpus.documents[d].meta.province for d in new_scope})
        return FollowUp(
            question=rescope(last.resolved, last.provinces, names, qa.language), documents=new_scope, note="scope"
        )
    if new_scope:
        if not anaphora:
            return None
        # "and under the draft — is it still the same department?": "it" is what the previous question asked
        # about; searched together with it, in the new scope, asking what this turn asks
        return FollowUp(
            question=f"{question} ({last.resolved})", documents=new_scope, note="scope+own", own_intents=True
        )
    focus = last.articles[0] if (anaphora and last.articles) else None
    # "and level 4?", "what about item III.2, on …?": the previous question for another number or outline path (a
    # turn that opens like a follow-up and names a path re-numbers whatever else it says)
    renumbered = (
        renumber(last.resolved, question)
        if not comparing and (len(own) <= ANAPHORIC_WORDS or (starts and _PATH.search(question)))
        else None
    )
    if renumbered is not None:  # "and level 4?" after "… for a Level 1 consultant?": the same question, level 4
        return FollowUp(question=renumbered, documents=last.documents or None, note="renumbered")
    # "is it still in force?", "why did they change it?": about the text last cited, not a new search
    about_it = comparing or bool(TEMPORAL_INTENTS & set(qa.intents)) or article_words(words)
    if not about_it and (
        len(own) <= ELLIPTIC_WORDS or ((anaphora or starts) and len(own) <= ANAPHORIC_WORDS)
    ):  # "còn nếu chỉ là thông tin cảnh báo rủi ro thì sao?": the last question, for another case
        # "Who gets the admin account for it?": too little of its own to search with; the previous question
        # says what "it" is. Searched together; what is asked (the intents) stays this turn's.
        return FollowUp(
            question=f"{question} ({last.resolved})",
            documents=last.documents or None,
            note="elliptic",
            own_intents=True,
        )
    if focus and anaphora and not comparing and "effective" not in qa.intents and len(own) > FOCUS_WORDS:
        # "until when does that old decision stay applicable?": about what the last answer cited, with words of
        # its own; searched together with the previous question ("that decision"), the focus kept. Not "is it
        # still in force?": the cited text's own status, where the previous question's words would only mislead
        return FollowUp(
            question=f"{question} ({last.resolved})",
            documents=last.documents or None,
            article=focus,
            note="inherit+context",
            own_intents=True,
            own_words=len(own),
        )
    return FollowUp(
        question=question, documents=last.documents or None, article=focus, note="inherit", own_words=len(own)
    )


#: a turn about the cited text with more words of its own than this is searched with the previous question too
FOCUS_WORDS = 2


#: a follow-up with at most this many content words of its own ("Who gets the admin account for it?") is
#: searched together with the previous question
ELLIPTIC_WORDS = 4
#: ... and so is one that points back ("it", "đó") with a few more words ("Who gets the admin account for it?"),
#: unless it points at a unit ("điều đó", "that article"): then the cited article is the focus
ANAPHORIC_WORDS = 7


def article_words(words: list[str]) -> bool:
    return bool({"dieu", "khoan", "diem", "article", "clause", "point", "section", "document"} & set(words))


#: an outline path ("2.3", "III.2.1", "II.1"): a plan section or an appendix row
_PATH = re.compile(r"(?<![\w./])(?:[IVX]+|\d+)(?:\.\d+)+(?![\w/]|\.\d)")
_NUMBERED = re.compile(r"([^\W\d_]+)(\s+)(\d+(?:[.,]\d+)*)")


#: words before a number that do not say what is numbered ("the 2012 decision", "của 2023")
_NOT_A_NAME = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "for",
    "to",
    "and",
    "by",
    "from",
    "on",
    "at",
    "cua",
    "va",
    "o",
    "tai",
    "tu",
}


def renumber(previous: str, question: str) -> str | None:
    """``previous`` with the number after a word replaced by the one this turn gives after the same word
    ("… năm 2030?" + "Còn mốc năm 2035 thì sao?" -> "… năm 2035?"; "Level 1" + "and level 4?" -> "Level 4"),
    or None when the turn re-numbers nothing of the previous question."""
    path = _PATH.search(question)
    if path is not None and not _NUMBERED.search(question.replace(path.group(0), " ")):
        # "what about 2.3?" after "… mục III.2.1 …": the same question for III.2.3
        wanted = path.group(0).split(".")
        for m in _PATH.finditer(previous):
            parts = m.group(0).split(".")
            if len(parts) >= len(wanted) and parts[-len(wanted) :] != wanted:
                renamed = ".".join(parts[: len(parts) - len(wanted)] + wanted)
                return previous[: m.start()] + renamed + previous[m.end() :]
        return None
    asked = {fold(m.group(1)): m.group(3) for m in _NUMBERED.finditer(question) if fold(m.group(1)) not in _NOT_A_NAME}
    if not asked:
        return None
    changed = False

    def swap(m: re.Match) -> str:
        nonlocal changed
        number = asked.get(fold(m.group(1)))
        if number is None or number == m.group(3):
            return m.group(0)
        changed = True
        return m.group(1) + m.group(2) + number

    out = _NUMBERED.sub(swap, previous)
    return out if changed else None
