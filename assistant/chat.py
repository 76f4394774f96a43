"""Chat sessions: per-session history and follow-up resolution.

A turn is a follow-up when it is short or refers back ("Còn Hưng Yên thì sao?", "and in Bac Kan?",
"Điều đó có còn hiệu lực không?", "Why did the drafters change it?"). Then:

* if it names a new scope (province, document number, "dự thảo 2025", "QĐ 10/2018") and says little
  else, the previous question is asked again for that scope;
* if it names no scope, it inherits the previous turn's documents (and, when it points at "điều đó"/
  "it", the article last cited);
* if it names a version of the same province ("Còn trong dự thảo 2025 …"), the scope moves to that
  version.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from pydantic import BaseModel

from corpus.text import fold

FILLER = {
    "con", "thi", "sao", "the", "nao", "vay", "va", "o", "tai", "cua", "trong", "theo", "ra", "nhu", "and", "what",
    "about", "how", "in", "for", "the", "same", "ve", "do", "nay", "it", "that", "this", "one", "tinh", "province",
    "quyet", "dinh", "qd", "ubnd", "du", "thao", "draft", "nam", "year", "ban", "quy", "che", "regulation", "decision",
    "la", "co", "khong", "dieu",
}
ANAPHORA_RE = re.compile(r"\b(do|nay|no|it|its|that|this|they|them|those|these|van ban tren|dieu tren)\b")
FOLLOW_START_RE = re.compile(r"^(con|the con|vay con|and|what about|how about|and what about|same for|va)\b")


@dataclass
class Turn:
    question: str
    resolved: str
    documents: list[str]
    provinces: list[str]
    articles: list[str] = field(default_factory=list)


@dataclass
class Session:
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.time)


class FollowUp(BaseModel):
    question: str  # the stand-alone question to search with
    documents: list[str] | None = None  # scope override
    article: str | None = None  # article in focus ("điều đó")
    note: str = ""


class SessionStore:
    def __init__(self, max_sessions: int = 1000, max_turns: int = 20):
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.max_sessions, self.max_turns = max_sessions, max_turns
        self.lock = threading.Lock()

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self.lock:
            s = self.sessions.get(session_id)
            if s is None:
                s = self.sessions[session_id] = Session()
                while len(self.sessions) > self.max_sessions:
                    self.sessions.popitem(last=False)
            self.sessions.move_to_end(session_id)
            s.touched = time.time()
            return s

    def record(self, session: Session | None, turn: Turn) -> None:
        if session is None:
            return
        with self.lock:
            session.turns.append(turn)
            del session.turns[:-self.max_turns]


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


def resolve_follow_up(question: str, session: Session | None, qa, corpus) -> FollowUp | None:
    """A stand-alone reading of a follow-up turn, or None when the turn stands on its own."""
    if session is None or not session.turns:
        return None
    last = session.turns[-1]
    folded = qa.folded
    words = folded.split()
    anaphora = bool(ANAPHORA_RE.search(folded))
    starts = bool(FOLLOW_START_RE.match(folded))
    if len(words) > 14 or not (anaphora or starts or len(words) <= 6):
        return None
    new_scope = list(qa.documents) if (qa.provinces or qa.explicit_documents) else []
    comparing = bool({"comparison", "rationale"} & set(qa.intents))
    if not new_scope and (qa.wants_draft or qa.wants_current) and last.documents and not comparing:
        province = corpus.get(last.documents[0]).meta.province
        same = [d.id for d in corpus.documents.values() if d.meta.province == province]
        drafts = [d for d in same if corpus.get(d).meta.status.value == "draft"]
        new_scope = drafts if qa.wants_draft else [d for d in same if d not in drafts]
    own = content_words(folded, qa.provinces)
    if new_scope and set(new_scope) != set(last.documents) and len(own) <= 2:
        names = sorted({corpus.get(d).meta.province for d in new_scope})
        return FollowUp(question=rescope(last.resolved, last.provinces, names, qa.language), documents=new_scope, note="scope")
    if new_scope:
        return None if not anaphora else FollowUp(question=question, documents=new_scope, note="scope+own")
    focus = last.articles[0] if (anaphora and last.articles) else None
    return FollowUp(question=question, documents=last.documents or None, article=focus, note="inherit")
