"""Test fixtures built in the tests: .docx (python-docx), .pdf with a text layer (written by hand), .html.

The PDF writer emits a minimal PDF 1.4: one Type0 font (Identity-H) whose ToUnicode CMap maps each 2-byte code
to the same Unicode code point, so any Vietnamese text round-trips through pypdf's text extraction; one
content stream per page with one ``Tj`` per line. ``image_only_pdf`` makes a page with an image and no text
(a scan).
"""

from __future__ import annotations

import zlib
from pathlib import Path

TOUNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMapResource defineresource pop
end
end"""


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data)
        return f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages hold these lines (top to bottom) in a real text layer."""
    n = len(pages)
    # objects: 1 catalog, 2 pages, 3 font, 4 descendant, 5 tounicode, then (page, content) pairs
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ArialUnicode /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ArialUnicode /DW 500 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        _stream(TOUNICODE, compress=False),
    ]
    for i, lines in enumerate(pages):
        ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td"]
        for line in lines:
            ops.append(b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*")
        ops.append(b"ET")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {7 + 2 * i} 0 R >>".encode()
        )
        objects.append(_stream(b"\n".join(ops)))
    return _pdf(objects)


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan: each page draws a small grey image and holds no text."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    pixels = bytes([128] * 16 * 16)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        + f"/Length {len(pixels)} >>\nstream\n".encode()
        + pixels
        + b"\nendstream",
    ]
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(_stream(b"q 500 0 0 700 40 60 cm /Im1 Do Q"))
    return _pdf(objects)


def write_docx(path: Path, paragraphs: list, *, numbered_style: str | None = None) -> Path:
    """A .docx: items are str (a paragraph), ("bold", text), ("list", text) or ("table", rows)."""
    import docx

    d = docx.Document()
    for item in paragraphs:
        if isinstance(item, str):
            d.add_paragraph(item)
        elif item[0] == "bold":
            d.add_paragraph().add_run(item[1]).bold = True
        elif item[0] == "list":
            d.add_paragraph(item[1], style=numbered_style or "List Number")
        elif item[0] == "table":
            rows = item[1]
            table = d.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    d.save(path)
    return path


def markdown_blocks(path: Path):
    """(kind, payload) blocks of a saved-page text: ("p", text, bold) for a paragraph (its wrapped lines
    joined), ("table", rows of cell texts)."""
    from corpus.reader.lines import Table, normalise_bold, to_blocks
    from corpus.text import clean_markup

    blocks = to_blocks(normalise_bold(path.read_text(encoding="utf-8")).split("\n"))
    out: list[tuple] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            raw = " ".join(para)
            text = clean_markup(raw)[0]
            if text:
                out.append(("p", text, raw.strip().startswith("**") and raw.strip().endswith("**")))
            para.clear()

    for b in blocks:
        if isinstance(b, Table):
            flush()
            rows = [
                [[clean_markup(x.text)[0] for x in cell if clean_markup(x.text)[0]] for cell in row] for row in b.rows
            ]
            out.append(("table", rows))
        elif not b.text.strip():
            flush()
        else:
            para.append(b.text)
    flush()
    return out


def as_docx(path: Path, out: Path) -> Path:
    """The same document as Word would hold it: one paragraph per paragraph, tables as tables."""
    import docx

    d = docx.Document()
    for block in markdown_blocks(path):
        if block[0] == "p":
            d.add_paragraph().add_run(block[1]).bold = block[2]
        else:
            rows = block[1]
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = "\n".join(cell)
    d.save(out)
    return out


def as_html(path: Path, out: Path) -> Path:
    """The same document as a saved web page, with a menu and a footer around it."""
    from html import escape

    parts = ["<html><body><nav class='menu'>Trang chủ | Văn bản</nav><div class='content'>"]
    for block in markdown_blocks(path):
        if block[0] == "p":
            text = escape(block[1])
            parts.append(f"<p><b>{text}</b></p>" if block[2] else f"<p>{text}</p>")
        else:
            parts.append("<table>")
            for row in block[1]:
                parts.append("<tr>" + "".join("<td>" + "<br>".join(map(escape, c)) + "</td>" for c in row) + "</tr>")
            parts.append("</table>")
    parts.append("</div><footer>Liên hệ</footer></body></html>")
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def as_pdf(path: Path, out: Path, width: int = 90, per_page: int = 45) -> Path:
    """The same document printed to PDF: paragraphs wrapped at ``width``, no bold, no blank lines, tables as
    rows of cells separated by spaces, ``per_page`` lines a page."""
    import textwrap

    lines: list[str] = []
    for block in markdown_blocks(path):
        if block[0] == "p":
            lines += textwrap.wrap(block[1], width)
        else:
            lines += ["   ".join(" ".join(cell) for cell in row) for row in block[1]]
    out.write_bytes(text_pdf([lines[i : i + per_page] for i in range(0, len(lines), per_page)]))
    return out
