"""Tables and pages, drawn one way for every door: the command line, the report and the analyses.

Text tables (:func:`text_table`) are rich tables for a terminal; pages are self-contained HTML
(:func:`page`, :func:`table`, :func:`image`, :func:`slider`, :func:`heading`, :func:`items`):
tables you can sort and filter, plots embedded, a slider to step through a sequence of plots.
Every value is escaped, and no file or script is fetched from anywhere.

Example::

    >>> from realpolitik.render import page, table, text_table
    >>> text = page("Test", [table(["pair", "events"], [["IRQ – RUS", 3], ["<b>x</b>", 1]])])
    >>> "<b>x</b>" in text, "&lt;b&gt;x&lt;/b&gt;" in text, "http" in text
    (False, True, False)
    >>> text_table(["pair", "events"], [["IRQ – RUS", 3]], right={"events"}).row_count
    1
"""

from __future__ import annotations

import base64
import html
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

__all__ = ["text_table", "page", "table", "image", "slider", "heading", "items", "paragraph", "write_page"]

_STYLE = """body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{cursor:pointer;background:#f4f4f4}input.filter{margin:.5em 0;padding:3px;width:20em}img{max-width:100%}"""

# sorting by a click on a header, filtering by typing: plain DOM code, written for this page
_SCRIPT = """
document.querySelectorAll('table.rp').forEach(function (t) {
  t.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var rows = Array.from(t.tBodies[0].rows), up = th.dataset.up !== '1';
      rows.sort(function (a, b) {
        var x = a.cells[col].innerText, y = b.cells[col].innerText, nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return up ? c : -c;
      });
      rows.forEach(function (r) { t.tBodies[0].appendChild(r); });
      th.dataset.up = up ? '1' : '0';
    });
  });
});
document.querySelectorAll('input.filter').forEach(function (box) {
  box.addEventListener('input', function () {
    var t = document.getElementById(box.dataset.table), q = box.value.toLowerCase();
    Array.from(t.tBodies[0].rows).forEach(function (r) {
      r.style.display = r.innerText.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
  });
});
document.querySelectorAll('div.slider').forEach(function (box) {
  var imgs = box.querySelectorAll('img'), range = box.querySelector('input'), label = box.querySelector('span');
  function show(i) { imgs.forEach(function (im, k) { im.style.display = k == i ? '' : 'none'; });
                     label.innerText = imgs[i].alt; }
  range.addEventListener('input', function () { show(parseInt(range.value, 10)); });
  show(0);
});
"""

_count = [0]


def text_table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None,
               right: Collection[str] = (), fold: bool = False) -> Table:
    """A table for the terminal: ``right`` names the columns to right-align (numbers), ``fold``
    wraps long cells instead of cutting them."""
    t = Table(title=title, show_lines=False)
    for h in header:
        t.add_column(h, justify="right" if h in right else "left", overflow="fold" if fold else "ellipsis")
    from .io.writers import terminal_safe

    for r in rows:  # cells are data: shown as text (no markup), control characters made visible
        t.add_row(*(Text(terminal_safe("" if v is None else str(v))) for v in r))
    return t


def heading(text: str, level: int = 2) -> str:
    """A section heading."""
    return f"<h{level}>{html.escape(text)}</h{level}>"


def paragraph(text: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{html.escape(text)}</p>"


def items(values: Iterable[str], ordered: bool = True) -> str:
    """A list of plain-text items."""
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{html.escape(v)}</li>" for v in values) + f"</{tag}>"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str | None = None) -> str:
    """A sortable, filterable table; every value is escaped."""
    _count[0] += 1
    tid = f"t{_count[0]}"
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    cap = f"<h3>{html.escape(caption)}</h3>" if caption else ""
    return (f"{cap}<input class='filter' data-table='{tid}' placeholder='filter rows'>"
            f"<table class='rp' id='{tid}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def image(path: str | Path, alt: str = "") -> str:
    """A PNG embedded in the page."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"<img alt='{html.escape(alt or Path(path).stem)}' src='data:image/png;base64,{data}'>"


def slider(images: Sequence[tuple[str, str | Path]]) -> str:
    """Step through (label, PNG) pairs with a range control, one shown at a time."""
    imgs = "".join(image(p, label) for label, p in images)
    return (f"<div class='slider'><input type='range' min='0' max='{max(0, len(images) - 1)}' value='0'> "
            f"<span></span><div>{imgs}</div></div>")


def page(title: str, sections: Sequence[str], intro: str | None = None) -> str:
    """A whole page: title, an optional paragraph of text, then the sections (already HTML)."""
    lead = f"<p>{html.escape(intro)}</p>" if intro else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{lead}{''.join(sections)}"
            f"<script>{_SCRIPT}</script></body></html>")


def write_page(path: str | Path, title: str, sections: Sequence[str], intro: str | None = None) -> Path:
    """Write a page to ``path`` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(title, sections, intro), encoding="utf-8")
    return path
