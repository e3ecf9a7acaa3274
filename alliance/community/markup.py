"""Safe formatting of forum posts and announcements.

The author's text is escaped first, completely; then a tiny subset is turned into HTML by
this module alone: ``**bold**``, ``*italics*``, ``[text](https://…)`` links (http/https
only, ``rel="nofollow ugc noopener"``), lines starting with ``- `` (bulleted list) or
``1. `` (numbered list), paragraphs, and ``@name`` mentions. No HTML from the author ever
reaches the page, so a ``<script>`` is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
# Applied to escaped text: the URL cannot hold a quote or angle bracket any more.
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s)]{1,500})\)")
MENTION = re.compile(r"(?<![\w@./:=?&#;-])@([A-Za-z0-9][A-Za-z0-9._-]{1,40})")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def mentions(text: str) -> set[str]:
    """The handles mentioned in ``text`` (lower case, trailing dots dropped)."""
    return {m.rstrip(".").lower() for m in MENTION.findall(text)}


def _inline(line: str, known: set[str]) -> str:
    html = escape(line)
    html = _LINK.sub(
        lambda m: f'<a href="{m.group(2)}" rel="nofollow ugc noopener">{m.group(1)}</a>', html
    )
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)

    def mention(m: re.Match[str]) -> str:
        handle = m.group(1).rstrip(".")
        if handle.lower() in known:
            rest = m.group(1)[len(handle) :]
            return f'<strong class="mention">@{handle}</strong>{rest}'
        return m.group(0)

    return MENTION.sub(mention, html)


def render(text: str, *, known_handles: Iterable[str] = ()) -> SafeString:
    """The post as safe HTML (see the module docstring for the subset)."""
    known = {h.lower() for h in known_handles}
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_tag
        if items:
            blocks.append(
                f"<{list_tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_tag}>"
            )
            items.clear()
        list_tag = ""

    for raw in text.replace("\r\n", "\n").split("\n"):
        bullet, numbered = _BULLET.match(raw), _NUMBERED.match(raw)
        if bullet or numbered:
            tag = "ul" if bullet else "ol"
            flush_paragraph()
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append(_inline((bullet or numbered).group(1), known))
        elif not raw.strip():
            flush_paragraph()
            flush_list()
        else:
            flush_list()
            paragraph.append(_inline(raw.strip(), known))
    flush_paragraph()
    flush_list()
    return mark_safe("".join(blocks))  # noqa: S308 - built only from escaped text
