"""The HTTP API on a real uvicorn server (background thread, loopback, real assistant): answers and their
citations, follow-ups carried by the conversation token, abstentions, bad input of every kind, rate limiting,
CORS, readiness."""

from __future__ import annotations

import concurrent.futures
import json

import httpx
import pytest

from assistant.schemas import Answer

pytestmark = pytest.mark.slow

ALLOWED = "http://intranet.example:8080"
REFUSED = "http://evil.example"


def ask(client, question, **extra):
    r = client.post("/api/ask", json={"question": question, **extra})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return Answer.model_validate(r.json())


def test_health_ready_docs_openapi(client, corpus):
    assert client.get("/healthz").json() == {"status": "ok", "ready": True, "assistant_loaded": True}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.json()["documents"] == len(corpus.documents) and ready.json()["build_id"]
    spec = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/documents", "/api/documents/{doc_id}", "/healthz", "/readyz"} <= set(spec["paths"])
    body = spec["paths"]["/api/ask"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["additionalProperties"] is False and body["properties"]["question"]["maxLength"] == 2000
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/ask" in docs.text
    assert "cdn" not in docs.text.lower() and "<script" not in docs.text.lower()


def test_documents_api(client, corpus):
    listed = client.get("/api/documents").json()
    assert {d["id"] for d in listed} == set(corpus.documents)
    for row in listed:
        doc = corpus.get(row["id"])
        assert row["number"] == doc.meta.number and row["status"] == doc.meta.status.value
        assert sum(row["units"].get(f"{p.kind}_articles", 0) for p in doc.parts) == sum(
            len(p.articles) for p in doc.parts
        )
    some = next(iter(corpus.documents.values()))
    one = client.get(f"/api/documents/{some.id}").json()
    assert one["meta"]["number"] == some.meta.number and one["meta"]["title"] == some.meta.title


@pytest.mark.parametrize(
    "question",
    [
        "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?",
        "Quyết định 68/2025 có hiệu lực từ ngày nào?",
        "which agency leads foreign-press management in Tuyen Quang",
        "so tai chinh bac ninh co trach nhiem gi",
        "Văn phòng UBND tỉnh Bắc Giang làm gì trong Phụ lục kế hoạch?",
    ],
)
def test_answer_citations_resolve_and_quote_verbatim(client, corpus, question):
    ans = ask(client, question)
    assert not ans.abstained and ans.citations and 0 < ans.confidence <= 1
    assert ans.question == question and ans.timings_ms["total"] > 0
    for n, c in enumerate(ans.citations, 1):
        loc = corpus.resolve(c.id)
        assert loc is not None, c.id
        assert c.quote and c.quote in loc.unit.text
        path = c.id.split("/", 1)[1]
        assert c.url == f"/documents/{c.document_id}?hl={path}#{path}"
        assert f"[{n}]" in ans.answer
        page = client.get(c.url.split("#")[0])
        assert page.status_code == 200 and f'id="{path}"' in page.text


def test_filters(client):
    ans = ask(client, "Cơ quan nào chủ trì quản lý phóng viên nước ngoài?", province="Hưng Yên")
    assert ans.citations and {c.province for c in ans.citations} == {"Hưng Yên"}
    ans = ask(client, "Cơ quan nào chủ trì quản lý phóng viên nước ngoài?", document="bac-kan-34-2017")
    assert ans.citations and {c.document_id for c in ans.citations} == {"bac-kan-34-2017"}


def test_follow_up_continues_with_the_returned_token(client):
    first = ask(client, "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?")
    assert not first.abstained and first.session_id and len(first.session_id) < 4000
    second = ask(client, "Còn Hưng Yên thì sao?", session_id=first.session_id)
    assert not second.abstained and second.citations
    assert {c.document_id for c in second.citations} == {"hung-yen-29-2019"}
    assert any("follow-up" in w for w in second.warnings)
    assert second.session_id and second.session_id != first.session_id
    # the same words without the token have no context to follow
    fresh = ask(client, "Còn Hưng Yên thì sao?")
    assert not any("follow-up" in w for w in fresh.warnings)


@pytest.mark.parametrize(
    "question", ["Lạng Sơn quy định thế nào về thông tin đối ngoại?", "Điều 40 Quy chế Bắc Ninh quy định gì?"]
)
def test_abstains(client, question):
    ans = ask(client, question)
    assert ans.abstained and not ans.citations and ans.confidence == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script> Sở Tài chính Bắc Ninh có trách nhiệm gì?",
        "'; DROP TABLE documents; -- Sở Tài chính Bắc Ninh",
        '" OR 1=1 --',
        "Robert'); DELETE FROM units WHERE 1=1; --",
    ],
)
def test_hostile_but_valid_questions_are_answered_as_json(client, question):
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert "<" not in r.text  # written as \u003c: never markup, even if sniffed
    assert r.headers.get("x-content-type-options") == "nosniff"
    data = r.json()
    assert data["question"] == question  # decodes back to exactly what was asked
    Answer.model_validate(data)


BIG = "a" * 20_000
J = {"content-type": "application/json"}
BAD = [
    # (id, method, path, kwargs, expected status)
    ("empty-question", "POST", "/api/ask", {"json": {"question": ""}}, 422),
    ("whitespace-question", "POST", "/api/ask", {"json": {"question": "  \n\t  "}}, 422),
    ("20000-chars", "POST", "/api/ask", {"json": {"question": BIG}}, 422),
    ("20000-vietnamese-chars", "POST", "/api/ask", {"json": {"question": "đ" * 20_000}}, 422),
    ("nul-byte", "POST", "/api/ask", {"json": {"question": "Điều 11\x00 Bắc Ninh"}}, 422),
    ("only-control-bytes", "POST", "/api/ask", {"json": {"question": "\x01\x02\x1b"}}, 422),
    ("lone-surrogate", "POST", "/api/ask", {"content": b'{"question": "\\ud800 abc"}', "headers": J}, 422),
    ("lone-surrogate-key", "POST", "/api/ask", {"content": b'{"\\ud800": 1, "question": "x"}', "headers": J}, 422),
    ("invalid-json", "POST", "/api/ask", {"content": b'{"question": ', "headers": J}, 400),
    ("invalid-utf8", "POST", "/api/ask", {"content": b'{"question": "\xff\xfe"}', "headers": J}, 400),
    ("empty-body", "POST", "/api/ask", {"content": b"", "headers": J}, 400),
    ("deep-nesting", "POST", "/api/ask", {"content": b"[" * 100_000, "headers": J}, 400),
    ("json-array", "POST", "/api/ask", {"json": ["Điều 11"]}, 422),
    ("json-string", "POST", "/api/ask", {"json": "Điều 11"}, 422),
    ("json-null", "POST", "/api/ask", {"content": b"null", "headers": J}, 422),
    (
        "text-plain",
        "POST",
        "/api/ask",
        {"content": json.dumps({"question": "Điều 11"}).encode(), "headers": {"content-type": "text/plain"}},
        415,
    ),
    ("form-encoded", "POST", "/api/ask", {"data": {"question": "Điều 11"}}, 415),
    ("no-content-type", "POST", "/api/ask", {"content": b'{"question": "x"}'}, 415),
    ("question-number", "POST", "/api/ask", {"json": {"question": 42}}, 422),
    ("question-list", "POST", "/api/ask", {"json": {"question": ["a", "b"]}}, 422),
    ("question-object", "POST", "/api/ask", {"json": {"question": {"$ne": None}}}, 422),
    ("missing-question", "POST", "/api/ask", {"json": {"province": "Bắc Ninh"}}, 422),
    ("extra-field", "POST", "/api/ask", {"json": {"question": "Điều 11", "top_k": 1000}}, 422),
    ("province-number", "POST", "/api/ask", {"json": {"question": "Điều 11", "province": 7}}, 422),
    ("unknown-province", "POST", "/api/ask", {"json": {"question": "Điều 11", "province": "Lạng Sơn"}}, 400),
    ("unknown-document", "POST", "/api/ask", {"json": {"question": "Điều 11", "document": "x' OR '1'='1"}}, 400),
    ("session-not-a-string", "POST", "/api/ask", {"json": {"question": "Điều 11", "session_id": 5}}, 422),
    ("oversize-body", "POST", "/api/ask", {"json": {"question": "x", "pad": "y" * 1_000_000}}, 413),
    (
        "oversize-chunked",
        "POST",
        "/api/ask",
        {"content": iter([b'{"question": "', b"z" * 600_000, b'"}']), "headers": J},
        413,
    ),
    ("wrong-method-get", "GET", "/api/ask", {}, 405),
    ("wrong-method-put", "PUT", "/api/ask", {"json": {"question": "x"}}, 405),
    ("wrong-method-documents", "DELETE", "/api/documents", {}, 405),
    ("wrong-path-api", "GET", "/api/asks", {}, 404),
    ("wrong-path", "GET", "/no/such/page", {}, 404),
    ("unknown-document-api", "GET", "/api/documents/%3Cscript%3E", {}, 404),
]


@pytest.mark.parametrize("method,path,kwargs,status", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_gets_clear_json_4xx_and_server_keeps_serving(client, method, path, kwargs, status):
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body, dict) and isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in r.text and 'File "' not in r.text and "<" not in r.text
    if status == 405:
        assert r.headers.get("allow")
    assert client.get("/readyz").json()["status"] == "ready"


def test_bad_input_messages_are_specific(client):
    too_long = client.post("/api/ask", json={"question": BIG}).json()
    assert "too long" in too_long["error"] and "20000" in too_long["error"] and too_long["max_chars"] == 2000
    unknown = client.post("/api/ask", json={"question": "x", "province": "Lạng Sơn"}).json()
    assert "unknown province" in unknown["error"]
    extra = client.post("/api/ask", json={"question": "x", "top_k": 3}).json()
    assert extra["details"][0]["loc"] == ["top_k"]


def test_concurrent_requests(client):
    questions = ["Sở Tài chính Bắc Ninh có trách nhiệm gì?", "Bắc Kạn: báo cáo năm gửi trước ngày nào?"] * 4
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda q: client.post("/api/ask", json={"question": q}), questions))
    assert all(r.status_code == 200 and r.json()["citations"] for r in results)


def test_rate_limit_429_with_retry_after_per_real_address(serve):
    with serve(rate_limit_per_minute=3) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        q = {"question": "Quyết định 68/2025 có hiệu lực từ ngày nào?"}
        assert [c.post("/api/ask", json=q).status_code for _ in range(3)] == [200, 200, 200]
        r = c.post("/api/ask", json=q)
        assert r.status_code == 429 and r.headers["content-type"].startswith("application/json")
        assert int(r.headers["retry-after"]) >= 1 and r.json()["retry_after"] >= 1 and "rate limit" in r.json()["error"]
        # neither a self-declared client id nor a forwarded address chooses the bucket (no trusted proxy)
        for h in ({"X-Client-Id": "desk-42"}, {"X-Forwarded-For": "10.1.2.3"}, {"X-Real-IP": "10.1.2.4"}):
            assert c.post("/api/ask", json=q, headers=h).status_code == 429
        assert c.get("/readyz").status_code == 200  # health and readiness are never limited


def test_cors_allowed_and_refused_origins(client, api):
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = client.options("/api/ask", headers={"Origin": ALLOWED, **pre})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ALLOWED
    pattern = client.options("/api/ask", headers={"Origin": "http://hr.corp.example", **pre})
    assert pattern.headers.get("access-control-allow-origin") == "http://hr.corp.example"

    refused = client.options("/api/ask", headers={"Origin": REFUSED, **pre})
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
    assert refused.json()["error"] == "origin not allowed"

    q = {"question": "Điều 11 Quy chế Bắc Ninh quy định gì?"}
    post_ok = client.post("/api/ask", json=q, headers={"Origin": ALLOWED})
    assert post_ok.status_code == 200 and post_ok.headers["access-control-allow-origin"] == ALLOWED
    post_refused = client.post("/api/ask", json={"question": "Điều 11"}, headers={"Origin": REFUSED})
    assert post_refused.status_code == 403 and "access-control-allow-origin" not in post_refused.headers
    simple_refused = client.post(
        "/api/ask", content=b'{"question":"x"}', headers={"Origin": REFUSED, "Content-Type": "text/plain"}
    )
    assert simple_refused.status_code == 403
    get_refused = client.get("/api/documents", headers={"Origin": REFUSED})
    assert get_refused.status_code == 200 and "access-control-allow-origin" not in get_refused.headers
    # the chat page posts to its own origin: same-origin requests are never refused
    assert client.post("/api/ask", json=q, headers={"Origin": api.url}).status_code == 200
    # an untrusted peer cannot claim to be a proxy's same origin
    forged = client.post(
        "/api/ask",
        json=q,
        headers={"Origin": "https://tro-ly.intranet.example", "X-Forwarded-Host": "tro-ly.intranet.example"},
    )
    assert forged.status_code == 403
