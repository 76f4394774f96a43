"""``/admin``: an official adds a document from the browser — upload, preview (metadata + structure), confirm —
and the index is updated in the background while the server keeps answering.

Only mounted when ``REGASSIST_ADMIN_TOKEN`` is set (otherwise ``/admin`` says uploads are off). Decisions:

* Access: the token is typed once into ``/admin`` (or sent as ``Authorization: Bearer …`` by scripts) and
  exchanged for a signed, 8-hour, ``HttpOnly``, ``SameSite=Strict`` cookie scoped to ``/admin``; compared in
  constant time; 10 login attempts per minute per address. Without it every admin action is refused (403) with
  the reason. Unsafe requests to ``/admin`` are accepted from the server's own origin only (``OriginGuard``).
* Files: the body is capped at ``max_upload_bytes`` (the ``Limits`` middleware, 413) before anything is
  parsed; the upload is copied into ``<data_dir>/uploads/<random>/`` under its own (sanitised) name, which the
  reader uses to name the document; the form's spooled temporary file is closed at once. Pending uploads are
  deleted on confirm, on cancel, after a refusal, and after one hour.
* Preview and add are the corpus's own (``preview_file`` / ``add_file``): a file with no text is refused with
  the reader's message; a number already in the corpus asks for "replace" (the old version is kept as
  superseded). After adding, ``IndexJobs`` builds the index incrementally (only the new units are embedded)
  and the engine swaps the new build in; the page shows the job until it is done (a meta refresh, no script).
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import shutil
import time
import unicodedata
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.datastructures import UploadFile

from assistant.web.backend import IndexJobs, IngestPreview, ReadError, add_file, preview_file
from assistant.web.context import WebContext
from assistant.web.html import STATUS_VI, e
from assistant.web.limiter import RateLimiter
from assistant.web.pages import PAGE_HEADERS, page

COOKIE = "regassist_admin"
SESSION_SECONDS = 8 * 3600
PENDING_SECONDS = 3600
OVERRIDES = [
    ("id", "Mã văn bản (id)"),
    ("number", "Số hiệu"),
    ("doc_type", "Loại văn bản"),
    ("title", "Trích yếu"),
    ("province", "Tỉnh / cấp"),
    ("issue_date", "Ngày ban hành (YYYY-MM-DD)"),
    ("effective_date", "Ngày hiệu lực (YYYY-MM-DD)"),
]
UPLOAD_ID_RE = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")

ADMIN_CSS = """
form.card{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0;background:#fbfcfd}
form.card label{display:block;margin:.4rem 0 .1rem;color:var(--muted);font-size:.92rem}
form.card input[type=text],form.card input[type=password]{width:100%;padding:.35rem;font:inherit}
form.inline{display:inline-block;margin-right:.6rem}
button{font:inherit;padding:.35rem .9rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff}
button.secondary{background:#fff;color:#0b5cad}
.error{background:#fff1f0;border:1px solid #f5b5b0;padding:.6rem 1rem;border-radius:6px}
.ok{background:#e3f8e8;border:1px solid #9ad5aa;padding:.6rem 1rem;border-radius:6px}
"""


def safe_name(name: str | None) -> str:
    """The user's file name without directories, control characters or separators (≤ 120 characters)."""
    base = Path(str(name or "")).name.replace("\\", "_")
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".") or "upload.txt"
    stem, dot, suffix = base.rpartition(".")
    if dot and len(suffix) <= 10:
        return stem[: 120 - len(suffix) - 1] + "." + suffix
    return base[:120]


class AdminPages:
    def __init__(self, ctx: WebContext):
        self.ctx = ctx
        token = ctx.settings.admin_token
        assert token is not None
        self._token = token.get_secret_value().encode("utf-8")
        self.signer = URLSafeTimedSerializer(self._token.decode() + "|admin-session", salt="regassist-admin")
        self.logins = RateLimiter(10)
        self.jobs = IndexJobs(ctx.engine.index_settings)
        self.uploads = Path(ctx.engine.index_settings.data_dir) / "uploads"

    # ---- access ----------------------------------------------------------------------------------
    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given).encode("utf-8"), self._token)

    def authorised(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and self.token_ok(auth[7:].strip()):
            return True
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return False
        try:
            return self.signer.loads(cookie, max_age=SESSION_SECONDS) == "admin"
        except BadData:
            return False

    # ---- pages -----------------------------------------------------------------------------------
    def html(self, title: str, body: str, status: int = 200, refresh: int | None = None) -> HTMLResponse:
        head = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
        content = f"<style>{ADMIN_CSS}</style>{head}<h1>{e(title)}</h1>{body}"
        # same-origin referrers: with "no-referrer" a browser posts these forms with "Origin: null", which the
        # origin guard of /admin refuses
        headers = {**PAGE_HEADERS, "Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
        return HTMLResponse(page(title, content), status_code=status, headers=headers)

    def refused(self) -> HTMLResponse:
        return self.html(
            "Không có quyền",
            '<p class="error">Cần mã quản trị (REGASSIST_ADMIN_TOKEN) để thêm văn bản. '
            '<a href="/admin">Đăng nhập</a></p>',
            status=403,
        )

    def login_page(self, message: str = "", status: int = 200) -> HTMLResponse:
        note = f'<p class="error">{e(message)}</p>' if message else ""
        return self.html(
            "Quản trị: thêm văn bản",
            note + '<form class="card" method="post" action="/admin/login">'
            '<label for="token">Mã quản trị</label><input type="password" id="token" name="token" '
            'autocomplete="current-password" required><p><button type="submit">Đăng nhập</button></p></form>',
            status=status,
        )

    def home(self, message: str = "", status: int = 200) -> HTMLResponse:
        note = f'<p class="error">{e(message)}</p>' if message else ""
        fields = "".join(
            f'<label for="o-{k}">{e(label)}</label><input type="text" id="o-{k}" name="{k}" maxlength="200">'
            for k, label in OVERRIDES
        )
        limit = self.ctx.settings.max_upload_bytes // (1024 * 1024)
        form = (
            '<form class="card" method="post" action="/admin/upload" enctype="multipart/form-data">'
            f'<label for="file">Tệp văn bản (.txt, .md, .html, .docx, .pdf; tối đa {limit} MB)</label>'
            '<input type="file" id="file" name="file" required>'
            "<details><summary>Ghi đè thông tin đọc được từ văn bản (không bắt buộc)</summary>"
            f'{fields}<label><input type="checkbox" name="draft" value="1"> Dự thảo</label></details>'
            '<p><button type="submit">Xem trước</button></p></form>'
        )
        jobs = self.jobs.recent()
        refresh = 2 if any(j["state"] == "running" for j in jobs) else None
        return self.html(
            "Quản trị: thêm văn bản",
            note
            + form
            + self.jobs_html(jobs)
            + '<form method="post" action="/admin/logout"><button class="secondary">Đăng xuất</button></form>',
            status=status,
            refresh=refresh,
        )

    def jobs_html(self, jobs: list[dict]) -> str:
        if not jobs:
            return ""
        serving = self.ctx.engine.status().get("build_id")
        rows = []
        for j in jobs:
            if j["state"] == "running":
                state = "đang cập nhật chỉ mục…"
            elif j["state"] == "failed":
                state = f"lỗi: {j['error']}"
            else:
                live = "đang phục vụ" if j["build_id"] == serving else "chờ chuyển sang"
                state = f"xong: bản {j['build_id']} ({j['embedded']} mục mới được nhúng, {j['seconds']} s) — {live}"
            rows.append(f"<tr><td>{e(j['id'])}</td><td>{e(j['reason'])}</td><td>{e(state)}</td></tr>")
        return (
            "<h2>Cập nhật chỉ mục</h2><table><thead><tr><th>Lượt</th><th>Văn bản</th><th>Trạng thái</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><p>Bản chỉ mục đang phục vụ: <code>{e(serving)}</code></p>"
        )

    def preview_html(self, upload_id: str, preview: IngestPreview) -> HTMLResponse:
        m = preview.metadata
        status = str(m.get("status") or "")
        meta = [
            ("Tệp", preview.file),
            ("Mã văn bản", preview.doc_id),
            ("Loại", m.get("doc_type")),
            ("Số hiệu", m.get("number")),
            ("Tỉnh / cấp", m.get("province")),
            ("Cơ quan ban hành", m.get("issuer")),
            ("Trích yếu", m.get("title")),
            ("Ngày ban hành", m.get("issue_date")),
            ("Ngày hiệu lực", m.get("effective_date")),
            ("Người ký", m.get("signer")),
            ("Trạng thái", STATUS_VI.get(status, status)),
            (
                "Cấu trúc",
                "điều/khoản/mục" if preview.structure == "structured" else "đoạn văn đánh số (không nhận ra cấu trúc)",
            ),
            ("Định dạng", f"{preview.format} ({preview.layout})"),
            ("Tổng số mục trích dẫn được", preview.total_units),
        ]
        dl = (
            '<dl class="meta">'
            + "".join(f"<dt>{e(k)}</dt><dd>{e(v if v not in (None, '') else '—')}</dd>" for k, v in meta)
            + "</dl>"
        )
        units = "".join(
            f"<tr><td>{e(part)}</td><td>{e(', '.join(f'{lvl}: {n}' for lvl, n in levels.items()))}</td></tr>"
            for part, levels in preview.units.items()
        )
        table = f"<h2>Cấu trúc</h2><table><thead><tr><th>Phần</th><th>Số mục theo cấp</th></tr></thead><tbody>{units}</tbody></table>"
        warnings = (
            ("<h2>Lưu ý</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in preview.warnings) + "</ul>")
            if preview.warnings
            else ""
        )
        replace = ""
        if preview.existing:
            replace = (
                f'<p class="error">Số hiệu này đã có trong kho: <a href="/documents/{e(preview.existing)}">{e(preview.existing)}</a>. '
                'Chọn "thay thế" để giữ bản cũ (đánh dấu đã bị thay thế) và thêm bản này làm bản hiện hành.</p>'
                '<label><input type="checkbox" name="replace" value="1"> Thay thế bản cũ</label>'
            )
        confirm = (
            f'<form class="card inline" method="post" action="/admin/confirm"><input type="hidden" name="upload" value="{e(upload_id)}">'
            f'{replace}<p><button type="submit">Xác nhận thêm văn bản</button></p></form>'
            f'<form class="inline" method="post" action="/admin/cancel"><input type="hidden" name="upload" value="{e(upload_id)}">'
            '<button class="secondary" type="submit">Huỷ</button></form>'
        )
        return self.html("Xem trước văn bản", dl + table + warnings + confirm)

    # ---- pending uploads -------------------------------------------------------------------------
    def sweep(self) -> None:
        if not self.uploads.exists():
            return
        now = time.time()
        for d in self.uploads.iterdir():
            try:
                if d.is_dir() and now - d.stat().st_mtime > PENDING_SECONDS:
                    shutil.rmtree(d, ignore_errors=True)
            except OSError:
                pass

    def pending(self, upload_id: str | None) -> tuple[Path, dict] | None:
        if not upload_id or not UPLOAD_ID_RE.match(upload_id):
            return None
        d = self.uploads / upload_id
        try:
            meta = json.loads((d / "pending.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        path = d / meta["name"]
        return (path, meta) if path.is_file() else None


def admin_router(ctx: WebContext) -> APIRouter:
    """The ``/admin`` routes (mounted with that prefix)."""
    router = APIRouter(include_in_schema=False)
    admin = AdminPages(ctx)
    data_dir = Path(ctx.engine.index_settings.data_dir)

    @router.get("")
    @router.get("/")
    def home(request: Request):
        admin.sweep()
        return admin.home() if admin.authorised(request) else admin.login_page()

    @router.post("/login")
    async def login(request: Request):
        peer = request.client.host if request.client else None
        wait = admin.logins.check(peer)
        if wait:
            return admin.login_page(f"Thử quá nhiều lần; thử lại sau {int(wait)} giây.", status=429)
        form = await request.form(max_files=0, max_fields=5)
        try:
            given = form.get("token")
        finally:
            await form.close()
        if not admin.token_ok(given if isinstance(given, str) else None):
            return admin.login_page("Mã quản trị không đúng.", status=403)
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(
            COOKIE,
            admin.signer.dumps("admin"),
            max_age=SESSION_SECONDS,
            path="/admin",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @router.post("/logout")
    def logout():
        response = RedirectResponse("/admin", status_code=303)
        response.delete_cookie(COOKIE, path="/admin")
        return response

    @router.post("/upload")
    async def upload(request: Request):
        if not admin.authorised(request):
            return admin.refused()
        admin.sweep()
        form = await request.form(max_files=1, max_fields=len(OVERRIDES) + 4)
        upload_id = secrets.token_urlsafe(18)
        folder = admin.uploads / upload_id
        try:
            file = form.get("file")
            if not isinstance(file, UploadFile) or not file.filename:
                return admin.home("Chưa chọn tệp.", status=400)
            name = safe_name(file.filename)
            folder.mkdir(parents=True)
            path = folder / name
            with path.open("wb") as out:
                while chunk := await file.read(1 << 20):
                    out.write(chunk)
            overrides = {k: str(form.get(k)).strip()[:200] for k, _ in OVERRIDES if str(form.get(k) or "").strip()}
            if form.get("draft"):
                overrides["status"] = "draft"
        finally:
            await form.close()
        try:
            preview = preview_file(path, overrides, data_dir=data_dir)
        except (ReadError, ValueError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return admin.home(f"Không thêm được “{name}”: {str(exc).strip().splitlines()[0]}", status=400)
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        (folder / "pending.json").write_text(json.dumps({"name": name, "overrides": overrides}), encoding="utf-8")
        return admin.preview_html(upload_id, preview)

    @router.post("/confirm")
    async def confirm(request: Request):
        if not admin.authorised(request):
            return admin.refused()
        form = await request.form(max_files=0, max_fields=5)
        try:
            upload_id, replace = form.get("upload"), bool(form.get("replace"))
        finally:
            await form.close()
        found = admin.pending(upload_id if isinstance(upload_id, str) else None)
        if found is None:
            return admin.home(
                "Tệp chờ xác nhận không còn (đã huỷ, đã thêm hoặc quá 1 giờ); hãy tải lên lại.", status=404
            )
        path, meta = found
        try:
            added = add_file(path, data_dir=data_dir, overrides=meta["overrides"], replace=replace)
        except (ReadError, ValueError) as exc:
            return admin.home(f"Không thêm được “{meta['name']}”: {str(exc).strip().splitlines()[0]}", status=400)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)  # added or refused: the upload is not kept
        admin.jobs.start(f"{added.doc_id} ({meta['name']})")
        return RedirectResponse("/admin", status_code=303)

    @router.post("/cancel")
    async def cancel(request: Request):
        if not admin.authorised(request):
            return admin.refused()
        form = await request.form(max_files=0, max_fields=5)
        try:
            upload_id = form.get("upload")
        finally:
            await form.close()
        found = admin.pending(upload_id if isinstance(upload_id, str) else None)
        if found is not None:
            shutil.rmtree(found[0].parent, ignore_errors=True)
        return RedirectResponse("/admin", status_code=303)

    @router.get("/jobs")
    def jobs(request: Request):
        if not admin.authorised(request):
            return admin.refused()
        return {"jobs": admin.jobs.recent(), "serving": ctx.engine.status().get("build_id")}

    return router


def disabled_router() -> APIRouter:
    """``/admin`` when no admin token is configured: a clear 404 instead of the chat's catch-all."""
    router = APIRouter(include_in_schema=False)

    @router.api_route("", methods=["GET", "POST"])
    @router.api_route("/{rest:path}", methods=["GET", "POST"])
    def off(rest: str = ""):
        body = (
            '<h1>Thêm văn bản qua trình duyệt đang tắt</h1><p class="error">Máy chủ chưa có mã quản trị: đặt '
            "<code>REGASSIST_ADMIN_TOKEN</code> (≥ 16 ký tự) rồi khởi động lại để bật trang này.</p>"
        )
        return HTMLResponse(page("Quản trị", body), status_code=404, headers=PAGE_HEADERS)

    return router
