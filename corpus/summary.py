"""Counting a document's units per part and level, and a short summary of a document (CLI, API, preview).

Level names follow how the texts are drafted: ``chapters`` (Chương), ``sections_muc`` (Mục), ``parts_phan``
(Phần), ``articles`` (Điều), ``clauses`` (khoản), ``points`` (điểm, also a) b) under plan sections),
``top_sections`` (I, II … or a directive's 1, 2 …), ``sections`` (every outline section, top ones included),
``items`` (bullets and paragraphs under sections), ``rows`` / ``group_rows`` (appendix table), ``forms``
(Mẫu), ``paragraphs`` (text the reader could not structure), ``notes`` (closing, footnotes), ``preamble``.
"""

from __future__ import annotations

from corpus.model import Document, Part


def part_counts(part: Part) -> dict[str, int]:
    divisions = {lvl: sum(1 for d in part.divisions if d.level == lvl) for lvl in ("phan", "chuong", "muc")}
    counts = {
        "parts_phan": divisions["phan"],
        "chapters": len(part.chapters) or divisions["chuong"],
        "sections_muc": divisions["muc"],
        "articles": len(part.articles),
        "clauses": sum(len(a.clauses) for a in part.articles),
        "points": sum(len(c.points) for a in part.articles for c in a.clauses)
        + sum(len(s.points) for s in part.sections),
        "top_sections": sum(1 for s in part.sections if "." not in s.path) if part.structure != "forms" else 0,
        "sections": len(part.sections) if part.structure != "forms" else 0,
        "items": sum(len(s.items) for s in part.sections),
        "rows": sum(1 for r in part.rows if not r.is_group),
        "group_rows": sum(1 for r in part.rows if r.is_group),
        "forms": len(part.sections) if part.structure == "forms" else 0,
        "paragraphs": len(part.paragraphs),
        "notes": len(part.notes),
        "preamble": 1 if part.preamble is not None else 0,
    }
    return {k: v for k, v in counts.items() if v}


def unit_counts(doc: Document) -> dict[str, dict[str, int]]:
    """{part id segment: {level: count}} — what ``corpus add --dry-run`` prints as the unit tree."""
    return {p.id_slug: part_counts(p) for p in doc.parts}


def doc_summary(doc: Document) -> dict:
    """The JSON row of ``regassist corpus list --json`` (the keys the first CLI printed, plus a few)."""
    m = doc.meta
    counts: dict[str, int] = {}
    for part in doc.parts:
        key = part.id_slug
        if part.articles:
            counts[f"{key}_articles"] = len(part.articles)
            counts[f"{key}_clauses"] = sum(len(a.clauses) for a in part.articles)
            counts[f"{key}_points"] = sum(len(c.points) for a in part.articles for c in a.clauses)
        if part.chapters:
            counts[f"{key}_chapters"] = len(part.chapters)
        if part.sections:
            counts[f"{key}_sections"] = len(part.sections)
        if part.rows:
            counts[f"{key}_rows"] = len(part.rows)
        if part.paragraphs:
            counts[f"{key}_paragraphs"] = len(part.paragraphs)
    return {
        "id": m.id,
        "type": m.doc_type,
        "number": m.number,
        "province": m.province,
        "title": m.title,
        "issue_date": m.issue_date.isoformat() if m.issue_date else None,
        "effective_date": m.effective_date.isoformat() if m.effective_date else None,
        "status": m.status.value,
        "status_evidence": m.status_evidence,
        "signer": m.signer,
        "units": counts,
        "notes": m.notes,
        "issuer": m.issuer,
        "level": m.level,
        "structure": m.structure,
        "superseded_by": m.superseded_by,
    }
