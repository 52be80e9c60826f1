"""Web-site chrome above the title of text copied from document-sharing sites.

`××文库，欢迎您！`, 浏览量/发布时间 lines and a `source:` line come before the real title; they
are taken out before the title is looked for, and reported as content.residue.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..textpatterns import RESIDUE

CHROME = re.compile(
    r"^\s*(?:"
    r".{0,16}(?:文库|文档网|范文网|资料网|文秘网|写作网|公文网|网)[，,、\s]*欢迎(?:您|光临|访问|来到).{0,20}"
    r"|欢迎(?:您|光临|访问|来到).{0,24}"
    r"|(?:source|来源|出处|原文链接|原文地址|本文链接|链接|url|URL)\s*[:：].*"
    r"|https?://\S+"
    r"|(?:浏览量|浏览次数|阅读量|阅读|点击量|下载量|下载次数|收藏|评分|页数|字数|上传者|上传时间|发布时间|发布日期|"
    r"更新时间|文档格式|文件大小|下载积分|所需积分|立即下载|免费下载|下载文档|举报|分享到?|扫一扫)"
    r"[\s:：]*[^。！？]{0,40}"
    r")\s*$",
    re.IGNORECASE,
)
MAX_CHROME_LINES = 12  # chrome sits at the very top; a body line further down is not chrome


def split_chrome(lines: list[str]) -> list[int]:
    """0-based indexes of the chrome lines before the first real line (the title)."""
    found: list[int] = []
    seen = 0
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        seen += 1
        if seen > MAX_CHROME_LINES:
            break
        if _is_chrome(text):
            found.append(i)
            continue
        break
    return found


def _is_chrome(text: str) -> bool:
    if len(text) > 80:
        return False
    if CHROME.match(text):
        return True
    m = RESIDUE.search(text)  # the checker's own residue words, if they make up the line
    return bool(m) and len(text) - len(m.group(0)) <= 4


def chrome_notes(path: str, lines: list[str], indexes: list[int]) -> list[Diagnostic]:
    out = []
    for i in indexes:
        raw = lines[i]
        col = len(raw) - len(raw.lstrip()) + 1
        out.append(Diagnostic(path, i + 1, col, "content.residue", "error",
                              f"疑似网页残留“{raw.strip()[:30]}”（标题前的网站页面文字）",
                              "删除标题前从网页带入的文字"))
    return out
