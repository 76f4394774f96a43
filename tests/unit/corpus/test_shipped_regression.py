"""The five shipped documents keep exactly their citation ids, unit texts, labels and fields.

``data/shipped_units.json`` was dumped from the parsers as they stood before the reader was written
(commit 8dacfb1): 851 units of 7 documents, each with its id, kind, label, the sha256 of its text and of
its scalar fields, its parent and retrieval grain; plus each document's metadata, relations and notes.
Gold questions and indexes cite these ids: any change here is a breaking change.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from corpus.store import build_corpus

# Relations the reader finds that the old parsers did not (every old relation is still there, in order):
# the decision "ban hành kèm theo" its Quy chế (kind ``issues``), and the party documents a plan implements.
ADDED_RELATIONS = {
    "bac-ninh-68-2025": [("issues", "bac-ninh-68-2025/decision/dieu-1")],
    "bac-kan-34-2017": [("issues", "bac-kan-34-2017/decision/dieu-1")],
    "hung-yen-29-2019": [("issues", "hung-yen-29-2019/decision/dieu-1")],
    "bac-giang-69-2024": [("implements", "57-KL/TW"), ("implements", "101-KH/TU")],
}
# Metadata the reader now reads better than the old parsers did (unit ids and texts are unchanged):
# the effective-date evidence no longer starts with the article's title ("Hiệu lực thi hành\n…").
IMPROVED = {("hung-yen-29-2019", "effective_evidence"): "Quyết định này có hiệu lực kể từ ngày 01 tháng 8 năm 2019"}
SNAPSHOT = json.loads((Path(__file__).parent / "data" / "shipped_units.json").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 29)  # the day the snapshot was taken (statuses depend on it)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(today=TODAY)


def test_same_unit_ids_in_the_same_order(corpus):
    assert [loc.id for loc in corpus.units()] == [u["id"] for u in SNAPSHOT["units"]]


def test_same_texts_labels_kinds_and_fields(corpus):
    diffs = []
    for expected in SNAPSHOT["units"]:
        loc = corpus.resolve(expected["id"])
        unit = loc.unit
        fields = {k: v for k, v in unit.model_dump(mode="json").items() if k in expected["fields"]}
        got = {
            "kind": unit.kind,
            "label": unit.label,
            "sha256": _sha(unit.text),
            "fields_sha256": _sha(json.dumps(fields, ensure_ascii=False, sort_keys=True)),
            "parent_id": loc.parent_id,
            "article_id": loc.article_id,
            "part": loc.part,
        }
        for key, value in got.items():
            if value != expected[key]:
                diffs.append(f"{expected['id']}: {key} {value!r} != {expected[key]!r}")
    assert not diffs, "\n".join(diffs[:20])


@pytest.mark.parametrize("doc_id", sorted(SNAPSHOT["documents"]))
def test_same_metadata_relations_notes(corpus, doc_id):
    expected = SNAPSHOT["documents"][doc_id]
    doc = corpus.get(doc_id)
    meta = json.loads(doc.meta.model_dump_json())
    for key in (
        "province",
        "doc_type",
        "number",
        "issuer",
        "title",
        "issue_date",
        "effective_date",
        "effective_evidence",
        "status",
        "status_evidence",
        "signer",
        "signer_title",
        "source_file",
    ):
        assert meta[key] == IMPROVED.get((doc_id, key), expected[key]), key
    got_relations = [json.loads(r.model_dump_json()) for r in doc.meta.relations]
    old = [r for r in got_relations if {k: r[k] for k in r} in expected["relations"]]
    assert old == expected["relations"]  # every old relation, same fields, same order
    added = [r for r in got_relations if r not in expected["relations"]]
    assert [(r["kind"], r["evidence_unit"] if r["kind"] == "issues" else r["target"]) for r in added] == (
        ADDED_RELATIONS.get(doc_id, [])
    )
    assert doc.meta.notes == expected["notes"]
    parts = [{"kind": p.kind, "title": p.title, "chapters": [ch.model_dump() for ch in p.chapters]} for p in doc.parts]
    assert parts == expected["parts"]


def test_building_twice_changes_nothing():
    """Building a corpus never mutates the documents it is given (notes and relations used to double)."""
    from corpus.store import Corpus

    first = build_corpus(today=TODAY)
    second = build_corpus(today=TODAY)
    for doc_id, doc in first.documents.items():
        assert doc.meta == second.get(doc_id).meta
    again = Corpus(list(first.documents.values()), first.catalog, TODAY)
    twice = Corpus(list(first.documents.values()), first.catalog, TODAY)
    for doc_id, doc in first.documents.items():
        assert again.get(doc_id).meta == doc.meta == twice.get(doc_id).meta
    assert len(first.get("tuyen-quang-10-2018").meta.notes) == 2
