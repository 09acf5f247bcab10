#!/usr/bin/env python3
"""Expected HTML for the Markdown corpus, from PyPI `cmarkgfm` with the options notices
uses: extensions table, strikethrough, autolink; hard line breaks; safe mode (no
CMARK_OPT_UNSAFE). Writes Fixtures/markdown.json for MarkdownTests.swift.

    .venv/bin/pip install cmarkgfm && .venv/bin/python Tests/NoticesKitTests/markdown_reference.py
"""
import json
import os

import cmarkgfm
from cmarkgfm.cmark import Options

SNIPPETS = [
    "plain text", "two\nlines", "para one\n\npara two", "# H1", "## H2 *em*", "###### H6", "Setext\n===", "Setext 2\n---",
    "*em* **strong** ***both***", "_em_ __strong__", "~~strike~~", "~single~", "`code`", "``co`de``", "a\\*b",
    "[link](https://example.com)", "[link](https://example.com \"title\")", "![img](https://example.com/a.png)",
    "<https://example.com>", "https://example.com/path?q=1", "www.example.org", "visit www.example.org/x.", "mail noc@example.com",
    "(https://example.com/x)", "https://example.com/a_(b)", "[ref][1]\n\n[1]: https://example.com",
    "- a\n- b\n- c", "1. one\n2. two", "3. three\n4. four", "- a\n  - nested\n- b", "* loose\n\n* list", "- [ ] task\n- [x] done",
    "> quote\n> more", "> outer\n>> inner", "```\ncode block\n```", "```python\nprint('x')\n```", "    indented code",
    "---", "***", "line  \nhard break", "line\\\nbackslash break",
    "| a | b |\n|---|---|\n| 1 | 2 |", "| left | right | center |\n|:--|--:|:-:|\n| l | r | c |", "| a |\n|---|\n| x \\| y |",
    "| a | b |\n|---|---|\n| only one |", "a | b\n--|--\n1 | 2",
    "<b>raw html</b>", "<script>alert(1)</script>", "<div>\nblock html\n</div>", "[x](javascript:alert(1))",
    "![x](javascript:alert(1))", "[x](vbscript:msgbox)", "[x](data:image/png;base64,AAA)", "[x](file:///etc/passwd)",
    "&amp; &lt; &copy; &#35; &#x41;", "AT&T <3", "Zürich — Wartung", "emoji 🚧 works", "tab\tseparated",
    "**Status:** CONFIRMED\n**Start:** 2026-01-22 14:30", "- **A** (OUTAGE)\n- **B** (DEGRADED)",
    "Text with trailing spaces   ", "\n\nleading blank lines", "a_b_c snake_case_word", "1 * 2 * 3",
    "Details:\nhttps://netbox.example.net/plugins/notices/maintenances/m1/",
]

out = []
for s in SNIPPETS:
    html = cmarkgfm.markdown_to_html_with_extensions(
        s, options=Options.CMARK_OPT_HARDBREAKS, extensions=["table", "strikethrough", "autolink"])
    out.append({"markdown": s, "html": html})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures", "markdown.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(out)} snippets written to {path}")
