"""The provincial-units data file (NQ 202/2025/QH15) and the registry: integrity, succession, look-ups, mentions.

Mentions are checked on hand-written look-alike phrases and, when ../shared is present, on the real texts
(per-file units, reviewed by reading every mention) and on the gold questions (every question that writes a
unit's name finds it).
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from corpus.provinces import DATA_FILE, ProvinceData, ProvinceRegistry, load_data, load_registry, slugify
from corpus.text import fold

SHARED = Path(__file__).resolve().parents[3].parent / "shared"  # ../shared next to the project
EVALS = Path(__file__).resolve().parents[3] / "evals" / "data"
ARRANGED = date(2025, 7, 1)


@pytest.fixture(scope="module")
def reg() -> ProvinceRegistry:
    return load_registry()


def names(reg: ProvinceRegistry, text: str, **kw) -> list[str]:
    return [m.province.name for m in reg.find_mentions(text, **kw)]


# ---- the data file --------------------------------------------------------------------------------------
def test_data_file_is_nfc_and_names_its_legal_source():
    raw = DATA_FILE.read_text(encoding="utf-8")
    assert raw == unicodedata.normalize("NFC", raw)
    data = load_data()
    assert data.source.number == "202/2025/QH15"
    assert data.source.issuer == "Quốc hội"
    assert data.source.adopted == date(2025, 6, 12)
    assert data.source.effective == ARRANGED
    assert "sắp xếp đơn vị hành chính cấp tỉnh" in data.source.title


def test_34_current_units_63_before_the_arrangement_29_merged_away(reg):
    assert len(reg.current()) == 34
    assert len(reg.pre_arrangement()) == 63
    assert len(reg.dissolved()) == 29
    assert len(reg.current(date(2025, 6, 30))) == 63
    assert len(reg.current(ARRANGED)) == 34
    unchanged = [u for u in reg.current() if u.predecessors == (u.name,)]
    merged = [u for u in reg.current() if len(u.predecessors) > 1]
    assert len(unchanged) == 11 and len(merged) == 23
    cities = sorted(u.name for u in reg.current() if u.kind == "thành phố")
    assert cities == sorted(["Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"])


def test_every_former_unit_maps_to_exactly_one_current_successor(reg):
    current = {u.name for u in reg.current()}
    claimed: dict[str, list[str]] = {}
    for u in reg.current():
        for p in u.predecessors:
            claimed.setdefault(p, []).append(u.name)
    # every one of the 63 pre-arrangement units lies in exactly one current unit
    assert sorted(claimed) == sorted(u.name for u in reg.pre_arrangement())
    assert all(len(v) == 1 for v in claimed.values())
    for u in reg.dissolved():
        assert u.successor in current
        assert claimed[u.name] == [u.successor]
        assert u.until == date(2025, 6, 30)
        assert reg.successor_since(u) == ARRANGED


def test_current_units_list_themselves_when_they_kept_their_name(reg):
    for u in reg.current():
        assert u.name in u.predecessors, u.name  # all 23 merged units took one predecessor's name
        assert u.successor is None and u.until is None


def test_names_slugs_and_forms_unique_after_folding(reg):
    folded = [fold(u.name) for u in reg.units]
    assert len(set(folded)) == len(folded)
    assert all(u.slug == slugify(u.name) for u in reg.units)
    owner: dict[str, str] = {}
    for u in reg.units:
        for form in u.forms():
            key = " ".join(fold(form).replace("-", " ").replace(".", " ").split())
            assert owner.setdefault(key, u.name) == u.name, form


def test_the_mergers_the_issue_names(reg):
    assert [p.name for p in reg.predecessors("Tuyên Quang")] == ["Hà Giang", "Tuyên Quang"]
    assert reg.successor("Bắc Giang").name == "Bắc Ninh"
    assert reg.successor("Bắc Kạn").name == "Thái Nguyên"
    assert reg.successor("Thái Bình").name == "Hưng Yên"
    three_way = {u.name: {p.name for p in reg.predecessors(u)} for u in reg.current() if len(u.predecessors) == 3}
    assert three_way == {
        "Phú Thọ": {"Vĩnh Phúc", "Hòa Bình", "Phú Thọ"},
        "Ninh Bình": {"Hà Nam", "Nam Định", "Ninh Bình"},
        "Lâm Đồng": {"Lâm Đồng", "Đắk Nông", "Bình Thuận"},
        "Hồ Chí Minh": {"Bình Dương", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu"},
        "Cần Thơ": {"Cần Thơ", "Sóc Trăng", "Hậu Giang"},
        "Vĩnh Long": {"Bến Tre", "Vĩnh Long", "Trà Vinh"},
    }


def _raw() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def test_validator_rejects_a_successor_that_does_not_list_the_unit():
    raw = _raw()
    unit = next(u for u in raw["units"] if u["name"] == "Hà Giang")
    unit["successor"] = "Hà Nội"
    with pytest.raises(ValueError, match="successor"):
        ProvinceData.model_validate(raw)


def test_validator_rejects_names_that_collide_after_folding():
    raw = _raw()
    raw["units"].append(dict(next(u for u in raw["units"] if u["name"] == "Hà Giang"), name="Ha Giang"))
    with pytest.raises(ValueError):
        ProvinceData.model_validate(raw)


def test_registry_rejects_a_form_claimed_by_two_units():
    raw = _raw()
    next(u for u in raw["units"] if u["name"] == "Hà Giang").setdefault("aliases", []).append("Tuyen Quang")
    with pytest.raises(ValueError, match="names both"):
        ProvinceRegistry(ProvinceData.model_validate(raw))


# ---- look-ups and succession ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Bắc Ninh", "Bắc Ninh"),
        ("bac-ninh", "Bắc Ninh"),
        ("tỉnh Bắc Giang (cũ)", "Bắc Giang"),
        ("thành phố Hải Phòng", "Hải Phòng"),
        ("UBND tỉnh Hưng Yên", "Hưng Yên"),
        ("Tuyen Quang Province", "Tuyên Quang"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Ho Chi Minh City", "Hồ Chí Minh"),
        ("Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế"),
        ("Hue", "Huế"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Daklak", "Đắk Lắk"),
        ("Bắc Cạn", "Bắc Kạn"),
    ],
)
def test_lookup_accepts_catalog_legal_and_english_forms(reg, written, name):
    assert reg.get(written).name == name


def test_lookup_of_unknown_names(reg):
    assert reg.lookup("Atlantis") is None
    assert reg.lookup("") is None
    with pytest.raises(KeyError):
        reg.get("Bộ Tư pháp")
    assert reg.slug("Bộ Tư pháp") == "bo-tu-phap"  # unknown: folded slug
    assert reg.slug("tỉnh Bắc Giang (cũ)") == "bac-giang"
    assert reg.slug("TP.HCM") == "ho-chi-minh"


def test_successor_and_is_current_depend_on_the_date(reg):
    assert reg.is_current("Hà Giang", date(2025, 6, 30))
    assert not reg.is_current("Hà Giang", ARRANGED)
    assert reg.successor("Hà Giang", date(2025, 6, 30)).name == "Hà Giang"
    assert reg.successor("Hà Giang", ARRANGED).name == "Tuyên Quang"
    assert reg.successor("Tuyên Quang", date(2019, 1, 1)).name == "Tuyên Quang"
    assert reg.is_current("Tuyên Quang", date(2019, 1, 1)) and reg.is_current("Tuyên Quang", ARRANGED)
    assert reg.predecessors("Hà Giang") == []
    assert [p.name for p in reg.predecessors("Hà Nội")] == ["Hà Nội"]


def test_succession_note_is_a_labelled_reference_in_both_languages(reg):
    note = reg.succession_note("Bắc Giang", date(2026, 11, 29))
    assert note is not None
    assert "không phải trích dẫn" in note and "not a corpus citation" in note
    assert "tỉnh Bắc Ninh" in note and "01/07/2025" in note and "202/2025/QH15" in note
    assert reg.succession_note("Bắc Giang", date(2025, 1, 1)) is None
    assert reg.succession_note("Bắc Ninh", date(2026, 11, 29)) is None


# ---- mentions -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ở Bắc Giang hiện nay cơ quan nào chủ trì?", ["Bắc Giang"]),
        ("o bac giang hien nay co quan nao chu tri", ["Bắc Giang"]),
        ("Which regulation applies in Tuyen Quang today?", ["Tuyên Quang"]),
        ("Tuyen Quang Province and Bac Kan province", ["Tuyên Quang", "Bắc Kạn"]),
        ("TuyenQuang, Hanoi, Danang, haiphong", ["Tuyên Quang", "Hà Nội", "Đà Nẵng", "Hải Phòng"]),
        ("BẮC NINH và HƯNG YÊN", ["Bắc Ninh", "Hưng Yên"]),
        ("Bắc\nNinh", ["Bắc Ninh"]),
        ("Thừa Thiên Huế", ["Huế"]),  # one mention, not Huế alone
        ("TP.HCM, TPHCM, HCMC, Thành phố Hồ Chí Minh", ["Hồ Chí Minh"] * 4),
        ("Hoà Bình và Khánh Hoà", ["Hòa Bình", "Khánh Hòa"]),  # old tone placement
        # look-alikes that are not provinces
        ("hằng năm định kỳ báo cáo", []),
        ("hang nam dinh ky bao cao", []),
        ("theo dõi diễn biến tình hình; dien bien phuc tap", []),
        ("phòng họp đa năng; phong da nang", []),
        ("hai phòng chuyên môn; hai phong chuyen mon", []),
        ("âm mưu “Diễn biến hòa bình”, biên giới hòa bình", []),
        ("tư tưởng Hồ Chí Minh, Đoàn TNCS Hồ Chí Minh", []),
        ("khu vực Châu Á - Thái Bình Dương", []),
        ("chiến thắng Điện Biên Phủ", []),
        ("cao bằng nhau; hải dương học; làm đồng", []),
        ("Huệ; the hue of the sky", []),
        ("xã Hòa Bình, phường Hà Giang 1, đường Hà Nội, phố Huế", []),
        # overlap: the capitalised name wins over a lower-case word plus part of it
        ("phía bắc Ninh Bình", ["Ninh Bình"]),
        # ambiguous names count when capitalised or after a unit word
        ("Hai Phong City; tinh Nam Dinh; tỉnh Hòa Bình; Hòa Bình", ["Hải Phòng", "Nam Định", "Hòa Bình", "Hòa Bình"]),
        ("Thành phố Hồ Chí Minh và TP. Cần Thơ", ["Hồ Chí Minh", "Cần Thơ"]),
    ],
)
def test_find_mentions(reg, text, expected):
    assert names(reg, text) == expected


def test_mention_fields(reg):
    text = "Bãi bỏ Quyết định của UBND tỉnh Bắc Giang (cũ) và thành phố Hải Phòng; the former Ha Giang province."
    ms = reg.find_mentions(text)
    assert [m.surface for m in ms] == ["Bắc Giang", "Hải Phòng", "Ha Giang province"]
    for m in ms:
        assert text[m.start : m.end] == m.surface
    assert [m.qualifier for m in ms] == ["tỉnh", "thành phố", "province"]
    assert [m.former_marker for m in ms] == [True, False, True]
    assert [m.accented for m in ms] == [True, True, False]
    assert reg.find_mentions("Bac Kan cu gio thuoc tinh nao?")[0].former_marker
    assert reg.find_mentions("TP.HCM")[0].qualifier == "thành phố"


def test_prefer_lets_expected_units_through_the_lowercase_gate(reg):
    question = "ai ky quyet dinh 211/2025/QD-UBND cua hai phong?"
    assert names(reg, question) == []
    assert names(reg, question, prefer=["Hải Phòng"]) == ["Hải Phòng"]
    assert names(reg, "hai phòng chuyên môn", prefer=["Hải Phòng"]) == []  # accented: still 'two offices'
    assert [p.name for p in reg.provinces_in("Bắc Ninh, Bac Ninh và Hà Giang")] == ["Bắc Ninh", "Hà Giang"]


# ---- real texts -----------------------------------------------------------------------------------------
# every mention in these files was read in context (2026-11-29): all are real references
EXPECTED_UNITS = {
    "000_10a9b1074a298312.txt": {"Bắc Giang", "Bắc Ninh"},
    "001_2e3ea4fe28f01bc9.txt": {"Bắc Kạn"},
    "002_880cacbe2d6cfd53.txt": {"Hưng Yên"},  # not Hòa Bình: "Diễn biến hòa bình"
    "003_30692328590751f3.txt": {"Hà Giang", "Tuyên Quang"},
    "004_026d4d94ce6efd65.txt": {"Bắc Giang"},
    "bac-ninh-141-2025.txt": {"Bắc Ninh"},
    "bac-ninh-80-2025.txt": {"Bắc Giang", "Bắc Ninh"},
    "bo-tu-phap-tt24-2025.txt": {"Hà Nội"},
    "dak-lak-012-2025-chi-thi.txt": {"Đắk Lắk"},
    "dong-nai-63-2025.txt": {"Đồng Nai"},
    "dong-thap-617-2025.txt": {"Đồng Tháp"},
    "ha-noi-77-2025-nq-hdnd.txt": {"Hà Nội"},
    "ha-tinh-84-2025.txt": {"Hà Tĩnh", "Hồ Chí Minh"},  # a publisher's address "TP.HCM" in the page chrome
    "hai-phong-211-2025.txt": {"Hải Dương", "Hải Phòng"},
    "lai-chau-7360-2025.txt": {"Lai Châu"},
    "nghe-an-98-2025.txt": {"Nghệ An"},
    "nghi-dinh-297-2025.txt": set(),
    "quang-tri-2744-2025.txt": {"Hồ Chí Minh", "Quảng Bình", "Quảng Trị"},
}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (the real texts) is not next to the project")
def test_units_named_in_the_real_texts(reg):
    files = sorted(SHARED.glob("corpus*/*.txt"))
    assert files
    for f in files:
        found = {m.province.name for m in reg.find_mentions(f.read_text(encoding="utf-8"))}
        if f.name in EXPECTED_UNITS:
            assert found == EXPECTED_UNITS[f.name], f.name
    quang_tri = (SHARED / "corpus-extra" / "quang-tri-2744-2025.txt").read_text(encoding="utf-8")
    former = {m.province.name for m in reg.find_mentions(quang_tri) if m.former_marker}
    assert former == {"Quảng Trị"}  # "UBND tỉnh Quảng Trị (cũ)"


@pytest.mark.skipif(not any(EVALS.glob("*.jsonl")), reason="no gold questions under evals/data")
def test_every_gold_question_that_writes_a_unit_name_finds_it(reg):
    """A hinted question whose text holds one of the hinted unit's forms (or of a predecessor, for validity
    questions that hint the successor) finds that unit, given the provinces the corpus covers as ``prefer``."""
    from corpus.catalog import load_catalog

    prefer = {d.province for d in load_catalog().documents()}
    for f in SHARED.glob("corpus-extra/*.txt"):  # file names start with the province slug
        parts = f.stem.split("-")
        prefer |= {u.name for k in range(1, len(parts)) if (u := reg.by_slug("-".join(parts[:k]))) is not None}
    checked = 0
    for path in sorted(EVALS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            hint = reg.by_slug(q.get("province") or "")
            if hint is None:
                continue
            text = " ".join([*q.get("history", []), q["question"]])
            words = f" {_words(text)} "
            candidates = [hint, *[p for p in reg.predecessors(hint) if p.name != hint.name]]
            if not any(f" {_words(form)} " in words for u in candidates for form in u.forms()):
                continue  # asks by document number only
            found = reg.provinces_in(text, prefer=prefer)
            assert hint.name in {p.name for p in found} | {reg.successor(p).name for p in found}, q["id"]
            checked += 1
    assert checked >= 250  # 288 of 297 hinted questions on 2026-11-29


def _words(text: str) -> str:
    return " ".join(re.sub(r"\W+", " ", fold(text)).split())


def test_an_ambiguous_name_typed_without_accents_after_o_or_tai_is_a_place(reg):
    """ "dich vu cong o da nang": after "ở" / "tại" typed without accents, Đà Nẵng; "đa năng" written with its accents
    never is, and without the locative "da nang" stays an ordinary phrase."""
    assert [p.name for p in reg.provinces_in("muc ho tro o da nang la bao nhieu")] == ["Đà Nẵng"]
    assert reg.provinces_in("máy in ở đa năng") == []
    assert reg.provinces_in("thiet bi da nang cho van phong") == []
