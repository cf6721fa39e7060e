"""A Table as an accessible HTML table: caption, column and row headers with their
scopes, numbers in the page's language and aligned by class (no style attribute:
the site's Content-Security-Policy allows none)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .tables import Table, format_number


def render_table(table: Table, *, totals: bool = False, caption_hidden: bool = False) -> SafeString:
    """`<table>` of `table`. `totals`: a last row with each column's sum (for counts
    that add up). `caption_hidden`: the caption stays for assistive technology but is
    not shown (when a heading right above says the same)."""
    caption_class = ' class="visually-hidden"' if caption_hidden else ""
    parts = [
        '<table class="cx-table">',
        f"<caption{caption_class}>{escape(table.caption)}</caption>",
        "<thead><tr>",
        f'<th scope="col">{escape(table.row_heading)}</th>',
    ]
    parts += [f'<th scope="col" class="cx-num">{escape(c.title)}</th>' for c in table.columns]
    parts.append("</tr></thead><tbody>")
    for row in table.rows:
        parts.append(f'<tr><th scope="row">{escape(row.label)}</th>')
        for column, value in zip(table.columns, row.values, strict=True):
            shown = format_number(value, column) if value is not None else "–"
            parts.append(f'<td class="cx-num">{escape(shown)}</td>')
        parts.append("</tr>")
    parts.append("</tbody>")
    if totals and table.rows:
        parts.append(f'<tfoot><tr><th scope="row">{escape(_("Total"))}</th>')
        for index, column in enumerate(table.columns):
            total = sum(v for v in table.values(index) if v is not None)
            parts.append(f'<td class="cx-num">{escape(format_number(total, column))}</td>')
        parts.append("</tr></tfoot>")
    parts.append("</table>")
    if table.notes:
        parts += [f'<p class="cx-note">{escape(note)}</p>' for note in table.notes]
    return mark_safe("".join(parts))
