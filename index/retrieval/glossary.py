"""English → Vietnamese glossary of agencies and key terms (for the lexical side and for glosses).

Each entry: an English pattern (regex, lower-case) → the Vietnamese term as the corpus writes it.
The reverse map gives English glosses for answers to English questions.
"""

from __future__ import annotations

import re

AGENCIES: list[tuple[str, str, str]] = [
    # (english regex, vietnamese, english gloss)
    (r"department of foreign affairs|foreign affairs department|\bdofa\b", "Sở Ngoại vụ", "Department of Foreign Affairs"),
    (r"department of information and communications?|information and communications? department|\bdic\b",
     "Sở Thông tin và Truyền thông", "Department of Information and Communications"),
    (r"department of culture,? sports?,? and tourism|culture department|\bdcst\b",
     "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    (r"department of finance|finance department", "Sở Tài chính", "Department of Finance"),
    (r"department of planning and investment|planning and investment", "Sở Kế hoạch và Đầu tư",
     "Department of Planning and Investment"),
    (r"department of industry and trade|industry and trade department", "Sở Công Thương",
     "Department of Industry and Trade"),
    (r"department of home affairs|home affairs department|interior department", "Sở Nội vụ",
     "Department of Home Affairs"),
    (r"department of science and technology", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    (r"department of agriculture", "Sở Nông nghiệp và Phát triển nông thôn",
     "Department of Agriculture and Rural Development"),
    (r"(provincial )?police|public security", "Công an tỉnh", "Provincial Police"),
    (r"military command|military", "Bộ Chỉ huy Quân sự tỉnh", "Provincial Military Command"),
    (r"border guard", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Provincial Border Guard Command"),
    (r"office of the (provincial )?people'?s committee|people'?s committee office|provincial office",
     "Văn phòng Ủy ban nhân dân tỉnh", "Office of the Provincial People's Committee"),
    (r"industrial (zones?|parks?) (management )?board|management board of industrial",
     "Ban Quản lý các Khu công nghiệp", "Industrial Zones Management Board"),
    (r"propaganda (and mass mobilization )?(department|board|commission)", "Ban Tuyên giáo Tỉnh ủy",
     "Provincial Party Propaganda Department"),
    (r"friendship (organi[sz]ations? )?union", "Liên hiệp các tổ chức hữu nghị tỉnh", "Provincial Union of Friendship Organisations"),
    (r"journalists'? association", "Hội Nhà báo tỉnh", "Provincial Journalists' Association"),
    (r"(provincial )?people'?s committee|\bppc\b", "Ủy ban nhân dân tỉnh", "Provincial People's Committee"),
    (r"commune|ward", "Ủy ban nhân dân cấp xã xã, phường", "commune-level People's Committee"),
    (r"district", "Ủy ban nhân dân cấp huyện huyện", "district-level People's Committee"),
    (r"newspaper|radio|television|press agenc(y|ies)|media outlets?", "Báo Đài Phát thanh và Truyền hình cơ quan báo chí",
     "provincial newspaper and radio-television"),
]

TERMS: list[tuple[str, str]] = [
    (r"foreign[\s-]+(press|journalists?|reporters?|correspondents?|media)", "phóng viên nước ngoài báo chí nước ngoài"),
    (r"journalists?|reporters?|press", "phóng viên báo chí"),
    (r"foreign information|external information|external communication", "thông tin đối ngoại"),
    (r"\blead(s|ing)?\b|in charge|responsible for leading|preside|chair", "chủ trì"),
    (r"coordinat\w*|cooperat\w*|assist\w*|support\w*", "phối hợp"),
    (r"report(s|ing)?\b", "báo cáo"),
    (r"deadline|due|by when|no later than|before which date", "trước ngày thời hạn"),
    (r"annual(ly)?|every year|yearly", "hằng năm hàng năm"),
    (r"six[- ]month|semi-?annual|biannual", "6 tháng"),
    (r"effective|take effect|in force|come into force|validity", "có hiệu lực thi hành"),
    (r"repeal\w*|annul\w*|abolish\w*", "bãi bỏ"),
    (r"replac\w*|supersed\w*", "thay thế"),
    (r"legal bas[ie]s|based on|pursuant", "căn cứ"),
    (r"defin\w*|meaning|what is meant|terms?\b", "giải thích từ ngữ là"),
    (r"scope|regulat\w* scope|governs", "phạm vi điều chỉnh"),
    (r"subjects? of application|appl(y|ies) to|who is covered", "đối tượng áp dụng"),
    (r"principles?", "nguyên tắc"),
    (r"budget|funding|fund(s|ed)?|financ\w*|costs?", "kinh phí ngân sách dự toán"),
    (r"database|data ?system", "cơ sở dữ liệu hệ thống dữ liệu"),
    (r"publications?|printed materials?", "xuất bản phẩm ấn phẩm"),
    (r"promot\w*|image|branding", "quảng bá hình ảnh"),
    (r"official information", "thông tin chính thức"),
    (r"clarif\w*|refut\w*|misinformation|false information|explain\w*", "giải thích làm rõ thông tin sai lệch"),
    (r"world (situation|news)|international situation", "thông tin tình hình thế giới"),
    (r"website|portal|web portal|electronic information", "cổng trang thông tin điện tử"),
    (r"training|capacity building", "tập huấn bồi dưỡng"),
    (r"inspect\w*|check\w*|supervis\w*", "thanh tra kiểm tra"),
    (r"reward\w*|commend\w*|discipline|violation\w*", "khen thưởng xử lý vi phạm"),
    (r"state secrets?|confidential\w*|secrecy", "bảo vệ bí mật nhà nước bảo mật"),
    (r"spokes(person|man|woman)|press conferences?", "người phát ngôn họp báo"),
    (r"appendix|annex", "phụ lục"),
    (r"\bplan\b|2025 plan", "kế hoạch"),
    (r"draft", "dự thảo"),
    (r"rationale|reason|why", "lý do"),
    (r"responsibilit\w*|duties|duty|tasks?|role", "trách nhiệm nhiệm vụ"),
    (r"foreign investors?|investment promotion|fdi", "thu hút đầu tư xúc tiến đầu tư"),
    (r"tourism", "du lịch"),
    (r"land border|border lines?", "tuyến biên giới trên đất liền"),
    (r"sovereignty|border|islands?|sea", "chủ quyền biên giới biển đảo"),
    (r"languages?", "ngôn ngữ tiếng"),
    (r"bulletin|newsletter", "bản tin"),
    (r"press conferences?|briefings?", "họp báo"),
    (r"human rights", "quyền con người nhân quyền"),
    (r"overseas vietnamese", "người Việt Nam ở nước ngoài"),
    (r"implementation|implement\w*|enforce\w*", "tổ chức thực hiện thi hành"),
    (r"forms?|channels?|means|methods?|ways?", "hình thức phương thức"),
    (r"content", "nội dung"),
    (r"state management", "quản lý nhà nước"),
    (r"personnel|staff", "nhân sự cán bộ bố trí"),
]

_COMPILED_AGENCIES = [(re.compile(p), vi, en) for p, vi, en in AGENCIES]
_COMPILED_TERMS = [(re.compile(p), vi) for p, vi in TERMS]


def agency_names() -> list[str]:
    """Vietnamese names of the provincial agencies in the glossary, longest first."""
    prefixes = ("Sở", "Công an", "Văn phòng", "Bộ Chỉ huy", "Ban", "Liên hiệp", "Hội")
    return sorted({vi for _, vi, _ in AGENCIES if vi.startswith(prefixes)}, key=len, reverse=True)


def expand_english(question: str) -> str:
    """Vietnamese terms for an English question (appended to the lexical query)."""
    q = question.lower()
    out: list[str] = []
    for rx, vi, _ in _COMPILED_AGENCIES:
        if rx.search(q):
            out.append(vi)
    for rx, vi in _COMPILED_TERMS:
        if rx.search(q):
            out.append(vi)
    return " ".join(out)


def agencies_in_english(question: str) -> list[str]:
    q = question.lower()
    return [vi for rx, vi, _ in _COMPILED_AGENCIES if rx.search(q)]


def english_gloss(vietnamese_agency: str) -> str | None:
    from corpus.text import fold

    key = fold(vietnamese_agency)
    best = None
    for _, vi, en in AGENCIES:
        if fold(vi) in key and (best is None or len(vi) > len(best[0])):
            best = (vi, en)
    return best[1] if best else None
