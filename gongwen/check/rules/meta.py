"""meta.field: the front matter of a Markdown material (type, year, unit, 密级, 状态)."""

from __future__ import annotations

import re
from pathlib import Path

from ...model import Node
from ...read.markdown import META_KEYS
from ...schema import detect_schema
from ._files import source_lines
from .registry import STAGES, Context, Finding, rule

# 密级: the three levels of state secrets (保守国家秘密法 第十三条) and the marks used for
# material that is not a state secret: 公开, 内部 (internal use), 工作秘密 (保守国家秘密法 第六十四条).
# A period may follow a state-secret level: 机密★5年. (security.classified stops the secret ones.)
CLASSIFICATIONS = ("公开", "内部", "工作秘密", "秘密", "机密", "绝密")
REQUIRED = ("type", "year", "unit", "密级", "状态")
FIELD_ZH = {"type": "类型 type", "year": "年度 year", "unit": "单位 unit", "密级": "密级", "状态": "状态"}
EXAMPLE = "type: 2023-zhuti-jiaoyu-banzi / year: 2023 / unit: 某镇领导班子 / 密级: 内部 / 状态: 草稿"


def classification(value) -> str:
    """The level of a 密级 value, without its period (机密★5年 -> 机密)."""
    return re.split(r"[★☆*＊\s]", str(value).strip(), maxsplit=1)[0] if value not in (None, "") else ""


def _key_line(path: str, key: str) -> int:
    """The line of `key` (or one of its aliases) in the front matter of `path`."""
    names = {key} | {k for k, v in META_KEYS.items() if v == key}
    lines = source_lines(path)
    for i, raw in enumerate(lines[1:], 2):
        if raw.strip() in ("---", "..."):
            break
        m = re.match(r"^\s*['\"]?([^:'\"]+)['\"]?\s*:", raw)
        if m and m.group(1).strip() in names:
            return i
    return 1


@rule("meta.field", "warning", "文件头缺失或填写有误",
      "Markdown 材料的文件头（front matter）须写明：类型 type、年度 year（2000—2100 的整数）、单位 unit、"
      "密级（公开、内部、工作秘密、秘密、机密、绝密）和状态（草稿、征求意见稿、定稿）。",
      bad="---\nyear: 二〇二三\n状态: 送审稿\n---", good="---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 2023\nunit: 某镇领导班子\n密级: 内部\n状态: 草稿\n---")
def field(ctx: Context):
    mat = ctx.material
    if mat.format != "md":
        return
    if mat.meta_node is None:
        first = mat.files[0] if mat.files else mat.path
        yield Finding(Node(first, 1), f"{Path(first).name} 缺少文件头（front matter）",
                      f"在文件开头加上以 --- 包围的文件头，如：{EXAMPLE}")
        return
    path = mat.meta_node.path
    meta = mat.meta

    def at(key: str) -> Node:
        return Node(path, _key_line(path, key))

    for key in REQUIRED:
        if meta.get(key) in (None, ""):
            if key == "type":
                detected = detect_schema(mat.title)
                if detected:
                    yield Finding(at(key), f"文件头没有写类型 type，已根据标题识别为“{detected.name}”",
                                  f"写上 type: {detected.id}", severity="info")
                    continue
            yield Finding(at(key), f"文件头缺少{FIELD_ZH[key]}", f"补上，如：{EXAMPLE}")
    year = meta.get("year")
    if year not in (None, ""):
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            yield Finding(at("year"), f"年度“{year}”无效，应为 2000—2100 之间的整数", "如 year: 2023（不加“年”字）")
        else:
            m = re.search(r"(20\d\d)", mat.title)
            if m and int(m.group(1)) != year:
                yield Finding(at("year"), f"文件头年度 {year} 与标题中的 {m.group(1)} 不一致", "核对年度或标题")
    unit = meta.get("unit")
    if unit not in (None, "") and not str(unit).strip():
        yield Finding(at("unit"), "单位 unit 为空", "写上单位全称，如：unit: 某镇领导班子")
    level = meta.get("密级")
    if level not in (None, "") and classification(level) not in CLASSIFICATIONS:
        yield Finding(at("密级"), f"密级“{level}”无效，应为{'、'.join(CLASSIFICATIONS)}之一", "如：密级: 内部")
    stage = meta.get("状态")
    if stage not in (None, "") and str(stage) not in STAGES:
        yield Finding(at("状态"), f"状态“{stage}”无效，应为{'、'.join(STAGES)}之一（按定稿检查）", "如：状态: 征求意见稿")
