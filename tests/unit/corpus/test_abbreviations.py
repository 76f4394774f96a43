"""The abbreviation table (corpus.abbreviations): what it holds, expansion and contraction, and that every gold
question keeps its numbers through both."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from corpus.abbreviations import (
    capitalise_abbreviations,
    contract_abbreviations,
    expand_abbreviations,
    fold_aligned,
    full_form_spans,
    load_abbreviations,
)
from corpus.text import fold, nfc

GOLD_FILES = sorted((Path(__file__).resolve().parents[3] / "evals" / "data").glob("gold*.jsonl"))


def gold_rows() -> list[tuple[str, dict]]:
    return [(f.name, json.loads(line)) for f in GOLD_FILES for line in f.read_text(encoding="utf-8").splitlines()]


def test_table_has_the_common_abbreviations():
    table = load_abbreviations()
    expected = {
        "UBND": "Ủy ban nhân dân",
        "HĐND": "Hội đồng nhân dân",
        "TTĐN": "thông tin đối ngoại",
        "TT&TT": "Thông tin và Truyền thông",
        "VH-TT-DL": "Văn hóa, Thể thao và Du lịch",
        "VHTTDL": "Văn hóa, Thể thao và Du lịch",
        "QĐ": "Quyết định",
        "KH": "Kế hoạch",
        "NĐ": "Nghị định",
        "TT": "Thông tư",
    }
    for abbr, full in expected.items():
        entry = table.get(abbr)
        assert entry is not None and entry.full[0] == nfc(full), abbr
    assert table.get("UBND").en == ("People's Committee",)
    assert table.get("PPC").language == "en"
    for entry in table:
        for text in (*entry.full, *entry.spellings):
            assert unicodedata.is_normalized("NFC", text)


def test_expand_abbreviations():
    assert (
        expand_abbreviations("Sở TT&TT phối hợp với UBND tỉnh theo QĐ 10/2018/QĐ-UBND và KH 69")
        == "Sở Thông tin và Truyền thông phối hợp với Ủy ban nhân dân tỉnh theo Quyết định 10/2018/QĐ-UBND và Kế hoạch 69"
    )
    assert expand_abbreviations("Sở VHTTDL và Sở VH-TT-DL") == (
        "Sở Văn hóa, Thể thao và Du lịch và Sở Văn hóa, Thể thao và Du lịch"
    )
    assert expand_abbreviations("so tttt va ubnd tinh") == "so Thông tin và Truyền thông va Ủy ban nhân dân tinh"
    assert expand_abbreviations("NĐ-CP, 26/2019/QĐ-UBND") == "NĐ-CP, 26/2019/QĐ-UBND"  # identifiers stay
    assert expand_abbreviations("tư nhân và TƯ") == "tư nhân và Trung ương"  # 'tư' is a word
    assert expand_abbreviations("ngo and NGO") == "ngo and non-governmental organisation"
    assert expand_abbreviations("UBND tỉnh và TTĐN", to="en") == "People's Committee tỉnh và foreign information"
    assert expand_abbreviations("The DIC and the PPC") == (
        "The Department of Information and Communications and the Provincial People's Committee"
    )


def test_abbreviations_typed_in_lower_case_are_written_in_capitals_for_the_embedder():
    assert capitalise_abbreviations("cổng ttđt thành phần của sở tt&tt") == "cổng TTĐT thành phần của sở TT&TT"
    assert capitalise_abbreviations("qđ 80/2025/qđ-ubnd của ubnd tỉnh") == "QĐ 80/2025/qđ-ubnd của UBND tỉnh"
    # a lower-case spelling that is a word ("tư" = private, not TƯ) and a lower-case row ("info") are left alone
    assert capitalise_abbreviations("khu vực tư nhân, more info") == "khu vực tư nhân, more info"
    assert capitalise_abbreviations("Cổng TTĐT") == "Cổng TTĐT"


def test_contract_abbreviations():
    assert contract_abbreviations("Ủy ban nhân dân tỉnh và Uỷ ban nhân dân huyện") == "UBND tỉnh và UBND huyện"
    assert contract_abbreviations("Quyết định 10/2018 về thông tin đối ngoại") == "QĐ 10/2018 về TTĐN"
    assert contract_abbreviations("ai quyết định kế hoạch này") == "ai quyết định kế hoạch này"  # verbs stay
    assert contract_abbreviations("theo quyet dinh 10/2018 cua uy ban nhan dan tinh") == "theo QD 10/2018 cua UBND tinh"
    assert contract_abbreviations("Sở Kế hoạch và Đầu tư") == "Sở KH&ĐT"  # longest full form first
    assert contract_abbreviations("The Provincial People's Committee", language="en") == "The PPC"
    for full in (
        "Sở Thông tin và Truyền thông",
        "Ủy ban nhân dân",
        "Hội đồng nhân dân",
        "Sở Văn hóa, Thể thao và Du lịch",
    ):
        assert expand_abbreviations(contract_abbreviations(full)) == full


def test_full_forms_match_any_accent_placement_and_separator():
    for text in ("Văn hoá - Thể thao và Du lịch", "van hoa the thao va du lich", "VĂN HÓA, THỂ THAO VÀ DU LỊCH"):
        [(start, end, entry)] = full_form_spans(text)
        assert (start, end, entry.abbr) == (0, len(text), "VH-TT-DL")


def test_fold_aligned_keeps_positions():
    for _, row in gold_rows():
        q = nfc(row["question"])
        f = fold_aligned(q)
        assert len(f) == len(q)
        assert " ".join(f.split()) == fold(q)


def test_expanding_gold_questions_keeps_their_numbers():
    for _, row in gold_rows():
        q = row["question"]
        assert re.findall(r"\d+", expand_abbreviations(q)) == re.findall(r"\d+", q)
        assert re.findall(r"\d+", contract_abbreviations(q)) == re.findall(r"\d+", q)


def test_rows_the_texts_write_short_stay_as_typed_in_questions():
    """ "Cổng TTĐT thành phần là …": a question writing TTĐT keeps it (its words meet the text's own when a definition
    or a quote is matched on the text as written); BM25 writes it out on both sides (index.stores.tokens)."""
    from corpus.abbreviations import question_abbreviations

    questions = question_abbreviations()
    assert questions.get("TTĐT") is None and questions.get("UBND") is not None
    assert load_abbreviations().get("TTĐT").full[0] == "thông tin điện tử"
    asked = "Cổng TTĐT thành phần do UBND tỉnh quản lý?"
    assert expand_abbreviations(asked, table=questions) == "Cổng TTĐT thành phần do Ủy ban nhân dân tỉnh quản lý?"
    assert expand_abbreviations(asked) == "Cổng thông tin điện tử thành phần do Ủy ban nhân dân tỉnh quản lý?"


def test_ministry_abbreviations_and_antt_are_written_out():
    assert expand_abbreviations("What does MOCST do?") == "What does Ministry of Culture, Sports and Tourism do?"
    assert expand_abbreviations("giấy chứng nhận đủ điều kiện ANTT") == "giấy chứng nhận đủ điều kiện an ninh, trật tự"
    assert expand_abbreviations("two MPs asked") == "two MPs asked"  # English entries keep their case


def test_english_abbreviations_marked_any_case_are_read_in_lower_case():
    """A chat types "ppc" and "mocst"; "mic" and "ngo" are words too (a microphone, a Vietnamese syllable) and stay."""
    from corpus.abbreviations import expand_abbreviations

    text = "does the ppc or mocst lead, or the mic, ngo?"
    assert expand_abbreviations(text) == (
        "does the Provincial People's Committee or Ministry of Culture, Sports and Tourism lead, or the mic, ngo?"
    )
    assert expand_abbreviations("PPC") == "Provincial People's Committee"
