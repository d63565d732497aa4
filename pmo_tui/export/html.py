"""Markdown to a standalone HTML page, rendered with markdown-it-py."""

from __future__ import annotations

from html import escape

from pmo_tui.export.escape import plain

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.6rem; text-align: left;
         vertical-align: top; }
th { background: #eee; }
"""


def render_html(markdown: str, title: str) -> str:
    # Imported here: markdown-it costs 20 ms that neither start-up nor Markdown export need.
    from markdown_it import MarkdownIt

    # html=True only lets through the <br> we put in table cells: user text reaches the
    # Markdown with every "<" escaped, so no tag of theirs survives.
    body = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(plain(title))}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{body.render(markdown)}</body>\n</html>\n"
    )
