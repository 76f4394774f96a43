"""Every format and encoding reaches the same structure: .docx (paragraphs, tables in order, Word numbering),
.pdf (text layer, running headers/footers, page numbers, hyphenation), .html (site chrome removed),
UTF-16, Windows-1258, TCVN3 and VNI. Fixtures are built here (tests/unit/corpus/fixtures.py)."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.reader import read_file, read_text
from corpus.reader.formats import load
from corpus.reader.formats.encodings import (
    decode_bytes,
    tcvn3_to_unicode,
    unicode_to_cp1258,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from tests.unit.corpus.fixtures import text_pdf, write_docx

HEADER = ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"]
DECISION = """**ỦY BAN NHÂN DÂN**
TỈNH LẠNG SƠN

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc

Số: 15/2025/QĐ-UBND

Lạng Sơn, ngày 03 tháng 12 năm 2025

**QUYẾT ĐỊNH**

**Quy định mức hỗ trợ học nghề trên địa bàn tỉnh Lạng Sơn**

Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;

Căn cứ Nghị định số 61/2015/NĐ-CP của Chính phủ;

**Điều 1. Phạm vi điều chỉnh**

Quyết định này quy định mức hỗ trợ học nghề.

**Điều 2. Mức hỗ trợ**

1. Người học được hỗ trợ như sau:

a) Học phí theo thực tế;

b) Tiền ăn 30.000 đồng/ngày.

2. Kinh phí do ngân sách tỉnh bảo đảm.

**Điều 3. Hiệu lực thi hành**

Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký và thay thế Quyết định số 05/2019/QĐ-UBND ngày 02/3/2019 của UBND tỉnh Lạng Sơn.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Hoàng Văn Nam
"""


def _check_decision(doc):
    m = doc.meta
    assert (m.number, m.issue_date, m.province, m.doc_type) == (
        "15/2025/QĐ-UBND",
        date(2025, 12, 3),
        "Lạng Sơn",
        "Quyết định",
    )
    assert m.effective_date == date(2025, 12, 13)  # "sau 10 ngày kể từ ngày ký"
    assert m.signer == "Hoàng Văn Nam" and m.signer_title == "Chủ tịch"
    assert ("replaces", "05/2019/QĐ-UBND") in {(r.kind.value, r.target) for r in m.relations}
    dec = doc.part("decision")
    assert [a.number for a in dec.articles] == [1, 2, 3]
    k1 = dec.article(2).clauses[0]
    assert k1.id.endswith("/decision/dieu-2/khoan-1") and [p.letter for p in k1.points] == ["a", "b"]
    assert dec.preamble.text.count("Căn cứ") == 2


def test_markdown_text(tmp_path):
    p = tmp_path / "lang-son-15-2025.md"
    p.write_text(DECISION, encoding="utf-8")
    doc = read_file(p).document
    assert doc.id == "lang-son-15-2025"
    _check_decision(doc)


def test_docx_paragraphs_tables_and_word_numbering(tmp_path):
    items = [
        (
            "table",
            [
                ["ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
                ["Số: 15/2025/QĐ-UBND", "Lạng Sơn, ngày 03 tháng 12 năm 2025"],
            ],
        ),
        ("bold", "QUYẾT ĐỊNH"),
        ("bold", "Quy định mức hỗ trợ học nghề trên địa bàn tỉnh Lạng Sơn"),
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
        "Căn cứ Nghị định số 61/2015/NĐ-CP của Chính phủ;",
        ("bold", "Điều 1. Phạm vi điều chỉnh"),
        "Quyết định này quy định mức hỗ trợ học nghề.",
        ("bold", "Điều 2. Mức hỗ trợ"),
        ("list", "Người học được hỗ trợ như sau:"),  # Word numbering: "1." is not in the text
        "a) Học phí theo thực tế;",
        "b) Tiền ăn 30.000 đồng/ngày.",
        ("list", "Kinh phí do ngân sách tỉnh bảo đảm."),
        ("bold", "Điều 3. Hiệu lực thi hành"),
        "Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký và thay thế Quyết định số 05/2019/QĐ-UBND "
        "ngày 02/3/2019 của UBND tỉnh Lạng Sơn.",
        ("table", [["Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nHoàng Văn Nam"]]),
    ]
    p = write_docx(tmp_path / "quyết định số 15.docx", items)
    src = load(p)
    assert "1. Người học được hỗ trợ như sau:" in src.lines and "2. Kinh phí do ngân sách tỉnh bảo đảm." in src.lines
    result = read_file(p)
    _check_decision(result.document)
    assert result.source_format == "docx"
    assert result.document.meta.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"


def test_pdf_text_layer_headers_footers_hyphenation(tmp_path):
    lines = [x for x in DECISION.replace("**", "").split("\n") if x.strip()]
    half = lines.index("Điều 2. Mức hỗ trợ")
    page1 = ["CÔNG BÁO TỈNH LẠNG SƠN - SỐ 12"] + lines[:half] + ["Trang 1/2"]
    page2 = ["CÔNG BÁO TỈNH LẠNG SƠN - SỐ 12"] + lines[half:] + ["Trang 2/2"]
    # a word broken by typesetting at the end of a line
    i = page2.index("2. Kinh phí do ngân sách tỉnh bảo đảm.")
    page2[i : i + 1] = ["2. Kinh phí do ngân sách tỉnh bảo đả-", "m cho cả năm."]
    p = tmp_path / "lang son 15.pdf"
    p.write_bytes(text_pdf([page1, page2]))
    result = read_file(p)
    doc = result.document
    _check_decision(doc)
    assert doc.part("decision").article(2).clauses[1].text == "2. Kinh phí do ngân sách tỉnh bảo đảm cho cả năm."
    assert all("CÔNG BÁO" not in u.text and "Trang 2/2" not in u.text for u in doc.walk())
    assert any("running header/footer" in w for w in result.warnings)


def test_html_saved_page(tmp_path):
    body = "".join(
        f"<p>{line}</p>" if not line.startswith("**") else f"<p><b>{line.strip('*')}</b></p>"
        for line in DECISION.split("\n")
        if line.strip()
    )
    html = (
        "<!doctype html><html><head><title>Văn bản</title><script>var x = 'Điều 99. không';</script>"
        "<style>.a{}</style></head><body><nav class='main-menu'>Trang chủ | Văn bản | Điều 98. menu</nav>"
        f"<div id='content'>{body}</div><footer>Bản quyền © cổng thông tin</footer></body></html>"
    )
    p = tmp_path / "van-ban.html"
    p.write_text(html, encoding="utf-8")
    doc = read_file(p).document
    _check_decision(doc)
    assert all("menu" not in u.text and "Bản quyền" not in u.text for u in doc.walk())


SAMPLE = "Quyết định này có hiệu lực thi hành kể từ ngày ký. Giám đốc Sở Tư pháp chịu trách nhiệm thi hành."


@pytest.mark.parametrize(
    "name, data, encoding",
    [
        ("utf-16 with BOM", SAMPLE.encode("utf-16"), "utf-16"),
        ("utf-16-le, no BOM", SAMPLE.encode("utf-16-le"), "utf-16-le"),
        ("utf-16-be, no BOM", SAMPLE.encode("utf-16-be"), "utf-16-be"),
        ("utf-8 with BOM", SAMPLE.encode("utf-8-sig"), "utf-8-sig"),
        ("windows-1258", unicode_to_cp1258(SAMPLE), "windows-1258"),
        ("vni", unicode_to_vni(SAMPLE).encode("cp1252"), "vni"),
        ("tcvn3", unicode_to_tcvn3(SAMPLE.lower()).encode("cp1252"), "tcvn3"),
        ("tcvn3 pasted into utf-8", unicode_to_tcvn3(SAMPLE.lower()).encode("utf-8"), "utf-8 (tcvn3 characters)"),
    ],
)
def test_encodings_detected_and_converted(name, data, encoding):
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding, name
    assert decoded.text in (SAMPLE, SAMPLE.lower())


def test_known_tcvn3_and_vni_strings():
    """Strings as old provincial files show them in a Unicode editor."""
    assert tcvn3_to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert tcvn3_to_unicode("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert tcvn3_to_unicode("QUYÕT ®ÞNH") == "QUYẾT ĐỊNH"  # the .VnTimeH capitals font
    assert vni_to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"


def test_tcvn3_file_reads_as_a_document(tmp_path):
    text = DECISION.replace("**", "")
    p = tmp_path / "tcvn3.txt"
    p.write_bytes(unicode_to_tcvn3(text).encode("cp1252"))
    result = read_file(p)
    assert any("tcvn3" in w for w in result.warnings)
    assert [a.number for a in result.document.part("decision").articles] == [1, 2, 3]


def test_read_text_needs_no_file():
    doc = read_text(DECISION, "pasted").document
    _check_decision(doc)


def test_pdf_two_column_header_flattened(tmp_path):
    """A PDF header's two columns come out on the same lines: issuer left, motto right; number left, date right."""
    body = [x for x in DECISION.replace("**", "").split("\n") if x.strip()][6:]
    header = [
        "ỦY BAN NHÂN DÂN       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH LẠNG SƠN         Độc lập - Tự do - Hạnh phúc",
        "Số: 15/2025/QĐ-UBND   Lạng Sơn, ngày 03 tháng 12 năm 2025",
    ]
    p = tmp_path / "qd.pdf"
    p.write_bytes(text_pdf([header + body]))
    doc = read_file(p).document
    assert doc.meta.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"
    _check_decision(doc)


def test_older_drafting_styles():
    """ "Điều 1:" with a colon, "CHƯƠNG I" in capitals, Phần and Mục levels, a decision issuing a plan."""
    text = """QUYẾT ĐỊNH

Về việc ban hành Kế hoạch

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;

Điều 1: Ban hành kèm theo Quyết định này Kế hoạch phòng chống thiên tai.

Điều 2: Quyết định này có hiệu lực kể từ ngày ký.

KẾ HOẠCH

PHÒNG CHỐNG THIÊN TAI

(Kèm theo Quyết định số 40/QĐ-UBND)

I. MỤC ĐÍCH

1. Chủ động ứng phó.

II. NHIỆM VỤ

1. Sở Nông nghiệp: chủ trì.

a) Lập phương án;

b) Kiểm tra đê điều.
"""
    doc = read_text(text, "x").document
    assert [p.id_slug for p in doc.parts] == ["decision", "plan"]
    assert doc.part("decision").article(1).text.startswith("Điều 1. Ban hành kèm theo")
    plan = doc.part("plan")
    assert [s.path for s in plan.sections] == ["I", "I.1", "II", "II.1"]
    assert [p.letter for p in plan.sections[-1].points] == ["a", "b"]
    law = read_text(
        """LUẬT

PHẦN THỨ NHẤT

NHỮNG QUY ĐỊNH CHUNG

CHƯƠNG I

PHẠM VI

Mục 1. PHẠM VI ÁP DỤNG

Điều 1. Phạm vi điều chỉnh

Luật này quy định về một việc.

Điều 2. Đối tượng áp dụng

Luật này áp dụng với mọi người.
""",
        "luat",
    ).document
    dec = law.part("decision")
    assert [(d.level, d.number, d.title) for d in dec.divisions] == [
        ("phan", "thứ nhất", "NHỮNG QUY ĐỊNH CHUNG"),
        ("chuong", "I", "PHẠM VI"),
        ("muc", "1", "PHẠM VI ÁP DỤNG"),
    ]
    assert dec.article(2).division == ["Phần thứ nhất", "Chương I", "Mục 1"]


PLAN_WITH_SERIES = """KẾ HOẠCH

Triển khai một việc

I. MỨC CHI THEO THÁNG

1. Mức 1, không quá 40 đơn vị áp dụng đối với:

a) Người có 15 năm kinh nghiệm;

b) Người chủ trì nhiệm vụ.

2. Mức 2, không quá 30 đơn vị áp dụng đối với:

a) Người có 10 năm kinh nghiệm;

b) Người có bằng thạc sĩ.

Trường hợp cần thiết, Giám đốc quyết định mức cao hơn nhưng tối đa không quá hai lần mức quy định tại Mục này.

II. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính bố trí kinh phí:

a) Lập dự toán hằng năm.

Dự toán gửi kèm thuyết minh chi tiết từng khoản chi.

2. Các sở, ngành thực hiện.
"""


def test_a_paragraph_closing_a_series_of_sub_sections_belongs_to_the_roman_section():
    plan = read_text(PLAN_WITH_SERIES, "x").document.part("plan")
    by_path = {s.path: s for s in plan.sections}
    assert [i.text for i in by_path["I"].items][-1].startswith("Trường hợp cần thiết")
    assert "Trường hợp cần thiết" not in by_path["I.2"].points[-1].text
    assert "Trường hợp cần thiết" not in by_path["I.2"].text
    # a paragraph after a point with another numbered section next is the point's own continuation
    assert by_path["II.1"].points[-1].text.endswith("từng khoản chi.")
    assert not by_path["II"].items
