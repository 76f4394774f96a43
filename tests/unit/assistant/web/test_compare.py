"""The version-diff page's pure logic (``assistant.web.compare``) on hand-built documents: alignment by the
comparison table's rows, then by title, then by number; word-level differences; escaping; version links."""

from __future__ import annotations

from assistant.web.compare import align, render_compare, title_score, unit_url, versions_of, word_diff
from corpus.model import Article, Document, DocumentMeta, Part, Rationale, Relation, RelationKind, Status


def art(doc: str, n: int, title: str, body: str, rows=(), why: dict[int, str] | None = None) -> Article:
    aid = f"{doc}/regulation/dieu-{n}"
    return Article(
        id=aid,
        label=f"Điều {n}",
        text=f"Điều {n}. {title}\n{body}",
        number=n,
        title=title,
        intro=body,
        table_rows=list(rows),
        rationales=[
            Rationale(id=f"{aid}/ly-do", label="Lý do", text=text, row=row, topic=title)
            for row, text in (why or {}).items()
        ],
    )


def doc(doc_id: str, articles: list[Article], *, source="a.txt", status=Status.in_force, relations=()) -> Document:
    meta = DocumentMeta(
        id=doc_id,
        province="Tỉnh Thử",
        doc_type="Quyết định",
        number=None,
        issuer="UBND",
        title=f"Quy chế {doc_id}",
        issue_date=None,
        effective_date=None,
        status=status,
        source_file=source,
        relations=list(relations),
    )
    return Document(meta=meta, parts=[Part(kind="regulation", articles=articles)])


OLD = doc(
    "old",
    [
        art("old", 1, "Phạm vi điều chỉnh", "Quy chế này quy định về thông tin đối ngoại.", rows=[2]),
        art("old", 3, "Kinh phí", "Kinh phí do ngân sách bảo đảm.", rows=[4, 5]),
        art("old", 4, "Sở Thông tin và Truyền thông", "Chủ trì.", rows=[6]),
    ],
)
DRAFT = doc(
    "draft",
    [
        art(
            "draft",
            1,
            "Phạm vi điều chỉnh",
            "Quy chế này quy định về quản lý thông tin đối ngoại.",
            rows=[2],
            why={2: "Sửa đổi theo mô hình chính quyền 2 cấp."},
        ),
        art("draft", 2, "Giải thích từ ngữ", "Các từ ngữ dưới đây.", rows=[3], why={3: "Bổ sung mới."}),
        art("draft", 5, "Kinh phí", "Kinh phí do ngân sách tỉnh bảo đảm.", rows=[4]),
        art("draft", 6, "Sở Văn hóa, Thể thao và Du lịch", "Chủ trì.", rows=[6], why={6: "Sáp nhập sở."}),
    ],
    status=Status.draft,
    relations=[Relation(kind=RelationKind.draft_of, target="old", target_in_corpus=True)],
)


def test_table_rows_align_units_and_carry_the_rationale():
    rows = align(DRAFT, OLD)
    got = [(r.table_row, [s.label for s in r.left], [s.label for s in r.right]) for r in rows]
    assert got == [
        (2, ["Điều 1"], ["Điều 1"]),
        (3, ["Điều 2"], []),
        (4, ["Điều 5"], ["Điều 3"]),
        (5, [], ["Điều 3"]),  # the old article shown in two rows is repeated, as the table does
        (6, ["Điều 6"], ["Điều 4"]),
    ]
    assert [r.text for r in rows[0].rationales] == ["Sửa đổi theo mô hình chính quyền 2 cấp."]
    assert [r.text for r in rows[4].rationales] == ["Sáp nhập sở."]
    assert all(r.how == "table" for r in rows)


def test_without_a_shared_table_units_pair_by_title_then_by_number_never_two_different_titles():
    other = OLD.model_copy(update={"meta": OLD.meta.model_copy(update={"source_file": "b.txt", "id": "x"})})
    left = doc(
        "y",
        [
            art("y", 1, "Trách nhiệm của Sở Tài chính", "Bố trí kinh phí."),
            art("y", 2, "Phạm vi điều chỉnh và đối tượng áp dụng", "Quy chế này quy định."),
            art("y", 3, "Chế độ báo cáo", "Hằng năm."),
            art("y", 5, "", "Điều không có tiêu đề."),
        ],
        source="c.txt",
    )
    right = doc(
        "z",
        [
            art("z", 1, "Phạm vi điều chỉnh", "Quy chế này quy định."),
            art("z", 3, "Trách nhiệm thi hành", "Các sở thi hành."),
            art("z", 4, "Sở Tài chính", "Bố trí đủ kinh phí."),
            art("z", 5, "Hiệu lực thi hành", "Kể từ ngày ký."),
        ],
        source="d.txt",
    )
    rows = align(left, right)
    pairs = {(tuple(s.label for s in r.left), tuple(s.label for s in r.right)): r.how for r in rows}
    assert pairs[(("Điều 1",), ("Điều 4",))] == "title"  # contained title beats "Trách nhiệm thi hành"
    assert pairs[(("Điều 2",), ("Điều 1",))] == "title"
    assert pairs[(("Điều 3",), ())] == "left"  # same number, different titles: not paired
    assert pairs[(("Điều 5",), ("Điều 5",))] == "number"  # an untitled article pairs by number
    assert len(align(other, other)) == 4 and all(r.same for r in align(other, other))  # one table: its 4 rows


def test_title_score_is_on_folded_words():
    assert title_score("Trách nhiệm của Sở Tài chính", "Sở Tài chính") == 0.9
    assert title_score("Trách nhiệm của Sở Tài chính", "Trách nhiệm thi hành") < 0.6
    assert title_score("KINH PHI hoat dong", "Kinh phí hoạt động") == 1.0


def test_word_diff_marks_words_and_escapes():
    left, right = word_diff("Sở <b>Thông tin</b> chủ trì", "Sở Văn hóa & Du lịch chủ trì")
    assert "<b>" not in left and "&lt;b&gt;Thông" in left
    assert "<del>" in left and "<ins>Văn hóa &amp; Du lịch</ins>" in right
    assert left == "Sở <del>&lt;b&gt;Thông tin&lt;/b&gt;</del> chủ trì"
    assert right == "Sở <ins>Văn hóa &amp; Du lịch</ins> chủ trì"
    assert word_diff("a  b\nc", "a b\nc") == ("a b\nc", "a b\nc")


def test_render_links_each_side_to_its_clause_and_shows_rationale():
    _, html = render_compare(DRAFT, OLD)
    assert 'href="/documents/draft?hl=regulation/dieu-1#regulation/dieu-1"' in html
    assert 'href="/documents/old?hl=regulation/dieu-3#regulation/dieu-3"' in html
    assert "Lý do của ban soạn thảo" in html and "Sáp nhập sở." in html
    assert "<del>quản lý</del>" in html  # only in the left (draft) text
    assert "dòng 4 của bảng so sánh" in html


def test_render_escapes_corpus_text():
    evil = doc("e", [art("e", 1, "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')])
    _, html = render_compare(evil, OLD)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_versions_both_directions():
    docs = {"old": OLD, "draft": DRAFT}
    assert [(d.id, label) for d, label in versions_of(OLD, docs)] == [("draft", "dự thảo thay thế văn bản này")]
    assert [d.id for d, _ in versions_of(DRAFT, docs)] == ["old"]
    assert unit_url("a b", "regulation/dieu-1") == "/documents/a%20b?hl=regulation/dieu-1#regulation/dieu-1"
