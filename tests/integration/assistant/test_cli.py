"""The command line: ask (single and --jsonl batch), search, index build."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run(args, settings, stdin: str | None = None):
    env = dict(os.environ, REGASSIST_DATA_DIR=str(settings.data_dir))
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_ask_jsonl_batch(built_index, settings, corpus):
    lines = "\n".join(
        [
            "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?",
            json.dumps(
                {"question": "Sở Tài chính Bắc Kạn có trách nhiệm gì?", "province": "Bắc Kạn"}, ensure_ascii=False
            ),
            "{not json",
            json.dumps({"question": "x", "province": "Lạng Sơn"}, ensure_ascii=False),
            "Điều 40 Quy chế Bắc Ninh quy định gì?",
        ]
    )
    out = run(["ask", "--jsonl"], settings, stdin=lines)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 5
    assert not rows[0]["abstained"] and rows[0]["citations"]
    assert all(c["document_id"] == "bac-kan-34-2017" for c in rows[1]["citations"])
    assert "error" in rows[2] and "error" in rows[3] and "Lạng Sơn" in rows[3]["error"]
    assert rows[4]["abstained"]
    for row in (rows[0], rows[1]):
        for c in row["citations"]:
            assert c["quote"] in corpus.resolve(c["id"]).unit.text


def test_ask_and_search_single(built_index, settings):
    out = run(["ask", "Quyết định 68/2025 có hiệu lực từ ngày nào?", "--json"], settings)
    assert out.returncode == 0 and "01/12/2025" in json.loads(out.stdout)["answer"]
    bad = run(["ask", "   "], settings)
    assert bad.returncode == 2 and "error" in bad.stderr
    found = run(["search", "so ngoai vu tuyen quang", "--json", "-k", "3"], settings)
    result = json.loads(found.stdout)
    assert len(result["hits"]) == 3 and result["analysis"]["provinces"] == ["Tuyên Quang"]
    noop = run(["index", "build", "--quiet"], settings)
    assert noop.returncode == 0 and "no-op" in noop.stdout
