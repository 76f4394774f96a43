"""Metamorphic question variants (evals.metamorphic): each generator on hand-built questions, then every
gold question (invariants only; no gold question is printed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from corpus.catalog import load_catalog
from corpus.provinces import load_registry
from corpus.text import fold, has_diacritics
from evals.metamorphic import (
    VARIANTS,
    code_switch,
    diacritic_names,
    language_accuracy,
    lower_no_punct,
    no_diacritics,
    normalise_names,
    polite,
    typo,
    variants,
)
from evals.metamorphic import abbreviations as abbreviations_variant
from index.retrieval.language import detect_language

GOLD_FILES = sorted((Path(__file__).resolve().parents[3] / "evals" / "data").glob("gold*.jsonl"))
AGENCIES = [
    ("Department of Foreign Affairs", "Sở Ngoại vụ"),
    ("Department of Information and Communications", "Sở Thông tin và Truyền thông"),
    ("Department of Finance", "Sở Tài chính"),
    ("Provincial Police", "Công an tỉnh"),
    ("Office of the Provincial People's Committee", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("Provincial People's Committee", "Ủy ban nhân dân tỉnh"),
]
PROVINCES = [("Tuyen Quang", "Tuyên Quang"), ("Bac Ninh", "Bắc Ninh"), ("Hanoi", "Hà Nội"), ("Ha Giang", "Hà Giang")]
NAMES = normalise_names(PROVINCES + AGENCIES)
EXAMPLE = "which agency leads foreign-press management in Tuyen Quang"


def catalog_names() -> tuple[tuple[str, str], ...]:
    """The 63 provincial units of the registry in every English spelling, the catalog's provinces, agencies."""
    registry = load_registry()
    units = registry.pre_arrangement() + registry.current()
    provinces = sorted({d.province for d in load_catalog().documents()} | {u.name for u in units})
    return normalise_names(provinces + [(en, u.name) for u in units for en in u.english] + AGENCIES)


def gold() -> list[dict]:
    return [json.loads(line) for f in GOLD_FILES for line in f.read_text(encoding="utf-8").splitlines()]


def edits(a: str, b: str) -> int:
    """0 if equal, 1 if one character was deleted, inserted, replaced or two neighbours swapped, else 2."""
    if a == b:
        return 0
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    q = 0
    while q < min(len(a), len(b)) - p and a[-1 - q] == b[-1 - q]:
        q += 1
    x, y = a[p : len(a) - q], b[p : len(b) - q]
    if (len(x), len(y)) in ((1, 0), (0, 1), (1, 1)) or (len(x) == len(y) == 2 and x == y[::-1]):
        return 1
    return 2


# ------------------------------------------------------------------------------------------ hand-built


def test_the_generators():
    assert list(VARIANTS) == [
        "lower_no_punct",
        "no_diacritics",
        "diacritic_names",
        "polite",
        "abbreviations",
        "typo",
        "code_switch",
    ]


def test_lower_case_without_final_punctuation():
    assert lower_no_punct("Sở Ngoại vụ Tuyên Quang có nhiệm vụ gì?", "vi") == "sở ngoại vụ tuyên quang có nhiệm vụ gì"
    assert lower_no_punct("What does Article 14 say ?!", "en") == "what does article 14 say"


def test_no_diacritics_keeps_case_and_punctuation():
    assert no_diacritics("Sở Ngoại vụ Tuyên Quang có nhiệm vụ gì?", "vi") == "So Ngoai vu Tuyen Quang co nhiem vu gi?"
    assert no_diacritics("Đơn vị nào? QĐ 10/2018/QĐ-UBND", "vi") == "Don vi nao? QD 10/2018/QD-UBND"


def test_names_written_with_diacritics_in_english_questions():
    assert diacritic_names(EXAMPLE, "en", NAMES) == "which agency leads foreign-press management in Tuyên Quang"
    assert (
        diacritic_names("Compare Bac Ninh's and Hanoi's rules", "en", NAMES) == "Compare Bắc Ninh's and Hà Nội's rules"
    )
    assert diacritic_names("co quan nao o tuyen quang", "vi", NAMES) == "co quan nao o tuyen quang"  # English only
    assert diacritic_names("Who leads in Tuyên Quang?", "en", NAMES) == "Who leads in Tuyên Quang?"


def test_polite_lead_ins():
    vi = polite("Ở Bắc Ninh, cơ quan nào chủ trì?", "vi", NAMES)
    assert vi in ("Cho tôi hỏi, ở Bắc Ninh, cơ quan nào chủ trì?", "Xin hỏi ở Bắc Ninh, cơ quan nào chủ trì?")
    en = polite("Which agency leads in Bac Ninh?", "en", NAMES)
    assert en in ("Could you tell me which agency leads in Bac Ninh?", "Please, which agency leads in Bac Ninh?")
    unaccented = polite("co quan nao chu tri o bac ninh", "vi", NAMES)
    assert unaccented.endswith("co quan nao chu tri o bac ninh") and not has_diacritics(unaccented)
    # a question that starts with a name keeps its capital
    for q in ("Sở Công Thương Hà Giang có nhiệm vụ gì?", "Tuyen Quang's police: what are their duties?"):
        lead = polite(q, "vi" if has_diacritics(q) else "en", NAMES)
        assert lead.endswith(q)


def test_abbreviations_variant():
    q = "Sở Thông tin và Truyền thông phối hợp với Ủy ban nhân dân tỉnh theo Quyết định 10/2018 về thông tin đối ngoại?"
    out = abbreviations_variant(q, "vi", NAMES)
    assert out in {f"Sở {s} phối hợp với UBND tỉnh theo QĐ 10/2018 về TTĐN?" for s in ("TT&TT", "TTTT", "TT-TT")}
    assert abbreviations_variant("Sở Văn hóa, Thể thao và Du lịch", "vi", NAMES) in {
        "Sở VH-TT-DL",
        "Sở VHTTDL",
        "Sở VHTT&DL",
        "Sở VH-TT&DL",
    }
    assert abbreviations_variant("What does the Department of Information and Communications do?", "en") == (
        "What does the DIC do?"
    )


def test_typo_is_one_edit_outside_numbers_and_names():
    q = "Theo QĐ 10/2018, Sở Ngoại vụ Tuyên Quang phối hợp với những cơ quan nào?"
    for seed in range(30):
        out = typo(q, "vi", NAMES, seed)
        assert out != q and edits(out, q) == 1
        assert "QĐ 10/2018," in out and "Sở Ngoại vụ Tuyên Quang" in out
    assert typo("Ai? Nó? 10/2018", "vi", NAMES) == "Ai? Nó? 10/2018"  # no word of four letters: unchanged


def test_code_switch_english_keeps_vietnamese_names():
    q = "What does the Department of Foreign Affairs of Tuyen Quang do?"
    assert code_switch(q, "en", NAMES) == "What does the Sở Ngoại vụ of Tuyên Quang do?"
    # no agency named: one term from the table's English glosses
    q = "What does Article 14 of the Bac Ninh foreign information regulation cover?"
    assert code_switch(q, "en", NAMES) == "What does Article 14 of the Bắc Ninh thông tin đối ngoại regulation cover?"
    assert code_switch("And under the 2018 decision?", "en", NAMES) == "And under the 2018 quyết định?"


def test_code_switch_vietnamese_takes_an_english_question_word():
    assert code_switch("Ở Bắc Ninh, cơ quan nào chủ trì?", "vi", NAMES) == "Ở Bắc Ninh, cơ quan which chủ trì?"
    assert code_switch("Sở Tài chính có nhiệm vụ gì?", "vi", NAMES) == "Sở Tài chính có nhiệm vụ what?"
    assert code_switch("co quan nao chu tri o bac ninh", "vi", NAMES) == "co quan which chu tri o bac ninh"
    assert code_switch("Hạn báo cáo là bao nhiêu ngày?", "vi", NAMES) == "Hạn báo cáo là how much ngày?"
    assert code_switch("Văn bản đó còn hiệu lực không?", "vi", NAMES) == "Văn bản đó còn hiệu lực or not?"
    assert code_switch("Kinh phí thông tin đối ngoại.", "vi", NAMES) == "Kinh phí foreign information."


def test_variants_omit_what_does_not_change():
    out = variants("What does Article 14 say", "en", NAMES)
    assert "no_diacritics" not in out and "diacritic_names" not in out and "lower_no_punct" in out
    out = variants("co quan nao chu tri", "vi", NAMES)
    assert "lower_no_punct" not in out and "no_diacritics" not in out


def test_the_issue_example():
    out = variants(EXAMPLE, "en", NAMES)
    assert out["diacritic_names"] == "which agency leads foreign-press management in Tuyên Quang"
    assert set(out) >= {"diacritic_names", "polite", "typo", "code_switch"}
    flat = [n for pair in NAMES for n in pair]
    for text in (EXAMPLE, *out.values()):  # answered in the question's language: English in every variant
        assert detect_language(text) == "en" and detect_language(text, flat) == "en", text


def test_deterministic_and_seeded():
    q = "Theo dự thảo 2025, Sở Nội vụ Tuyên Quang có nhiệm vụ gì về thông tin đối ngoại?"
    assert variants(q, "vi", NAMES) == variants(q, "vi", NAMES)
    typos = {variants(q, "vi", NAMES, seed=s)["typo"] for s in range(10)}
    assert len(typos) > 3


def test_names_given_as_strings_or_mapping():
    assert normalise_names(["Tuyên Quang"]) == (("Tuyen Quang", "Tuyên Quang"),)
    assert normalise_names({"Hanoi": "Hà Nội"}) == (("Hanoi", "Hà Nội"),)


def test_language_accuracy_counts():
    acc = language_accuracy([("a", "vi"), ("b", "en")], {"always_vi": lambda _: "vi"})
    assert acc == {"always_vi": (1, 2)}


# ------------------------------------------------------------------------------------------ gold


def test_every_gold_question_gets_its_variants():
    """Invariants over every gold file; failures name ids only (some files must stay unread)."""
    names = catalog_names()
    rows = gold()
    assert rows
    coverage = {kind: 0 for kind in VARIANTS}
    failures: list[str] = []
    # names an English question may write without the diacritics the Vietnamese name has ("An Giang" has none)
    spellings = [en for en, vi in names if fold(en).replace(" ", "") == fold(vi).replace(" ", "") and en != vi]
    respelled = re.compile(r"\b(?:" + "|".join(re.escape(en) for en in spellings) + r")\b")
    for row in rows:
        q, lang = row["question"], row["language"]
        out = variants(q, lang, names)
        for kind, text in out.items():
            coverage[kind] += 1
            if not text.strip() or text == q:
                failures.append(f"{row['id']}:{kind}:empty-or-same")
            # no rewrite touches a number
            if re.findall(r"\d+", text) != re.findall(r"\d+", q):
                failures.append(f"{row['id']}:{kind}:numbers")
        if "polite" not in out:
            failures.append(f"{row['id']}:polite-missing")
        if lang == "vi" and has_diacritics(q) and ("no_diacritics" not in out or has_diacritics(out["no_diacritics"])):
            failures.append(f"{row['id']}:no_diacritics")
        if lang == "en" and respelled.search(q) and "diacritic_names" not in out:
            failures.append(f"{row['id']}:diacritic_names-missing")
        if "typo" in out and edits(out["typo"], q) != 1:
            failures.append(f"{row['id']}:typo-not-one-edit")
    assert not failures, failures
    assert min(coverage.values()) > 0, coverage
    # only questions without a word of four letters outside names and numbers have no typo variant; only
    # those with neither a question word, a name given as a translation nor a glossed term no code switch
    assert coverage["typo"] >= 0.95 * len(rows), coverage
    assert coverage["code_switch"] >= 0.9 * len(rows), coverage


def test_typo_never_touches_protected_names_in_gold():
    names = catalog_names()
    forms = sorted({fold(n) for pair in names for n in pair})
    words = [(form, re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")) for form in forms]
    failures = []
    for row in gold():
        q = row["question"]
        out = typo(q, row["language"], names)
        if edits(out, q) > 1:
            failures.append(row["id"])
        fq, fo = fold(q), fold(out)
        failures += [f"{row['id']}:{form}" for form, rx in words if len(rx.findall(fq)) != len(rx.findall(fo))]
    assert not failures, failures
