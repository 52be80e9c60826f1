"""Text from outside (received files and their names, materials, ledger cells, front matter)
at the project's two output boundaries: HTML and xlsx. Every page builder and xlsx writer
goes through these helpers, so escaping is decided in one place.

Entry points: `esc` (text or attribute value in HTML), `href` (a link built from names),
`md_line` (text on one Markdown line: a heading, a list item), `inert_markdown` (a received Markdown material
with its raw HTML shown, not run), `text_cell` (an xlsx cell that stays text).
"""

from .html import esc, href, inert_markdown, md_line
from .xlsx import text_cell, text_cells

__all__ = ["esc", "md_line", "href", "inert_markdown", "text_cell", "text_cells"]
