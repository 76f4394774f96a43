"""The reader on the 13 real texts of corpus-extra (nobody on the project wrote them): structure, ids, quirks.

Counts are the ones written by hand from the texts (``evals/data/ingest_expected.json``); the quirks are the
ones ``SOURCES.md`` lists for each file. Skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from corpus.reader import read_file
from corpus.summary import unit_counts

ROOT = Path(__file__).resolve().parents[3]
EXTRA = ROOT.parent / "shared" / "corpus-extra"
EXPECTED_FILE = ROOT / "evals" / "data" / "ingest_expected.json"
pytestmark = pytest.mark.skipif(not EXTRA.exists(), reason=f"{EXTRA} is absent (the real corpus-extra texts)")
FILES = sorted(p.stem for p in EXTRA.glob("*.txt")) if EXTRA.exists() else []


@lru_cache(maxsize=None)
def doc(stem: str):
    return read_file(EXTRA / f"{stem}.txt")


def units(stem: str) -> dict:
    return {u.id: u for u in doc(stem).document.walk()}


def expected() -> dict:
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", FILES)
def test_counts_and_articles_as_written(stem):
    exp = expected()[stem]
    d = doc(stem).document
    counts = unit_counts(d)
    for part, levels in exp["parts"].items():
        for level, want in levels.items():
            assert counts.get(part, {}).get(level, 0) == want, (part, level)
    for part, numbers in exp.get("articles", {}).items():
        assert [a.number for a in d.part(part).articles] == numbers


@pytest.mark.parametrize("stem", FILES)
def test_metadata_as_written(stem):
    exp = expected()[stem]
    m = doc(stem).document.meta
    assert m.id == stem  # the file name names the number: it is the id
    assert m.doc_type == exp["doc_type"] and m.number == exp["number"] and m.issuer == exp["issuer"]
    assert (m.province if exp["province"] else None) == exp["province"] or m.level == "national"
    assert str(m.issue_date) == exp["issue_date"]
    assert (str(m.effective_date) if m.effective_date else None) == exp["effective_date"]
    assert m.signer == exp["signer"]


@pytest.mark.parametrize("stem", FILES)
def test_units_are_clean_and_unique(stem):
    d = doc(stem).document
    ids = [u.id for u in d.walk()]
    assert len(ids) == len(set(ids))
    for u in d.walk():
        assert re.match(rf"^{stem}/(decision|regulation|plan|appendix)(-\d+)?(/[A-Za-z0-9.\-]+)+$", u.id), u.id
        assert u.text.strip() and u.label
        assert "**" not in u.text and "\t" not in u.text and "\xa0" not in u.text, u.id
        assert not re.search(r"(?m)^\|\s*$", u.text), u.id
        assert "THƯ VIỆN PHÁP LUẬT" not in u.text and "Đang tải văn bản" not in u.text, u.id  # page chrome


def test_decision_and_regulation_articles_numbered_apart():
    u = units("hai-phong-211-2025")
    assert u["hai-phong-211-2025/decision/dieu-1"].text.startswith("Điều 1. Ban hành kèm theo Quyết định này Quy chế")
    assert u["hai-phong-211-2025/regulation/dieu-1"].title == "Phạm vi điều chỉnh và đối tượng áp dụng"
    k2 = u["hai-phong-211-2025/regulation/dieu-1/khoan-2"]
    assert [p.letter for p in k2.points] == ["a", "b", "c"]
    # "1. Khóa tài khoản …" / "… các trường hợp sau đây:" / a) b): the lead-in stays before the points
    k1 = u["hai-phong-211-2025/regulation/dieu-7/khoan-1"]
    assert [p.letter for p in k1.points] == ["a", "b"]
    assert k1.text.index("các trường hợp sau đây:") < k1.text.index("a) Có quyết định")
    # a heading clause followed by its paragraph ("2. Đối tượng áp dụng" / "Sở Tư pháp …") keeps it
    d1 = units("dong-nai-63-2025")["dong-nai-63-2025/decision/dieu-1/khoan-2"]
    assert d1.text.startswith("2. Đối tượng áp dụng\nSở Tư pháp và cơ quan")


def test_split_headings_bold_glitches_and_muc():
    d = doc("bac-ninh-80-2025").document
    reg = d.part("regulation")
    assert [(x.level, x.number) for x in reg.divisions] == [
        ("chuong", "I"),
        ("chuong", "II"),
        ("muc", "1"),
        ("muc", "2"),
        ("chuong", "III"),
    ]
    assert reg.article(4).division == ["Chương II", "Mục 1"]
    assert reg.article(20).title == "Điều khoản thi hành"  # "**Điều\n20. Điều khoản thi hành**"
    assert reg.chapters[1].title == "CÁC QUY ĐỊNH CỤ THỂ"  # "**CÁC QUY ĐỊNH CỤ\nTHỂ**** **"
    # "**Điều 1. **Ban\nhành kèm theo …": only the marker is bold, the rest is the body
    dec1 = d.part("decision").article(1)
    assert dec1.title is None and dec1.text.startswith("Điều 1. Ban hành kèm theo Quyết định này Quy định")
    forms = d.part("appendix")
    assert forms.structure == "forms" and [s.path for s in forms.sections] == ["mau-01", "mau-02"]
    assert d.meta.relations[0].kind.value == "replaces" and d.meta.relations[0].target == "13/2023/QĐ-UBND"
    assert "(Bắc Giang)" in d.meta.relations[0].target_label


def test_amending_circular_quotes_stay_inside_their_clause():
    u = units("bo-tu-phap-tt24-2025")
    art2 = u["bo-tu-phap-tt24-2025/decision/dieu-2"]
    assert [c.number for c in art2.clauses] == ["1", "2", "3", "4", "5"]
    assert "“Điều 1. Phạm vi điều chỉnh" in u["bo-tu-phap-tt24-2025/decision/dieu-2/khoan-1"].text
    # Điều 4 quotes a whole replacement article right after its heading: no bogus Điều 1
    art4 = u["bo-tu-phap-tt24-2025/decision/dieu-4"]
    assert art4.intro.startswith("“Điều 1. Phạm vi điều chỉnh") and not art4.clauses
    k5 = u["bo-tu-phap-tt24-2025/decision/dieu-5/khoan-5"]
    assert not k5.points and "c) Xây dựng và trình" in k5.text  # quoted b) c) are wording, not points
    kinds = {(r.kind.value, r.target) for r in doc("bo-tu-phap-tt24-2025").document.meta.relations}
    assert ("amends", "07/2022/TT-BTP") in kinds and ("amends", "11/2025/TT-BTP") in kinds
    assert doc("bo-tu-phap-tt24-2025").document.meta.level == "national"


def test_decree_without_header_takes_number_from_its_appendix():
    d = doc("nghi-dinh-297-2025").document
    m = d.meta
    assert (m.number, m.issue_date, m.issuer) == ("297/2025/NĐ-CP", date(2025, 11, 17), "Chính phủ")
    assert any("chỉ ghi ở tiêu đề Phụ lục" in n for n in m.notes)
    assert m.signer_title == "Phó Thủ tướng"
    assert m.effective_evidence.startswith("Nghị định này có hiệu lực thi hành từ ngày 17 tháng 11 năm 2025")
    assert d.part("decision").article(15).title == "Hiệu lực thi hành"
    # the motto inside the appendix form is not taken for the document's header
    assert d.part("appendix").sections[0].path == "mau-01"


def test_page_chrome_dropped_and_no_nơi_nhận_block():
    r = doc("ha-tinh-84-2025")
    assert any("web page chrome" in w or "before the document header" in w for w in r.warnings)
    d = r.document
    assert d.meta.number == "84/2025/QĐ-UBND" and d.meta.effective_date == date(2025, 12, 2)
    assert [(x.kind.value, x.target) for x in d.meta.relations[:2]] == [
        ("repeals", "10/2016/QĐ-UBND"),
        ("repeals", "14/2022/QĐ-UBND"),
    ]
    q = doc("quang-tri-2744-2025").document
    art2 = q.part("decision").article(2)
    assert art2.text.startswith("Điều 2. Bãi bỏ toàn bộ Quyết định số 35/2015/QĐ-UBND")
    assert q.meta.effective_date == q.meta.issue_date == date(2025, 11, 21)  # "kể từ ngày ký ban hành"
    assert q.meta.signer == "Hoàng Xuân Tân"  # no "Nơi nhận": the signature follows Điều 3


def test_directive_numbered_directives_and_points():
    u = units("dak-lak-012-2025-chi-thi")
    assert u["dak-lak-012-2025-chi-thi/plan/2"].title == "Sở Khoa học và Công nghệ"
    assert u["dak-lak-012-2025-chi-thi/plan/1/diem-i"].text.startswith("i) Đẩy mạnh công tác truyền thông")
    assert u["dak-lak-012-2025-chi-thi/plan/preamble"].text.startswith("Thời gian qua, tỉnh Đắk Lắk")
    assert u["dak-lak-012-2025-chi-thi/plan/closing"].text.startswith("Chủ tịch UBND tỉnh yêu cầu")
    assert "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng" not in u["dak-lak-012-2025-chi-thi/plan/4/diem-b"].text
    assert doc("dak-lak-012-2025-chi-thi").document.meta.number == "012/CT-UBND"


def test_plans_outline_paths_and_task_lines():
    u = units("lai-chau-7360-2025")
    assert u["lai-chau-7360-2025/plan/II.3.1"].title.startswith("Tham gia góp ý kiến")
    point = u["lai-chau-7360-2025/plan/II.3.1/diem-b"]
    assert "- Cơ quan chủ trì: Sở Khoa học và Công nghệ." in point.text
    assert u["lai-chau-7360-2025/plan/II.1"].text.startswith("Trên cơ sở tài liệu do Trung ương biên soạn")
    b = units("bac-ninh-141-2025")
    assert "giai đoạn 2026 - 2030 phấn đấu" in b["bac-ninh-141-2025/plan/II.4"].text  # "2026\n- 2030" is not a bullet
    item = b["bac-ninh-141-2025/plan/III.5/item-1"]
    assert "Đơn vị chủ trì tham mưu thực hiện: Sở Nội vụ." in item.text  # the task's lead agency stays with it


def test_appendix_task_table_and_two_appendices():
    d = doc("dong-thap-617-2025").document
    rows = {r.path: r for r in d.part("appendix").rows}
    assert [p for p, r in rows.items() if r.is_group] == ["I", "II", "III", "IV"]
    # numbered 1 … 11 straight through the groups: the STT is the path, the group is kept
    assert [p for p, r in rows.items() if not r.is_group] == [str(n) for n in range(1, 12)]
    assert rows["8"].lead_unit == "Sở KH&CN" and rows["8"].time == "Quí IV-2025" and rows["8"].group == "III"
    assert rows["I"].task == "NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY"
    h = doc("ha-noi-77-2025-nq-hdnd").document
    assert [p.id_slug for p in h.parts] == ["decision", "appendix-1", "appendix-2"]
    hu = units("ha-noi-77-2025-nq-hdnd")
    assert hu["ha-noi-77-2025-nq-hdnd/appendix-2/I.1/diem-a"].text.startswith("a) Chuyên gia tư vấn có bằng Tiến sĩ")
    assert "100.000 đồng/năm" in hu["ha-noi-77-2025-nq-hdnd/appendix-1/II"].text
    assert h.meta.effective_date == date(2025, 11, 27) and h.meta.applies_from == date(2026, 1, 1)


@pytest.mark.parametrize(
    "stem",
    ["hai-phong-211-2025", "dong-thap-617-2025", "nghi-dinh-297-2025", "bo-tu-phap-tt24-2025", "lai-chau-7360-2025"],
)
def test_same_units_from_docx_and_html(tmp_path, stem):
    """The same text saved as .docx, as a web page or printed to PDF (wrapped, no bold, no blank lines) gives
    the same units as the .txt. (A task table printed to PDF loses its columns: not in this list.)"""
    from tests.unit.corpus.fixtures import as_docx, as_html, as_pdf

    src = EXTRA / f"{stem}.txt"
    want = [u.id for u in doc(stem).document.walk()]
    made_files = [as_docx(src, tmp_path / f"{stem}.docx"), as_html(src, tmp_path / f"{stem}.html")]
    if stem != "dong-thap-617-2025":
        made_files.append(as_pdf(src, tmp_path / f"{stem}.pdf"))
    for made in made_files:
        got = read_file(made).document
        assert [u.id for u in got.walk()] == want, made.suffix
        assert got.meta.number == doc(stem).document.meta.number


def test_a_legal_basis_wrapped_over_two_lines_is_kept_whole():
    # the source breaks "Theo đề nghị của Sở …," / "… tại Công văn số …" over two lines: both are the legal basis
    stem = next((s for s in FILES if s.startswith("quang-tri")), None)
    if stem is None:
        pytest.skip("the wrapped-proposal file is not in corpus-extra")
    can_cu = units(stem)[f"{stem}/decision/can-cu"].text
    last = can_cu.split("\n")[-2:]
    assert last[0].startswith("Theo đề nghị") and not last[0].rstrip().endswith((";", "."))
    assert last[1].rstrip().endswith(".") and "Công văn số" in last[1]
    assert not any(line.strip().rstrip(":").isupper() for line in can_cu.split("\n"))  # never "QUYẾT ĐỊNH:"
