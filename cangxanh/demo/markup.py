"""The demo content's plain-text markup, turned into the HTML an editor would make.

Blocks are separated by blank lines: `## ` starts a subheading, `- ` lines
make a list, `> ` a quotation; anything else is a paragraph.
"""

import re

from django.utils.html import escape


def markup_to_html(text: str) -> str:
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            html.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
            lines = lines[1:]
            if not lines:
                continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif lines[0].startswith("> "):
            quote = " ".join(line.removeprefix("> ").removeprefix(">").strip() for line in lines)
            html.append(f"<blockquote><p>{escape(quote)}</p></blockquote>")
        else:
            html.append(f"<p>{escape(' '.join(lines))}</p>")
    return "\n".join(html)
