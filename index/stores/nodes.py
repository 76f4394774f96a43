"""llama-index ``TextNode``s from the corpus, at two grains.

* ``article`` grain: a whole article, plan section, appendix row, preamble or note — what retrieval
  metrics count and what an answer links to.
* ``fine`` grain: a clause, point, plan item or rationale — what answers quote.

Node ids are the citation ids. Each node's text is prefixed by a short context header
(province · document · Điều N. title) so that both BM25 and the embedder see where it comes from.
Every text is embedded once, at its finest grain (:func:`embedding_texts`): a node whose text is indexed
part by part (an article with khoản, a khoản with điểm, a plan section with items;
:func:`embedded_through_parts`) is in BM25 with its whole text, but the embedder reads only what its
parts leave out (a lead-in, a closing paragraph; most have none and get no vector) -- the dense side
finds it through its parts, which the retriever aggregates to the article. Measured on the dev split
(single-turn questions, fp32 e5, dense alone, hit@5 / MRR): every node embedded 78.6 / 66.9; finest
grain 78.6 / 68.0 for 63% of the embedding work; a length-weighted mean of the clause vectors as the
article's vector instead 76.7 / 65.0; the hybrid retriever's scores are unchanged.

Metadata is flat (scalars only: llama-index's Chroma adapter rejects lists).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from corpus.store import Corpus, Located
from corpus.text import fold, squash

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode

ARTICLE_KINDS = {"article", "section", "appendix_row", "preamble", "note"}
PART_KINDS = {"clause", "point", "item"}  # parts whose text is inside their parent's (rationales are not)
MAX_CHARS = 1200  # ~300 e5 tokens: clauses fit whole; long articles are also indexed clause by clause


def doc_short(loc: Located) -> str:
    m = loc.document.meta
    if m.status.value == "draft":
        return f"Dự thảo Quy chế {m.province} 2025"
    if loc.part == "regulation":
        return f"Quy chế kèm {m.doc_type} {m.number}"
    if loc.part == "appendix":
        return f"Phụ lục {m.doc_type} {m.number}"
    return f"{m.doc_type} {m.number}"


def _enclosing_titles(loc: Located) -> list[str]:
    """The headings of the sections a sub-section sits in ("II. MỤC TIÊU CHỦ YẾU" for "II.1"): an untitled
    sub-section ("100% đội ngũ … có trình độ …") is found by what its section says it is (a target, a task).
    Measured and left out: an article's Chương title in its header (extra 93.1 -> 92.9 cited, about as many questions
    lost as gained; dev 96.6 -> 95.6; validity 97.2 -> 95.4): an article's own title already says what it holds."""
    path = loc.section.path if loc.section is not None else ""
    part = loc.document.part(loc.part_slug or loc.part)
    if "." not in path or part is None:
        return []
    titles = {s.path: s.title for s in part.sections}
    pieces = path.split(".")
    out = []
    for n in range(1, len(pieces)):
        outer = ".".join(pieces[:n])
        if titles.get(outer):
            out.append(f"Mục {outer}. {titles[outer]}")
    return out


#: the opening of a heading that names whose duties follow ("Trách nhiệm của …", "Nhiệm vụ …", "Trách nhiệm, quyền hạn
#: của …", "Chức năng, nhiệm vụ và quyền hạn của …"), folded
DUTIES_HEADING_RE = re.compile(r"^(?:(?:trach nhiem|nhiem vu|quyen han|chuc nang)\s*(?:,|va\b)?\s*)+(?:cua\s+)?")


def title_subject(title: str) -> str:
    """A heading folded, without its "Trách nhiệm (của)" opening: whose article it is ("van phong ubnd tinh")."""
    return DUTIES_HEADING_RE.sub("", fold(title))


def _shared_title_chapter(loc: Located) -> str | None:
    """The chapter of an article whose title another article of the same part repeats ("Điều 6. Trách nhiệm Văn phòng
    UBND tỉnh" in "Chương II. TIẾP NHẬN, PHÂN LOẠI KIẾN NGHỊ", "Điều 10. Trách nhiệm của Văn phòng UBND tỉnh" in
    "Chương III. … GIẢI QUYẾT, TRẢ LỜI …"): there the title no longer tells the articles apart, their chapters do.
    Every article's chapter in its header was measured and left out (``_enclosing_titles``); only these get it."""
    art = loc.article
    part = loc.document.part(loc.part_slug or loc.part)
    if art is None or not art.title or not art.chapter_title or part is None:
        return None
    key = title_subject(art.title)
    if not any(a.number != art.number and title_subject(a.title or "") == key for a in part.articles):
        return None
    return f"{art.chapter or ''}. {' '.join(art.chapter_title.split())}".strip(". ")


def context_header(loc: Located) -> str:
    m = loc.document.meta
    head = [m.province, doc_short(loc)]
    if (chapter := _shared_title_chapter(loc)) is not None:
        head.append(chapter)
    if loc.article is not None:
        head.append(f"Điều {loc.article.number}" + (f". {loc.article.title}" if loc.article.title else ""))
    elif loc.section is not None:
        head += _enclosing_titles(loc)
        head.append(f"Mục {loc.section.path}" + (f". {loc.section.title}" if loc.section.title else ""))
    if loc.unit.kind == "rationale":
        head.append("Lý do dự thảo")
    return " · ".join(head)


def grain(loc: Located) -> str:
    return "article" if loc.unit.kind in ARTICLE_KINDS else "fine"


def node_text(loc: Located) -> str:
    """The node's text: context header + the unit's text, cut at ``MAX_CHARS``."""
    return f"{context_header(loc)}\n{loc.unit.text}"[:MAX_CHARS]


def node_for(loc: Located) -> TextNode:
    from llama_index.core.schema import TextNode  # a slow import: not needed to tell that nothing changed

    m = loc.document.meta
    text = node_text(loc)
    meta = {
        "doc_id": m.id,
        "part": loc.part,
        "kind": loc.unit.kind,
        "grain": grain(loc),
        "article_id": loc.article_id,
        "parent_id": loc.parent_id or "",
        "province": m.province,
        "status": m.status.value,
        "number": m.number or "",
        "label": loc.unit.label,
        "article": loc.article.number if loc.article is not None else -1,
        "section": loc.section.path if loc.section is not None else "",
    }
    node = TextNode(id_=loc.id, text=text, metadata=meta)
    node.excluded_embed_metadata_keys = list(meta)
    node.excluded_llm_metadata_keys = list(meta)
    return node


def indexable(loc: Located) -> bool:
    """Heading-only units (appendix group rows, a Roman section with sub-sections) carry no content of
    their own: they stay citable in the corpus but are not indexed. A section whose text is in its points (a), b))
    is searched through them. A section with no item, point or sub-section is a leaf: its text is what it says
    ("IV. Đối với các thủ tục … mức thu phí, lệ phí được ấn định bằng không (0 đồng)", a one-paragraph annex row,
    a report form), indexed (before: never searched, so never found: 6 leaves of the corpus-extra texts)."""
    unit = loc.unit
    if getattr(unit, "is_group", False):
        return False
    if unit.kind == "section" and not getattr(unit, "items", None):
        return not getattr(unit, "points", None) and not has_subsections(loc)
    return True


def heading_only(loc: Located) -> bool:
    """A section that only heads sub-sections ("IV. TỔ CHỨC THỰC HIỆN" over "IV.1", "IV.2"): no item, point or
    text of its own to quote."""
    unit = loc.unit
    return (
        unit.kind == "section"
        and not getattr(unit, "items", None)
        and not getattr(unit, "points", None)
        and has_subsections(loc)
    )


def has_subsections(loc: Located) -> bool:
    """Does the section head other sections ("II" over "II.1", "II.2")?"""
    path = getattr(loc.unit, "path", None)
    part = next(
        (p for p in loc.document.parts if any(s is loc.section for s in getattr(p, "sections", None) or [])), None
    )
    if path is None or part is None:
        return False
    return any(s.path.startswith(path + ".") for s in part.sections)


def build_nodes(corpus: Corpus) -> list[TextNode]:
    return [node_for(loc) for loc in corpus.units() if indexable(loc)]


def node_hashes(corpus: Corpus) -> list[tuple[str, str]]:
    """``(node id, content hash)`` of every node :func:`build_nodes` makes, without making them."""
    return [(loc.id, text_hash(node_text(loc))) for loc in corpus.units() if indexable(loc)]


def embedded_through_parts(nodes: list[TextNode]) -> set[str]:
    """Ids of the nodes whose parts (clauses, points, plan items) are nodes too: their text is embedded
    through those parts, not as a whole."""
    ids = {n.node_id for n in nodes}
    return {n.metadata["parent_id"] for n in nodes if n.metadata["kind"] in PART_KINDS} & ids


MIN_LEAD_CHARS = 40  # shorter leftovers are numbering or a heading: nothing of their own to embed
_HEADING = re.compile(r"^(Điều\s+\d+[a-z]?\b.*|[IVXLC]+(\.\d+)*\.?|\d+\.?|[a-zđ]\))$")


def lead_text(loc: Located, parts: list[Located]) -> str:
    """What a unit's text says besides its parts': a lead-in ("… bằng các hình thức sau đây:"), a
    closing paragraph; without the heading line (the context header carries it)."""
    rest = loc.unit.text
    for part in parts:
        rest = rest.replace(part.unit.text, "\n")
    title = squash(getattr(loc.unit, "title", None) or "")
    lines = [squash(line) for line in rest.split("\n")]
    return "\n".join(line for line in lines if line and line != title and not _HEADING.match(line))


def embedding_texts(corpus: Corpus, nodes: list[TextNode]) -> dict[str, str]:
    """Node id -> what the embedder reads, for every node that gets a vector: its own text; for a node
    embedded through its parts, its context header + :func:`lead_text`, if that has
    ``MIN_LEAD_CHARS`` or more (30 such nodes: lead-ins of lists, closing paragraphs)."""
    by_parts = embedded_through_parts(nodes)
    parts: dict[str, list[Located]] = {}
    for n in nodes:
        if n.metadata["parent_id"] in by_parts and n.metadata["kind"] in PART_KINDS:
            parts.setdefault(n.metadata["parent_id"], []).append(corpus.resolve(n.node_id))
    out: dict[str, str] = {}
    for n in nodes:
        if n.node_id not in by_parts:
            out[n.node_id] = n.get_content()
            continue
        loc = corpus.resolve(n.node_id)
        lead = lead_text(loc, parts[n.node_id])
        if len(lead) >= MIN_LEAD_CHARS:
            out[n.node_id] = f"{context_header(loc)}\n{lead}"[:MAX_CHARS]
    return out


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def content_hash(node: TextNode) -> str:
    return text_hash(node.get_content())
