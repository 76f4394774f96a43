"""A source holding a Quyết định followed by the Quy chế it issues (Bắc Ninh, Bắc Kạn, Hưng Yên)."""

from __future__ import annotations

import re

from corpus.catalog import CatalogDocument
from corpus.model import Document, DocumentMeta, Part
from corpus.parsing.errors import ParseError
from corpus.text import clean_markup
from corpus.parsing.legal import Line, build_article, logical_lines, make_preamble, split_articles
from corpus.parsing.metadata import (
    parse_effective,
    parse_number,
    parse_place_date,
    parse_signer,
    relations_based_on,
    relations_from_decision,
)

ATTACHED_RE = re.compile(r"kèm theo Quyết định số:?\s*(\d+)\s*/\s*(\d{4})\s*/\s*QĐ-UBND")


def labeller(suffix: str):
    def label_of(article: int, clause: str | None, point: str | None) -> str:
        parts = [f"Điều {article}"]
        if clause:
            parts.append(f"khoản {clause}")
        if point:
            parts.append(f"điểm {point}")
        return ", ".join(parts) + f" — {suffix}"

    return label_of


def short_number(number: str | None) -> str:
    return f"QĐ {number}" if number else "Quyết định"


def parse_decision_with_regulation(text: str, source: str, entry: CatalogDocument) -> Document:
    raw = text.split("\n")
    split_at = None
    for i, line in enumerate(raw):
        if re.sub(r"[#*\s]", "", line) == "QUYCHẾ":
            split_at = i
            break
    if split_at is None:
        raise ParseError(source, "no 'QUY CHẾ' heading: cannot tell the decision from its regulation")

    dec_lines = logical_lines(raw[:split_at], 1)
    reg_lines = logical_lines(raw[split_at + 1 :], split_at + 2)
    number = parse_number("\n".join(raw[:split_at]))
    if number is None:
        raise ParseError(source, "no document number ('Số: …/QĐ-UBND') in the decision header")
    place, issue_date = parse_place_date([clean_markup(l)[0] for l in raw[:split_at]])
    suffix_dec = f"{short_number(number)}, {entry.province}"
    suffix_reg = f"Quy chế ban hành kèm {short_number(number)}, {entry.province}"

    # decision part
    head, drafts, _, trailer = split_articles(dec_lines)
    if not drafts:
        raise ParseError(source, "the decision has no 'Điều N.' article", dec_lines[0].lineno if dec_lines else None)
    prefix = f"{entry.id}/decision"
    decision = Part(kind="decision")
    decision.articles = [build_article(d, prefix, labeller(suffix_dec)) for d in drafts]
    decision.preamble = make_preamble(f"{prefix}/can-cu", f"Căn cứ ban hành — {suffix_dec}", head)
    decision.title = _decision_title(head)
    signer, capacity = parse_signer([l.text for l in trailer])

    # regulation part
    reg_head, reg_drafts, chapters, _ = split_articles(reg_lines)
    if not reg_drafts:
        raise ParseError(source, "the Quy chế has no 'Điều N.' article", split_at + 1)
    reg_prefix = f"{entry.id}/regulation"
    regulation = Part(kind="regulation", chapters=chapters)
    regulation.articles = [build_article(d, reg_prefix, labeller(suffix_reg)) for d in reg_drafts]
    regulation.title = next((l.text for l in reg_head if not l.text.startswith("(")), "Quy chế")
    _check_numbering(source, decision, regulation, reg_drafts)

    notes: list[str] = []
    attached = ATTACHED_RE.search("\n".join(l.text for l in reg_head))
    if attached:
        attached_number = f"{attached.group(1)}/{attached.group(2)}/QĐ-UBND"
        if attached_number != number:
            notes.append(
                f"Tiêu đề Quy chế ghi 'ban hành kèm theo Quyết định số {attached_number}' trong khi "
                f"Quyết định mang số {number}: sai lệch ngay trong văn bản gốc."
            )

    art2 = decision.article(2)
    effective, evidence = parse_effective(art2.text if art2 else "", issue_date)
    relations = []
    for article in decision.articles:
        relations += relations_from_decision(article.body, article.id, effective)
    if decision.preamble:
        relations += relations_based_on(decision.preamble.text, decision.preamble.id)

    meta = DocumentMeta(
        id=entry.id,
        province=entry.province,
        doc_type="Quyết định",
        number=number,
        issuer=f"Ủy ban nhân dân tỉnh {entry.province}",
        title=decision.title or regulation.title,
        issue_date=issue_date,
        effective_date=effective,
        effective_evidence=evidence,
        signer=signer,
        signer_title=capacity,
        notes=notes,
        relations=relations,
        source_file=source,
    )
    if place and place != entry.province:
        meta.notes.append(f"Địa danh ghi ở đầu văn bản là '{place}'.")
    return Document(meta=meta, parts=[decision, regulation])


def _decision_title(head: list[Line]) -> str:
    for i, line in enumerate(head):
        if line.text.rstrip(":") == "QUYẾT ĐỊNH" and i + 1 < len(head):
            return head[i + 1].text
    return ""


def _check_numbering(source: str, decision: Part, regulation: Part, drafts) -> None:
    for part, part_drafts in ((decision, None), (regulation, drafts)):
        numbers = [a.number for a in part.articles]
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            bad = next(i for i, (n, e) in enumerate(zip(numbers, expected)) if n != e)
            line = part_drafts[bad].lineno if part_drafts else None
            raise ParseError(source, f"{part.kind}: articles are not numbered 1..N in order (got {numbers})", line)
