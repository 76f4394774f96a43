/*! regassist widget — cited answers about provincial regulations, embeddable on any intranet page.
 *
 *   <script src="http://HOST:PORT/widget.js" data-title="Hỏi đáp quy chế"
 *           data-province="Bắc Ninh" data-position="right"></script>
 *
 * Self-contained (no CDN, no framework, works offline). Talks only to the origin it was loaded
 * from (POST /api/ask). Every piece of text from the user or the corpus is inserted with
 * textContent — never innerHTML. Styles live in a shadow root so the host page and the widget
 * cannot restyle each other. Optional attributes: data-document (a document id), data-open="true",
 * data-as-of="YYYY-MM-DD" (answer for that date; absent = today). Each answer shows the date it speaks
 * for and each cited document's status on that date.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll('script[src*="widget.js"]');
    script = all[all.length - 1];
  }
  if (!script || window.__regassistWidgetLoaded) return;
  window.__regassistWidgetLoaded = true;

  var BASE = new URL(script.src, window.location.href).origin;
  var data = script.dataset || {};
  var CFG = {
    title: data.title || "Trợ lý tra cứu quy chế, văn bản pháp luật",
    province: data.province || "",
    document: data.document || "",
    position: data.position === "left" ? "left" : "right",
    open: data.open === "true",
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(data.asOf || "") ? data.asOf : "",
    maxChars: parseInt(data.maxChars || "2000", 10) || 2000
  };
  var STATUS_VI = {  // assistant.answering.versions.STATUS_VI, capitalised
    in_force: "Đang có hiệu lực", amended_in_force: "Đang có hiệu lực (đã được sửa đổi, bổ sung)",
    not_yet_in_force: "Chưa có hiệu lực", not_yet_applicable: "Đã có hiệu lực nhưng chưa được áp dụng",
    draft: "Dự thảo, chưa ban hành",
    repealed: "Đã bị bãi bỏ", replaced: "Đã bị thay thế", expired: "Đã hết hiệu lực"
  };
  function dmy(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }
  // The conversation token the server returned with the last answer (signed by the server; an unknown
  // or altered one simply starts a new conversation). Kept for this tab only.
  var SESSION_KEY = "regassist-widget-session";

  function loadSession() {
    try { return window.sessionStorage.getItem(SESSION_KEY) || null; } catch (e) { return null; }
  }
  function saveSession(token) {
    if (typeof token !== "string" || !/^[A-Za-z0-9_.\-]{1,32768}$/.test(token)) return;
    SESSION = token;
    try { window.sessionStorage.setItem(SESSION_KEY, token); } catch (e) { /* keep it in memory */ }
  }
  var SESSION = loadSession();

  // ---- DOM helpers (textContent only) ------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function docUrl(url) {
    // only our own document pages, made absolute on the widget's origin
    return typeof url === "string" && url.indexOf("/documents/") === 0 ? BASE + url : null;
  }

  // "**bold**" and "[n]" of the answer markdown → nodes
  function inline(text, citations) {
    var frag = document.createDocumentFragment();
    var re = /\*\*(.+?)\*\*|\[(\d{1,3})\]/g, last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) {
        frag.appendChild(el("strong", { text: m[1] }));
      } else {
        var n = parseInt(m[2], 10), c = citations[n - 1], href = c && docUrl(c.url);
        if (href) frag.appendChild(el("a", { className: "cite", href: href, target: "_blank", rel: "noopener", title: c.label, text: "[" + n + "]" }));
        else frag.appendChild(document.createTextNode(m[0]));
      }
      last = re.lastIndex;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  function renderMarkdown(text, citations) {
    var box = el("div", { className: "md" }), list = null;
    String(text || "").split("\n").forEach(function (line) {
      var t = line.trim();
      if (t.indexOf("- ") === 0) {
        if (!list) { list = el("ul"); box.appendChild(list); }
        var li = el("li"); li.appendChild(inline(t.slice(2), citations)); list.appendChild(li);
        return;
      }
      list = null;
      if (t) { var p = el("p"); p.appendChild(inline(t, citations)); box.appendChild(p); }
    });
    return box;
  }

  function renderCitations(citations) {
    var ol = el("ol", { className: "sources", "aria-label": "Nguồn trích dẫn" });
    citations.forEach(function (c, i) {
      var href = docUrl(c.url);
      var summary = el("summary", null, [
        el("b", { text: "[" + (i + 1) + "] " }),
        document.createTextNode(c.label || c.id || ""),
        el("span", {
          className: "status s-" + String(c.status || "").replace(/[^a-z_]/g, ""),
          text: (STATUS_VI[c.status] || c.status || "") + (c.status_since ? " (từ " + dmy(c.status_since) + ")" : "")
        })
      ]);
      var details = el("details", null, [summary, el("blockquote", { text: c.quote || "" })]);
      var link = href ? el("a", { className: "doc-link", href: href, target: "_blank", rel: "noopener", text: "Xem nguyên văn ↗" }) : null;
      ol.appendChild(el("li", { "data-citation": String(i + 1) }, [details, link]));
    });
    return ol;
  }

  // ---- styles ------------------------------------------------------------------------------
  var side = CFG.position;
  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif}",
    ".launcher{position:fixed;bottom:20px;" + side + ":20px;z-index:2147483000;border:0;border-radius:28px;padding:12px 18px;",
    "background:#0b5cad;color:#fff;font-size:15px;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);",
    "display:inline-flex;align-items:center;gap:8px}",
    ".launcher:focus-visible,button:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}",
    ".panel{position:fixed;bottom:80px;" + side + ":20px;z-index:2147483001;width:min(420px,calc(100vw - 40px));",
    "height:min(620px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;color:#1f2933;",
    "border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden;font-size:14px;line-height:1.5}",
    ".panel[hidden]{display:none}",
    "header{display:flex;align-items:center;justify-content:space-between;background:#0b3d6e;color:#fff;padding:10px 14px}",
    "header h2{margin:0;font-size:15px}",
    "header button{background:transparent;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}",
    ".scope{font-size:12px;opacity:.85;margin-top:2px}",
    ".log{flex:1;overflow-y:auto;padding:12px 14px;background:#f7f9fb}",
    ".msg{margin:0 0 12px;padding:8px 11px;border-radius:10px;max-width:100%;word-wrap:break-word}",
    ".user{background:#0b5cad;color:#fff;margin-left:15%;white-space:pre-wrap}",
    ".bot{background:#fff;border:1px solid #d9e2ec}",
    ".bot p{margin:4px 0}.bot ul{margin:4px 0;padding-left:18px}",
    ".abstained{border-color:#f0b429;background:#fffbea}",
    ".error{border-color:#e12d39;background:#ffeeee;color:#8a041a}",
    ".pending{color:#52606d;font-style:italic}",
    "a{color:#0b5cad}a.cite{font-weight:600;text-decoration:none;margin:0 1px}",
    ".sources{margin:8px 0 0;padding-left:0;list-style:none;border-top:1px solid #e4e7eb;padding-top:6px}",
    ".sources li{margin:4px 0}",
    "summary{cursor:pointer}",
    "blockquote{margin:6px 0 4px 8px;padding:4px 8px;border-left:3px solid #9fb3c8;color:#334e68;background:#f0f4f8}",
    ".status{display:inline-block;margin-left:6px;padding:0 6px;border-radius:8px;font-size:11px;background:#e3f8e8;color:#1b6b34}",
    ".s-draft,.s-not_yet_in_force{background:#fff1d6;color:#8a5a00}.s-repealed,.s-replaced,.s-expired{background:#fde2e1;color:#a61b1b}",
    ".asof{font-size:11px;color:#52606d;margin:0 0 4px}",
    ".refnotes{border:1px dashed #9fb3c8;border-radius:6px;padding:4px 8px;margin:6px 0;background:#f4f8fc;font-size:12px}",
    ".refnotes b{display:block}",
    ".versions{border-left:3px solid #c9d6e3;padding:2px 8px;margin:6px 0;font-size:12px}",
    ".versions b{display:block}",
    ".doc-link{font-size:12px;margin-left:18px}",
    ".meta{font-size:11px;color:#7b8794;margin-top:4px}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d9e2ec;background:#fff}",
    "textarea{flex:1;resize:none;height:54px;padding:7px 9px;border:1px solid #9fb3c8;border-radius:8px;font-size:14px}",
    "form button{border:0;border-radius:8px;background:#0b5cad;color:#fff;padding:0 14px;font-weight:600;cursor:pointer}",
    "form button[disabled]{opacity:.55;cursor:wait}",
    ".hint{font-size:11px;color:#7b8794;padding:0 12px 8px;background:#fff}"
  ].join("");

  // ---- build ---------------------------------------------------------------------------------
  var host = el("div", { id: "regassist-widget", "data-regassist": "widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.appendChild(el("style", { text: CSS }));

  function bubbleIcon() {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("width", "18"); svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true"); svg.setAttribute("class", "icon");
    var path = document.createElementNS(NS, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0 4v2h7v-2H7z");
    svg.appendChild(path);
    return svg;
  }
  var launcher = el("button", { className: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "ra-panel" },
    [bubbleIcon(), el("span", { text: CFG.title })]);
  var closeBtn = el("button", { type: "button", "aria-label": "Đóng", title: "Đóng", text: "×" });
  var scopeText = [CFG.province && ("Tỉnh: " + CFG.province), CFG.document && ("Văn bản: " + CFG.document)].filter(Boolean).join(" · ");
  var header = el("header", null, [
    el("div", null, [el("h2", { text: CFG.title }), scopeText ? el("div", { className: "scope", text: scopeText }) : null]),
    closeBtn
  ]);
  var log = el("div", { className: "log", role: "log", "aria-live": "polite" });
  var input = el("textarea", { "aria-label": "Câu hỏi", placeholder: "Nhập câu hỏi về quy chế, kế hoạch…", maxlength: String(CFG.maxChars) });
  var send = el("button", { type: "submit", text: "Gửi" });
  var form = el("form", null, [input, send]);
  var hint = el("div", { className: "hint", text: "Câu trả lời kèm trích dẫn nguyên văn đã được kiểm chứng. Enter để gửi, Shift+Enter để xuống dòng." });
  var panel = el("div", { className: "panel", id: "ra-panel", role: "dialog", "aria-label": CFG.title }, [header, log, form, hint]);
  panel.hidden = true;
  root.appendChild(launcher);
  root.appendChild(panel);

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { input.focus(); if (!log.firstChild) greet(); } else { launcher.focus(); }
  }

  function greet() {
    log.appendChild(el("div", { className: "msg bot" }, [el("p", { text: "Xin chào! Hãy đặt câu hỏi về các quy chế, quyết định, kế hoạch trong kho văn bản; mỗi câu trả lời có trích dẫn điều, khoản cụ thể." })]));
  }

  function addMessage(cls, node) {
    var msg = el("div", { className: "msg " + cls }, node ? [node] : []);
    log.appendChild(msg);
    log.scrollTop = log.scrollHeight;
    return msg;
  }

  function showAnswer(msg, answer) {
    msg.className = "msg bot" + (answer.abstained ? " abstained" : "");
    msg.textContent = "";
    var citations = Array.isArray(answer.citations) ? answer.citations : [];
    if (answer.as_of) msg.appendChild(el("div", { className: "asof", text: "Áp dụng tại ngày / As of: " + dmy(answer.as_of) }));
    msg.appendChild(renderMarkdown(answer.answer, citations));
    var notes = Array.isArray(answer.reference_notes) ? answer.reference_notes : [];
    if (notes.length) {
      msg.appendChild(el("div", { className: "refnotes" }, [el("b", { text: "Ghi chú tham khảo — không phải trích dẫn" })]
        .concat(notes.map(function (n) { return el("div", { text: String(n) }); }))));
    }
    // one line per other version bearing on the question on that date (not already cited): title, status, why
    var cited = {};
    citations.forEach(function (c) { cited[c.document_id] = true; });
    var others = (Array.isArray(answer.applicable_documents) ? answer.applicable_documents : []).filter(function (d) {
      return d && !cited[d.id];
    });
    if (others.length) {
      msg.appendChild(el("div", { className: "versions" }, [el("b", { text: "Các văn bản/phiên bản khác tại ngày này" })]
        .concat(others.map(function (d) {
          var where = d.province && String(d.title || "").indexOf(d.province) < 0 ? " (" + d.province + ")" : "";
          var line = el("div", { className: "version" }, [
            document.createTextNode(String(d.title || d.number || d.id) + where + " "),
            el("span", { className: "status s-" + String(d.status || "").replace(/[^a-z_]/g, ""), text: STATUS_VI[d.status] || d.status || "" }),
            document.createTextNode(d.reason ? " — " + String(d.reason) : "")
          ]);
          return line;
        }))));
    }
    if (citations.length) msg.appendChild(renderCitations(citations));
    if (answer.abstained) msg.appendChild(el("div", { className: "meta", text: "Không có trích dẫn: trợ lý không trả lời khi kho văn bản không có căn cứ." }));
    log.scrollTop = log.scrollHeight;
  }

  function showError(msg, text) {
    msg.className = "msg bot error";
    msg.setAttribute("role", "alert");
    msg.textContent = text;
    log.scrollTop = log.scrollHeight;
  }

  function explainNetworkFailure(msg) {
    // The script itself came from BASE, so a failed fetch is most likely a CORS refusal; an opaque
    // no-cors probe tells "server reachable but this page's origin is refused" from "server down".
    fetch(BASE + "/healthz", { mode: "no-cors", cache: "no-store" }).then(function () {
      showError(msg, "Trang này (" + window.location.origin + ") không được phép sử dụng trợ lý: máy chủ " + BASE +
        " đã từ chối nguồn gốc (CORS). Hãy đề nghị quản trị viên thêm địa chỉ này vào danh sách được phép.");
    }, function () {
      showError(msg, "Không kết nối được tới máy chủ trợ lý (" + BASE + "). Vui lòng thử lại sau.");
    });
  }

  var busy = false;
  function ask(question) {
    question = String(question || "").trim();
    if (!question || busy) return;
    busy = true; send.disabled = true;
    addMessage("user", document.createTextNode(question));
    var pending = addMessage("bot pending", document.createTextNode("Đang tra cứu văn bản…"));
    var body = { question: question };
    if (SESSION) body.session_id = SESSION;
    if (CFG.province) body.province = CFG.province;
    if (CFG.document) body.document = CFG.document;
    if (CFG.asOf) body.as_of = CFG.asOf;
    fetch(BASE + "/api/ask", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().then(function (payload) { return { res: res, payload: payload }; },
        function () { return { res: res, payload: null }; });
    }).then(function (r) {
      if (r.res.ok && r.payload && typeof r.payload.answer === "string") {
        saveSession(r.payload.session_id);
        showAnswer(pending, r.payload);
        return;
      }
      var err = (r.payload && r.payload.error) ? String(r.payload.error) : ("HTTP " + r.res.status);
      if (r.res.status === 429) {
        var wait = r.res.headers.get("Retry-After") || (r.payload && r.payload.retry_after) || "";
        err = "Bạn hỏi quá nhanh, vui lòng thử lại sau " + wait + " giây.";
      } else if (r.res.status === 503) {
        err = "Trợ lý tạm thời chưa sẵn sàng, vui lòng thử lại sau (" + err + ").";
      } else if (r.res.status === 403) {
        err = "Trang này không được phép sử dụng trợ lý (" + err + ").";
      } else {
        err = "Không thể trả lời: " + err;
      }
      showError(pending, err);
    }).catch(function () {
      explainNetworkFailure(pending);
    }).then(function () {
      busy = false; send.disabled = false; input.focus();
    });
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  closeBtn.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (ev) { if (ev.key === "Escape") setOpen(false); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy || !input.value.trim()) return;
    var q = input.value; input.value = ""; ask(q);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true })); }
  });

  function mount() {
    document.body.appendChild(host);
    if (CFG.open) setOpen(true);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
