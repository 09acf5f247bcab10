#!/usr/bin/env python3
"""Checks the `markdown_escape` filter with PyPI `cmarkgfm` (GitHub's cmark-gfm, the
options notices renders with): every value, escaped and placed in a paragraph and (when
it is one line) in a table cell, comes out as exactly its own text, with no markup.

Usage: check_markdown_escape.py MARKDOWN_FILE VALUES.json
The Markdown file holds, for each value, a paragraph, then a table with a row per
one-line value (as the test's template writes them).
"""
import html
import json
import sys
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

markdown = open(sys.argv[1], encoding="utf-8").read()
values = json.load(open(sys.argv[2], encoding="utf-8"))
rendered = cmarkgfm.markdown_to_html_with_extensions(
    markdown, options=Options.CMARK_OPT_HARDBREAKS, extensions=["table", "strikethrough", "autolink"])


class Blocks(HTMLParser):
    """Top-level paragraphs and first-column table cells, with any tags inside them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.cells, self.current, self.tags, self.column = [], [], None, [], 0
        self.other = []

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "td"):
            if tag == "td":
                self.column += 1
            self.current, self.tags = [], []
        elif tag == "tr":
            self.column = 0
        elif tag == "br" and self.current is not None:
            pass  # a line break: the newline after it is data
        elif self.current is not None:
            self.tags.append(tag)
        elif tag not in ("table", "thead", "tbody", "th"):
            self.other.append(tag)

    def handle_endtag(self, tag):
        if tag == "p" and self.current is not None:
            self.paragraphs.append(("".join(self.current), self.tags))
            self.current = None
        elif tag == "td" and self.current is not None:
            if self.column == 1:
                self.cells.append(("".join(self.current), self.tags))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


blocks = Blocks()
blocks.feed(rendered)
problems = []
one_line = [v for v in values if "\n" not in v and "\r" not in v]
if blocks.other:
    problems.append(f"markup outside paragraphs and tables: {blocks.other}")
if len(blocks.paragraphs) != len(values):
    problems.append(f"{len(blocks.paragraphs)} paragraphs for {len(values)} values")
if len(blocks.cells) != len(one_line):
    problems.append(f"{len(blocks.cells)} table cells for {len(one_line)} one-line values")


def expected(value):
    # cmark-gfm drops the spaces that begin and end a paragraph line or a cell.
    return "\n".join(line.strip(" ") for line in value.split("\n")).strip(" \n")


for where, found, wanted in [("paragraph", blocks.paragraphs, values), ("table cell", blocks.cells, one_line)]:
    for (text, tags), value in zip(found, wanted):
        text = text.strip(" \n")
        if tags or text != expected(value):
            problems.append(f"{where}: {value!r} came out as {text!r} with tags {tags}")

for p in problems:
    print(p)
print(f"checked {len(values)} values in paragraphs and {len(one_line)} in table cells: {len(problems)} problems")
sys.exit(1 if problems else 0)
