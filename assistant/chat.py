"""Chat sessions: per-session history and follow-up resolution.

"Còn Hưng Yên thì sao?" / "and in Bac Kan?" re-asks the previous question for the new province or
document; "Điều đó có còn hiệu lực không?" / "is it still in force?" refers to the last cited document.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from corpus.text import fold

FOLLOW_UP_RE = re.compile(
    r"^(con|the con|vay con|and|what about|how about|and what about|and in|and for|same for|con o|va)\b.*"
    r"|.*\b(thi sao|the nao|ra sao)\s*\??$"
)
VALIDITY_REF_RE = re.compile(r"\b(dieu do|van ban do|quyet dinh do|no|it|that (one|document|decision|regulation)|this (one|document))\b")


@dataclass
class Turn:
    question: str
    resolved: str
    documents: list[str]
    provinces: list[str]


@dataclass
class Session:
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.time)


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


def resolve_follow_up(question: str, session: Session | None, analysis, analyzer) -> str:
    """Rewrite a follow-up into a stand-alone question, or return it unchanged."""
    if session is None or not session.turns:
        return question
    last = session.turns[-1]
    folded = fold(question)
    short = len(folded.split()) <= 9
    new_scope = analysis.provinces or analysis.explicit_documents
    if short and new_scope and FOLLOW_UP_RE.match(folded):
        base = last.resolved
        for p in last.provinces:
            base = re.sub(re.escape(p), "", base, flags=re.IGNORECASE)
            base = re.sub(re.escape(fold(p)), "", base, flags=re.IGNORECASE)
        target = ", ".join(analysis.provinces) if analysis.provinces else question
        return f"{base.strip().rstrip('?')} ở {target}?" if analysis.language == "vi" else f"{base.strip().rstrip('?')} in {target}?"
    if short and VALIDITY_REF_RE.search(folded) and not new_scope and last.documents:
        return f"{question} [{last.documents[0]}]"
    return question
