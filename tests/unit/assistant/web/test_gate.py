"""The one validation gate of POST /api/ask: every kind of bad body gets its 4xx and a clear message."""

from __future__ import annotations

import json

import pytest

from assistant.web.gate import AskBody, Gate
from assistant.web.responses import InputError, SafeJSONResponse

GATE = Gate(2000)
J = "application/json"


def refused(ctype, body) -> InputError:
    with pytest.raises(InputError) as err:
        GATE.parse(ctype, body)
    return err.value


@pytest.mark.parametrize(
    "ctype,body,status",
    [
        (None, b'{"question": "x"}', 415),
        ("text/plain", b'{"question": "x"}', 415),
        ("application/x-www-form-urlencoded", b"question=x", 415),
        (J, b"", 400),
        (J, b"   ", 400),
        (J, b'{"question": ', 400),
        (J, b'{"question": "\xff\xfe"}', 400),
        (J, b"[" * 100_000, 400),
        (J, b'{"a":' * 50 + b"1" + b"}" * 50, 400),
        (J, b"null", 422),
        (J, b'["x"]', 422),
        (J, b'"x"', 422),
        (J, b'{"question": ""}', 422),
        (J, b'{"question": "  \\n\\t "}', 422),
        (J, b'{"question": 42}', 422),
        (J, b'{"question": {"$ne": null}}', 422),
        (J, b'{"province": "x"}', 422),
        (J, b'{"question": "x", "top_k": 1000}', 422),
        (J, b'{"question": "x", "status": "gone"}', 422),
        (J, b'{"question": "a\\u0000b"}', 422),
        (J, b'{"question": "\\ud800 abc"}', 422),
        (J, b'{"\\ud800key": "v", "question": "x"}', 422),
        (J, b'{"question": "x", "province": ["\\udfff"]}', 422),
        (J, json.dumps({"question": "a" * 2001}).encode(), 422),
        (J, json.dumps({"question": "x", "session_id": "s" * 40_000}).encode(), 422),
    ],
)
def test_refusals(ctype, body, status):
    err = refused(ctype, body)
    assert err.status == status and err.message and "\n" not in err.message
    SafeJSONResponse({"error": err.message, **err.extra})  # always renderable


def test_surrogate_key_is_not_echoed():
    err = refused(J, b'{"\\ud800<script>": 1, "question": "x"}')
    assert "script" not in err.message and "script" not in json.dumps(err.extra)


def test_messages_name_the_problem():
    assert (
        "too long: 2001 characters, the maximum is 2000"
        in refused(J, json.dumps({"question": "a" * 2001}).encode()).message
    )
    assert refused(J, b'{"question": "x", "top_k": 1}').extra["details"][0]["loc"] == ["top_k"]
    assert "line 1, column 14" in refused(J, b'{"question": ').message


def test_accepted_body_is_stripped():
    body = GATE.parse(
        "application/json; charset=utf-8",
        json.dumps(
            {"question": "  Điều 11 Quy chế?  ", "province": "Bắc Ninh", "status": "in_force", "session_id": "t.k-n_"}
        ).encode(),
    )
    assert body == AskBody(question="Điều 11 Quy chế?", province="Bắc Ninh", status="in_force", session_id="t.k-n_")


def test_schema_carries_the_limit():
    schema = Gate(500).schema()
    assert schema["properties"]["question"]["maxLength"] == 500 and schema["additionalProperties"] is False


def test_safe_json_never_emits_markup_and_survives_surrogates():
    body = SafeJSONResponse({"q": "<script>&</script>", "s": "\ud800"}).body
    assert b"<" not in body and b">" not in body and b"&" not in body
    assert json.loads(body)["q"] == "<script>&</script>"
