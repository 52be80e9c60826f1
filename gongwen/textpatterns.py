"""Patterns shared by the rules and the importer (one definition each)."""

from __future__ import annotations

import re

# Residue of text pasted from web pages (content.residue).
RESIDUE = re.compile(
    r"##paid(?:begin|end)##|#{2,}[a-z]+#{2,}"
    r"|(?:浏览量|浏览次数|阅读量|点击量|发布时间|发布日期|来源网站|文档格式|下载积分|立即下载|免费下载|下载文档|本文来源|责任编辑|扫一扫|分享到)[：:]?\s*\S{0,20}"
)
# A whole line that is nothing but residue can be dropped on import.
RESIDUE_ONLY = re.compile(rf"^\s*(?:{RESIDUE.pattern})\s*$")
