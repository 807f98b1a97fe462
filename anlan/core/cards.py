"""A list table that turns into cards on a phone (`{% cardtable %}`): each body cell gets its column's header as
`data-label`, which the stylesheet shows before the value below Bootstrap's `md` breakpoint (pure CSS, so a list
swapped in by htmx reads the same). Pages write their table once, headers included; nothing repeats the header
text by hand.

The table is marked `data-cards`; the cell of the record's title (the first column unless told otherwise) is
marked `data-card-title` and comes first, without a label. A cell that spans the whole row (an empty list's
message) gets no label. A cell that already has a `data-label` keeps it.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

SORT_ARROWS = "↑↓"


def label_cells(html: str, title_column: int = 1) -> str:
    """`html` with its outermost table marked for cards and each body cell labelled by its column header."""
    parser = _CellLabeler(html, title_column)
    parser.feed(html)
    parser.close()
    out, last = [], 0
    for offset, text in sorted(parser.inserts):
        out += [html[last:offset], text]
        last = offset
    out.append(html[last:])
    return "".join(out)


class _CellLabeler(HTMLParser):
    def __init__(self, html: str, title_column: int):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        self.line_starts += [i + 1 for i, c in enumerate(html) if c == "\n"]
        self.title_column = title_column - 1
        self.inserts: list[tuple[int, str]] = []
        self.depth = 0  # tables nested in a cell are left alone
        self.in_head = False
        self.header: list[str] | None = None  # the text of the header cell being read
        self.headers: list[str] = []
        self.column = 0

    def _insert(self, text: str) -> None:
        line, column = self.getpos()
        raw = self.get_starttag_text() or ""
        end = self.line_starts[line - 1] + column + len(raw) - (2 if raw.endswith("/>") else 1)
        self.inserts.append((end, text))

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self._insert(" data-cards")
            return
        if self.depth != 1:
            return
        attrs = dict(attrs)
        if tag == "thead":
            self.in_head = True
        elif tag == "tr":
            self.column = 0
        elif tag in ("td", "th"):
            span = _span(attrs.get("colspan"))
            if self.in_head:
                self.header = []
                self._span = span
            else:
                self._label(attrs, span)
            self.column += span

    def _label(self, attrs, span):
        if span >= len(self.headers) > 1:
            return  # a row of its own: the empty list's message
        text = ""
        if self.column == self.title_column:
            text += " data-card-title"
        elif "data-label" not in attrs and self.column < len(self.headers):
            text += f' data-label="{escape(self.headers[self.column])}"'
        if text:
            self._insert(text)

    def handle_data(self, data):
        if self.header is not None:
            self.header.append(data)

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
        elif self.depth != 1:
            return
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.header is not None:
            label = " ".join("".join(self.header).split()).strip(SORT_ARROWS + " ")
            self.headers += [label] * self._span
            self.header = None


def _span(value) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1
