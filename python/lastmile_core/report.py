"""A self-contained HTML report: headings, text, tables and plots in one file.

Images are embedded as base64 PNG data URIs and the style sheet is inline, so the page opens
anywhere (no network, no side files). Used by ``lastmile plan --example --report report.html``.
"""

from __future__ import annotations

import base64
import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { border-bottom: 2px solid #444; } h2 { margin-top: 1.6em; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0; } img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; } pre { background: #f7f7f7; padding: 0.6em; }
"""


@dataclass
class Report:
    """An HTML page built block by block (every text is escaped)."""

    title: str
    blocks: list[str] = field(default_factory=list)

    def heading(self, text: str) -> Report:
        self.blocks.append(f"<h2>{html.escape(text)}</h2>")
        return self

    def text(self, text: str) -> Report:
        self.blocks.append(f"<p>{html.escape(text)}</p>")
        return self

    def lines(self, lines: list[str]) -> Report:
        """Preformatted lines (the command's console output)."""
        self.blocks.append("<pre>" + html.escape("\n".join(lines)) + "</pre>")
        return self

    def table(self, frame: Any, *, max_rows: int = 40, float_format: str = "{:.3f}") -> Report:
        """A pandas DataFrame as an HTML table (the first ``max_rows`` rows, said so)."""
        n = len(frame)
        shown = frame.head(max_rows)
        body = shown.to_html(
            index=False, border=0, float_format=lambda v: float_format.format(v), escape=True
        )
        self.blocks.append(body)
        if n > max_rows:
            self.text(f"(first {max_rows} of {n} rows)")
        return self

    def image(self, path: str | os.PathLike[str], caption: str = "") -> Report:
        """Embed a PNG file."""
        p = Path(path)
        if p.suffix.lower() != ".png" or not p.is_file():
            raise InputError(f"image: expected an existing .png file, got {str(p)!r}")
        data = base64.b64encode(p.read_bytes()).decode("ascii")
        cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        alt = html.escape(caption or p.name)
        self.blocks.append(
            f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">{cap}</figure>'
        )
        return self

    def to_html(self) -> str:
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.title)}</title><style>{_STYLE}</style></head>\n<body>"
            f"<h1>{html.escape(self.title)}</h1>\n" + "\n".join(self.blocks) + "\n</body></html>\n"
        )

    def write(self, path: str | os.PathLike[str]) -> Path:
        p = Path(path)
        if p.suffix.lower() not in (".html", ".htm"):
            raise InputError(f"report: expected an .html path, got {str(p)!r}")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.to_html(), encoding="utf-8")
        return p


__all__ = ["Report"]
